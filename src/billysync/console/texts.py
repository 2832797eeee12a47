"""What the command line says, in English and Danish (`BILLYSYNC_LANGUAGE=da`).

Keys are the rule codes of `billysync.sync.shop_setup` where a setting is refused, so the
page and the command line refuse the same things; the wording here points to commands and
options instead of the page's lists and buttons. State, kind and finding names come from
the pages' catalogue (`billysync.web.i18n`), so both doors name them alike.
"""

from __future__ import annotations

# key: (English, Danish)
CLI_TEXTS: dict[str, tuple[str, str]] = {
    # Not found, bad input
    "no_shop": (
        "There is no shop {shop_id}: see `billysync shop list`.",
        "Der er ingen butik {shop_id}: se `billysync shop list`.",
    ),
    "no_transfer": (
        "Shop {shop_id} has no {kind} {key}: give the number or the shop's key of one "
        "billysync has received (see the overview).",
        "Butik {shop_id} har ingen {kind} {key}: angiv nummeret eller butikkens nøgle på en, "
        "som billysync har modtaget (se oversigten).",
    ),
    "name_missing": (
        "Give the shop a name (at most 200 characters).",
        "Giv butikken et navn (højst 200 tegn).",
    ),
    "platform_invalid": (
        "Unknown platform “{platform}”: choose shoporama or generic (any shop, via the JSON API).",
        "Ukendt platform “{platform}”: vælg shoporama eller generic (enhver butik via JSON "
        "API'et).",
    ),
    "need_key": (
        "Shop {shop_id} has no Billy API key yet: set it first with "
        "`billysync shop set {shop_id} --billy-key …`.",
        "Butik {shop_id} har endnu ingen Billy API-nøgle: angiv den først med "
        "`billysync shop set {shop_id} --billy-key …`.",
    ),
    "nothing_saved": ("Nothing was saved.", "Intet blev gemt."),
    "nothing_given": (
        "Nothing to change: give the settings to set (`billysync shop set {shop_id} --help`).",
        "Intet at ændre: angiv de indstillinger, der skal sættes "
        "(`billysync shop set {shop_id} --help`).",
    ),
    # Billy's answer to the key
    "key_refused": (
        "Billy refused the API key ({reason}): check that you copied the whole access token "
        "from Billy (Settings → Access tokens).",
        "Billy afviste API-nøglen ({reason}): tjek at du har kopieret hele adgangsnøglen fra "
        "Billy (Indstillinger → Adgangsnøgler).",
    ),
    "key_unchecked": (
        "Billy did not answer ({reason}): check the Billy address, or try again in a moment.",
        "Billy svarede ikke ({reason}): tjek Billy-adressen, eller prøv igen om lidt.",
    ),
    "org_locked": (
        "The Billy organization “{org}” is locked ({reason}): sort it out in Billy first.",
        "Billy-organisationen “{org}” er låst ({reason}): løs det i Billy først.",
    ),
    "other_org": (
        "This key belongs to another organization (“{org}”): the accounts and products were "
        "cleared; choose them again.",
        "Nøglen hører til en anden organisation (“{org}”): konti og produkter er nulstillet; "
        "vælg dem igen.",
    ),
    "api_key_again": (
        "Give the Billy API key again (--billy-key) when you change --billy-url: a saved key "
        "is only sent to the address it was checked with.",
        "Angiv Billy API-nøglen igen (--billy-key), når du ændrer --billy-url: en gemt nøgle "
        "sendes kun til den adresse, den blev tjekket mod.",
    ),
    # The shared rules (billysync.sync.shop_setup codes)
    "trigger_invalid": (
        "--trigger is paid or shipped: when orders are transferred to Billy.",
        "--trigger er paid eller shipped: hvornår ordrer overføres til Billy.",
    ),
    "prefix_invalid": (
        "Use at most {max} characters and no spaces in --prefix, e.g. “WEB-”.",
        "Brug højst {max} tegn og ingen mellemrum i --prefix, fx “WEB-”.",
    ),
    "rate_invalid": (
        "--billy-rate is the most calls to Billy per second: a number above 0 and at most "
        "{max}, e.g. 10 or 2.5 (empty: the default).",
        "--billy-rate er det højeste antal kald til Billy pr. sekund: et tal over 0 og højst "
        "{max}, fx 10 eller 2,5 (tomt: standarden).",
    ),
    "url_invalid": (
        "Write a full address starting with https:// (or http:// for a local test server).",
        "Skriv en fuld adresse, der starter med https:// (eller http:// for en lokal testserver).",
    ),
    "unknown_sales_account": (
        "“{value}” is not a revenue account in Billy: choose one from "
        "`billysync accounts {shop_id} --revenue` (by number, name or id).",
        "“{value}” er ikke en indtægtskonto i Billy: vælg en fra "
        "`billysync accounts {shop_id} --revenue` (med nummer, navn eller id).",
    ),
    "unknown_product": (
        "“{value}” is not a product in Billy: choose one from `billysync products {shop_id}`, "
        "or create it with `billysync shop create-products {shop_id}`.",
        "“{value}” er ikke et produkt i Billy: vælg et fra `billysync products {shop_id}`, "
        "eller opret det med `billysync shop create-products {shop_id}`.",
    ),
    "choose_payment_account": (
        "Posting payments needs the account they are posted to: give --payment-account "
        "(see `billysync accounts {shop_id} --payments`), or turn it off with "
        "--no-post-payments.",
        "Bogføring af betalinger kræver den konto, de bogføres på: angiv --payment-account "
        "(se `billysync accounts {shop_id} --payments`), eller slå det fra med "
        "--no-post-payments.",
    ),
    "unknown_payment_account": (
        "“{value}” does not take payments in Billy: choose one from "
        "`billysync accounts {shop_id} --payments`.",
        "“{value}” kan ikke modtage betalinger i Billy: vælg en fra "
        "`billysync accounts {shop_id} --payments`.",
    ),
    "unknown_fee_account": (
        "“{value}” is not an expense account in Billy: give the account fees are booked on "
        "(see `billysync accounts {shop_id}`).",
        "“{value}” er ikke en udgiftskonto i Billy: angiv den konto gebyrer bogføres på "
        "(se `billysync accounts {shop_id}`).",
    ),
    "method_missing": (
        "Give each payment method as METHOD=ACCOUNT, e.g. --payment-method-account MobilePay=5730.",
        "Angiv hver betalingsmetode som METODE=KONTO, fx --payment-method-account MobilePay=5730.",
    ),
    "ambiguous": (
        "“{value}” fits more than one: {matches}. Give the number or the id instead.",
        "“{value}” passer på flere: {matches}. Angiv nummeret eller id'et i stedet.",
    ),
    "token_again": (
        "Give the shop's API token again (--shop-token) when you change --shop-url: a saved "
        "token is only sent to the address it was entered for.",
        "Angiv butikkens API-nøgle igen (--shop-token), når du ændrer --shop-url: en gemt "
        "nøgle sendes kun til den adresse, den blev angivet til.",
    ),
    "header_invalid": (
        "The signature header is a plain header name, e.g. X-Shoporama-Signature.",
        "Signaturens header er et almindeligt header-navn, fx X-Shoporama-Signature.",
    ),
    # Results
    "shop_added": (
        "Shop {shop_id} “{name}” was added.",
        "Butikken {shop_id} “{name}” er tilføjet.",
    ),
    "token_once": (
        "Its JSON API token, shown only now (billysync keeps only a fingerprint of it): {token}",
        "Dens JSON API-nøgle, som kun vises nu (billysync gemmer kun et fingeraftryk af den): "
        "{token}",
    ),
    "token_rotated": (
        "Shop {shop_id} has a new JSON API token; the old one stopped working just now.",
        "Butik {shop_id} har fået en ny JSON API-nøgle; den gamle virker ikke længere.",
    ),
    "token_hidden": (
        "The JSON API token cannot be shown again: billysync keeps only a fingerprint of it. "
        "Make a new one with `billysync shop token {shop_id} --rotate` (the old one stops "
        "working at once).",
        "JSON API-nøglen kan ikke vises igen: billysync gemmer kun et fingeraftryk af den. "
        "Lav en ny med `billysync shop token {shop_id} --rotate` (den gamle holder op med at "
        "virke med det samme).",
    ),
    "saved": (
        "Shop {shop_id} was updated; check it with `billysync doctor {shop_id}`.",
        "Butik {shop_id} er opdateret; tjek den med `billysync doctor {shop_id}`.",
    ),
    "no_shops": (
        "No shops yet: add one with `billysync shop add NAME`.",
        "Ingen butikker endnu: tilføj en med `billysync shop add NAVN`.",
    ),
    "no_key": ("no Billy key", "ingen Billy-nøgle"),
    "product_created": (
        "{what} “{name}” was created in Billy and chosen for shop {shop_id}.",
        "{what} “{name}” er oprettet i Billy og valgt for butik {shop_id}.",
    ),
    "product_found": (
        "{what} “{name}” was already in Billy and is now chosen for shop {shop_id}.",
        "{what} “{name}” fandtes allerede i Billy og er nu valgt for butik {shop_id}.",
    ),
    "product_name.shipping": ("Shipping", "Fragt"),
    "product_name.discount": ("Discount", "Rabat"),
    "what.shipping": ("The shipping product", "Fragtproduktet"),
    "what.discount": ("The discount product", "Rabatproduktet"),
    "fix": ("FIX", "RET"),
    "ok": ("ok", "ok"),
    # Orders and returns
    "outcome": ("{Kind} {number}: {state}.", "{Kind} {number}: {state}."),
    "outcome_invoice": ("Billy invoice {invoice}.", "Billy-faktura {invoice}."),
    "outcome_reason": ("Reason: {reason}", "Årsag: {reason}"),
    "retry_failed": (
        "It failed again. Fix what the reason says, then run `billysync retry {shop_id} {kind} "
        "{key}` again.",
        "Det gik galt igen. Ret det, som årsagen peger på, og kør `billysync retry {shop_id} "
        "{kind} {key}` igen.",
    ),
    "retry_queued": (
        "The retry of {kind_name} {number} is stored; a running billysync (serve or worker) "
        "starts it within seconds. Follow it with `billysync status {shop_id} {kind} {key}`.",
        "Det nye forsøg med {kind_name} {number} er gemt; en kørende billysync (serve eller "
        "worker) går i gang inden for få sekunder. Følg den med `billysync status {shop_id} "
        "{kind} {key}`.",
    ),
    "retry_unfinished": (
        "Not finished within {seconds} s ({reason}). billysync keeps trying when this command "
        "runs again, or finish it from a running billysync with `billysync recover --executor "
        "{executor}`; follow it with `billysync status {shop_id} {kind} {key}`.",
        "Ikke færdig inden for {seconds} s ({reason}). billysync prøver videre, når kommandoen "
        "køres igen, eller gør den færdig fra en kørende billysync med `billysync recover "
        "--executor {executor}`; følg den med `billysync status {shop_id} {kind} {key}`.",
    ),
    "still_working": ("still working", "arbejder stadig"),
    "preview_failed": (
        "The preview could not be made: {reason}",
        "Forhåndsvisningen kunne ikke laves: {reason}",
    ),
    "preview_order": (
        "Order {number}, total {total}, is booked in Billy as:",
        "Ordre {number} på i alt {total} bogføres i Billy sådan:",
    ),
    "preview_in_billy": (
        "It is already in Billy as invoice {invoice}: this is what billysync would book now.",
        "Den er allerede i Billy som faktura {invoice}: sådan ville billysync bogføre den nu.",
    ),
    "preview_invoice": ("Invoice lines:", "Fakturalinjer:"),
    "preview_vat": ("VAT", "moms"),
    "preview_totals": (
        "Net {net}, VAT {vat}, total {gross}.",
        "Netto {net}, moms {vat}, i alt {gross}.",
    ),
    "preview_payment": (
        "Payment: {amount} posted to the payment account.",
        "Betaling: {amount} bogføres på betalingskontoen.",
    ),
    "preview_new_products": (
        "Products created in Billy first: {items}.",
        "Produkter, der først oprettes i Billy: {items}.",
    ),
    "preview_stops": (
        "The booking would stop here:",
        "Bogføringen ville stoppe her:",
    ),
    # Reconciliation and backfill (the finding and plan words are the pages', texts_books.py)
    "period_unreadable": (
        "Write the dates as YYYY-MM-DD, e.g. --from 2026-11-01 --to 2026-11-30 (got {first} "
        "and {last}).",
        "Skriv datoerne som ÅÅÅÅ-MM-DD, fx --from 2026-11-01 --to 2026-11-30 (fik {first} "
        "og {last}).",
    ),
    "period_swapped": (
        "The period ends ({last}) before it starts ({first}): swap the dates.",
        "Perioden slutter ({last}), før den begynder ({first}): byt om på datoerne.",
    ),
    "repair_unknown": (
        "“{kind}” is not a finding that can be repaired: give one of {kinds}, or all.",
        "“{kind}” er ikke en afvigelse, der kan rettes: angiv en af {kinds}, eller all.",
    ),
    "repair_unsafe": (
        "{kind} would change a document already booked in Billy, so it is never repaired "
        "automatically: correct it in Billy (`billysync reconcile` says how for each finding).",
        "{kind} ville ændre et bilag, der allerede er bogført i Billy, så det rettes aldrig "
        "automatisk: ret det i Billy (`billysync reconcile` skriver for hver afvigelse, "
        "hvordan).",
    ),
    "recon_checked": ("{period}: checked {checked}.", "{period}: kontrolleret {checked}."),
    "finding_line": (
        "{name} ({code}): {kind} {order}, Billy document {document}; shop {expected}, "
        "Billy {actual}",
        "{name} ({code}): {kind} {order}, bilag i Billy {document}; butik {expected}, "
        "Billy {actual}",
    ),
    "repairs_done": (
        "Repairs: {requested} booked through the normal workflow, {resolved} already in Billy "
        "again, {left} left for you to correct in Billy.",
        "Rettelser: {requested} bogført via den normale overførsel, {resolved} findes allerede "
        "i Billy igen, {left} skal du selv rette i Billy.",
    ),
    "plan_totals": (
        "{count} {what} to book: net {net}, VAT {vat}, total {gross}",
        "{count} {what} til bogføring: netto {net}, moms {vat}, i alt {gross}",
    ),
    "backfill_org_locked": (
        "Billy has locked the organization ({reason}): resolve it in Billy, then start the "
        "backfill again.",
        "Billy har låst virksomheden ({reason}): få det løst i Billy, og start så "
        "overførslen igen.",
    ),
    "backfill_bar": ("Backfill", "Overførsel"),
    "backfill_outcome": (
        "Backfill: {state}. {finished} booked or settled, {failed} failed, {adopted} adopted "
        "from Billy, {locked} in a locked period.",
        "Overførsel: {state}. {finished} bogført eller afklaret, {failed} fejlet, {adopted} "
        "overtaget fra Billy, {locked} i en låst periode.",
    ),
    # Anything else
    "shop_unreachable": (
        "The shop could not be reached ({reason}): try again later.",
        "Butikken kunne ikke nås ({reason}): prøv igen senere.",
    ),
    "billy_unreachable": (
        "Billy could not be reached ({reason}): try again in a moment.",
        "Billy kunne ikke nås ({reason}): prøv igen om lidt.",
    ),
    "not_configured": ("{reason}", "{reason}"),
    "bad_setting": (
        "{names} in the environment is not valid: correct it (see the README's settings).",
        "{names} i miljøet er ikke gyldig: ret den (se indstillingerne i README).",
    ),
    "unexpected": (
        "billysync stopped on an unexpected error ({error}). Nothing more was done; run the "
        "command again, and report it if it happens again.",
        "billysync stoppede på en uventet fejl ({error}). Der blev ikke gjort mere; kør "
        "kommandoen igen, og meld fejlen, hvis den sker igen.",
    ),
}
