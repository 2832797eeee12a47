"""The admin pages' texts in English and Danish: one small catalogue, no framework.

`translate(lang, key, **params)` looks a key up and fills `{name}` placeholders. A missing key
shows the key itself (a test checks every key used in templates and code exists in both
languages). The language is the merchant's choice, kept in the session; the first guess is
the browser's `Accept-Language`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGUAGES = ("en", "da")
DEFAULT_LANGUAGE = "da"

# key: (English, Danish)
MESSAGES: dict[str, tuple[str, str]] = {
    # layout and navigation
    "app.name": ("billysync", "billysync"),
    "app.tagline": ("Webshop bookkeeping in Billy", "Webshop-bogføring i Billy"),
    "nav.shops": ("Shops", "Butikker"),
    "nav.overview": ("Overview", "Oversigt"),
    "nav.failed": ("Failed", "Fejlet"),
    "nav.products": ("Products", "Produkter"),
    "nav.preview": ("Preview", "Forhåndsvisning"),
    "nav.settings": ("Settings", "Indstillinger"),
    "nav.check": ("Setup check", "Opsætningstjek"),
    "nav.logout": ("Log out", "Log ud"),
    "nav.language": ("Dansk", "English"),
    "common.save": ("Save", "Gem"),
    "common.cancel": ("Cancel", "Annullér"),
    "common.back": ("Back", "Tilbage"),
    "common.none": ("—", "—"),
    "common.choose": ("Choose…", "Vælg…"),
    "common.yes": ("Yes", "Ja"),
    "common.no": ("No", "Nej"),
    "common.search": ("Search", "Søg"),
    "common.filter": ("Filter", "Filtrér"),
    "common.all": ("All", "Alle"),
    "common.from": ("From", "Fra"),
    "common.to": ("To", "Til"),
    "common.show": ("Show", "Vis"),
    "error.title": ("Something is wrong", "Noget er galt"),
    "error.not_found": ("Not found: it does not exist here.", "Ikke fundet: det findes ikke her."),
    "error.csrf": (
        "The form had expired or was not sent from this site. Nothing was changed: reload "
        "the page and try again.",
        "Formularen var udløbet eller kom ikke fra dette site. Intet blev ændret: genindlæs "
        "siden og prøv igen.",
    ),
    "error.billy_unreachable": (
        "Billy could not be reached ({reason}). Try again in a moment.",
        "Billy kunne ikke nås ({reason}). Prøv igen om lidt.",
    ),
    "error.engine_missing": (
        "This part of the engine is not available yet: {what}.",
        "Denne del af motoren er ikke tilgængelig endnu: {what}.",
    ),
    # login and first run
    "login.title": ("Log in", "Log ind"),
    "login.password": ("Admin password", "Administratoradgangskode"),
    "login.submit": ("Log in", "Log ind"),
    "login.wrong": ("That password is not right.", "Adgangskoden er forkert."),
    "login.throttled": (
        "Too many attempts. Wait {seconds} seconds and try again.",
        "For mange forsøg. Vent {seconds} sekunder og prøv igen.",
    ),
    "setup.title": ("Choose the admin password", "Vælg administratoradgangskoden"),
    "setup.intro": (
        "This is the first visit. Choose the password that protects these pages; it is stored "
        "only as a hash.",
        "Dette er første besøg. Vælg den adgangskode, der beskytter disse sider; den gemmes "
        "kun som en hash.",
    ),
    "setup.password": ("New password", "Ny adgangskode"),
    "setup.confirm": ("The same password again", "Samme adgangskode igen"),
    "setup.submit": ("Set password and log in", "Gem adgangskode og log ind"),
    "password.too_short": (
        "Use at least 10 characters.",
        "Brug mindst 10 tegn.",
    ),
    "password.mismatch": (
        "The two passwords differ: type the same password twice.",
        "De to adgangskoder er forskellige: skriv den samme to gange.",
    ),
    # shops
    "shops.title": ("Shops", "Butikker"),
    "shops.empty": (
        "No shops yet. Add your first shop below.",
        "Ingen butikker endnu. Tilføj din første butik nedenfor.",
    ),
    "shops.name": ("Name", "Navn"),
    "shops.platform": ("Platform", "Platform"),
    "shops.billy": ("Billy organization", "Billy-organisation"),
    "shops.not_connected": ("not connected", "ikke forbundet"),
    "shops.add": ("Add shop", "Tilføj butik"),
    "shops.add_title": ("Add a shop", "Tilføj en butik"),
    "shops.platform.shoporama": ("Shoporama", "Shoporama"),
    "shops.platform.generic": ("Any shop (JSON API)", "Enhver butik (JSON API)"),
    "shops.name_missing": ("Give the shop a name.", "Giv butikken et navn."),
    "shops.platform_invalid": ("Choose Shoporama or JSON API.", "Vælg Shoporama eller JSON API."),
    "shops.created": ("Shop “{name}” was added.", "Butikken “{name}” er tilføjet."),
    "shops.token_title": ("The shop's JSON API token", "Butikkens JSON API-nøgle"),
    "shops.token_once": (
        "Copy it now: it is shown only this once (only a hash is kept). Send it as "
        "“Authorization: Bearer <token>” to /api/v1/….",
        "Kopiér den nu: den vises kun denne ene gang (kun en hash gemmes). Send den som "
        "“Authorization: Bearer <token>” til /api/v1/….",
    ),
    "shops.token_rotate": ("New API token", "Ny API-nøgle"),
    "shops.token_rotate_confirm": (
        "Make a new API token? The old one stops working at once.",
        "Lav en ny API-nøgle? Den gamle holder op med at virke med det samme.",
    ),
    "shops.continue": ("Continue to the settings", "Fortsæt til indstillingerne"),
    "shops.remove": ("Remove", "Fjern"),
    "shops.remove_title": ("Remove “{name}”?", "Fjern “{name}”?"),
    "shops.remove_text": (
        "This removes the shop, its settings and its transfer history from billysync. Nothing "
        "is deleted in Billy or in the shop.",
        "Dette fjerner butikken, dens indstillinger og dens overførselshistorik fra billysync. "
        "Intet slettes i Billy eller i butikken.",
    ),
    "shops.remove_confirm": ("Yes, remove the shop", "Ja, fjern butikken"),
    "shops.removed": ("Shop “{name}” was removed.", "Butikken “{name}” er fjernet."),
    # settings: financial system
    "settings.title": ("Settings", "Indstillinger"),
    "settings.financial": ("Financial system", "Økonomisystem"),
    "settings.supplier": ("Supplier", "Leverandør"),
    "settings.supplier.billy": ("Billy's Billing", "Billy's Billing"),
    "settings.api_key": ("API key", "API-nøgle"),
    "settings.api_key_help": (
        "Made in Billy under Settings → Access tokens. Checked with Billy when you save.",
        "Laves i Billy under Indstillinger → Adgangsnøgler. Tjekkes hos Billy når du gemmer.",
    ),
    "settings.api_key_stored": (
        "A key ending in {last4} is saved. Leave the field empty to keep it.",
        "En nøgle der ender på {last4} er gemt. Lad feltet være tomt for at beholde den.",
    ),
    "settings.organization": ("Organization", "Organisation"),
    "settings.billy_url": ("Billy API address", "Billy API-adresse"),
    "settings.billy_url_help": (
        "Leave empty for Billy itself ({default}).",
        "Lad feltet være tomt for Billy selv ({default}).",
    ),
    "settings.sales_account": ("Sales account", "Salgskonto"),
    "settings.sales_account_help": (
        "The revenue account products are booked to.",
        "Den indtægtskonto produkter bogføres på.",
    ),
    "settings.shipping_product": ("Shipping product", "Fragtprodukt"),
    "settings.discount_product": ("Discount product", "Rabatprodukt"),
    "settings.create_shipping": ("Create Shipping product in Billy", "Opret fragtprodukt i Billy"),
    "settings.create_discount": ("Create Discount product in Billy", "Opret rabatprodukt i Billy"),
    "settings.product_created": (
        "“{name}” was created in Billy and chosen.",
        "“{name}” er oprettet i Billy og valgt.",
    ),
    "settings.product_found": (
        "Billy already has “{name}” (product no. {number}); it is chosen.",
        "Billy har allerede “{name}” (varenr. {number}); det er valgt.",
    ),
    "settings.trigger": ("Transfer orders", "Overfør ordrer"),
    "settings.trigger.paid": ("when paid", "når de er betalt"),
    "settings.trigger.shipped": ("when shipped", "når de er afsendt"),
    "settings.post_payments": ("Post payments automatically", "Bogfør betalinger automatisk"),
    "settings.payment_account": ("Payment account", "Betalingskonto"),
    "settings.payment_account_help": (
        "A Billy account that takes payments (bank or payment provider).",
        "En Billy-konto der kan modtage betalinger (bank eller betalingsudbyder).",
    ),
    "settings.order_prefix": ("Order-number prefix", "Præfiks for ordrenumre"),
    "settings.order_prefix_help": (
        "Put before the shop's order numbers in Billy, e.g. “WEB-”; at most {max} characters, "
        "no spaces.",
        "Sættes foran butikkens ordrenumre i Billy, fx “WEB-”; højst {max} tegn, ingen mellemrum.",
    ),
    "settings.need_key": (
        "Save a valid API key first: then the accounts and products are read from Billy.",
        "Gem en gyldig API-nøgle først: så læses konti og produkter fra Billy.",
    ),
    "settings.saved": ("The settings were saved.", "Indstillingerne er gemt."),
    "settings.key_saved": (
        "The key works: connected to “{org}”. Now choose the accounts and products.",
        "Nøglen virker: forbundet til “{org}”. Vælg nu konti og produkter.",
    ),
    "settings.fix_below": (
        "Nothing was saved. Fix what is marked below.",
        "Intet blev gemt. Ret det der er markeret nedenfor.",
    ),
    "settings.key_refused": (
        "Billy refused this key ({reason}). Check that you copied the whole access token from "
        "Billy.",
        "Billy afviste nøglen ({reason}). Tjek at du har kopieret hele adgangsnøglen fra Billy.",
    ),
    "settings.key_unchecked": (
        "The key could not be checked: Billy did not answer ({reason}). Try again in a moment.",
        "Nøglen kunne ikke tjekkes: Billy svarede ikke ({reason}). Prøv igen om lidt.",
    ),
    "settings.org_locked": (
        "The Billy organization “{org}” is locked ({reason}): sort it out in Billy first.",
        "Billy-organisationen “{org}” er låst ({reason}): løs det i Billy først.",
    ),
    "settings.url_invalid": (
        "Write a full address starting with https:// (or http:// for a local test server).",
        "Skriv en fuld adresse der starter med https:// (eller http:// for en lokal testserver).",
    ),
    "settings.choose_sales_account": (
        "Choose the sales account products are booked to.",
        "Vælg den salgskonto produkter bogføres på.",
    ),
    "settings.unknown_sales_account": (
        "That account is not a revenue account in Billy: choose one from the list.",
        "Den konto er ikke en indtægtskonto i Billy: vælg en fra listen.",
    ),
    "settings.choose_shipping": (
        "Choose the shipping product, or create it in Billy with the button.",
        "Vælg fragtproduktet, eller opret det i Billy med knappen.",
    ),
    "settings.choose_discount": (
        "Choose the discount product, or create it in Billy with the button.",
        "Vælg rabatproduktet, eller opret det i Billy med knappen.",
    ),
    "settings.unknown_product": (
        "That product is not in Billy (any more): choose one from the list.",
        "Det produkt findes ikke (længere) i Billy: vælg et fra listen.",
    ),
    "settings.choose_payment_account": (
        "Choose the account payments are posted to, or turn payment posting off.",
        "Vælg den konto betalinger bogføres på, eller slå betalingsbogføring fra.",
    ),
    "settings.unknown_payment_account": (
        "That account does not take payments in Billy: choose one from the list.",
        "Den konto kan ikke modtage betalinger i Billy: vælg en fra listen.",
    ),
    "settings.trigger_invalid": (
        "Choose when orders are transferred: when paid or when shipped.",
        "Vælg hvornår ordrer overføres: når de er betalt eller når de er afsendt.",
    ),
    "settings.prefix_invalid": (
        "Use at most {max} characters and no spaces in the prefix, e.g. “WEB-”.",
        "Brug højst {max} tegn og ingen mellemrum i præfikset, fx “WEB-”.",
    ),
    "settings.api_key_again": (
        "Enter the API key again when you change the Billy address: a saved key is only sent "
        "to the address it was checked with.",
        "Indtast API-nøglen igen når du ændrer Billy-adressen: en gemt nøgle sendes kun til "
        "den adresse den blev tjekket mod.",
    ),
    "settings.other_org": (
        "This key belongs to another organization (“{org}”): choose the accounts and products "
        "again.",
        "Nøglen hører til en anden organisation (“{org}”): vælg konti og produkter igen.",
    ),
    "settings.product_name.shipping": ("Shipping", "Fragt"),
    "settings.product_name.discount": ("Discount", "Rabat"),
    "settings.lists_failed": (
        "The lists could not be read from Billy ({reason}).",
        "Listerne kunne ikke læses fra Billy ({reason}).",
    ),
    # settings: shop connection
    "connection.title": ("Shop connection", "Butiksforbindelse"),
    "connection.intro_generic": (
        "This shop sends its orders, returns and products to the JSON API (see /docs).",
        "Denne butik sender sine ordrer, returneringer og produkter til JSON API'et (se /docs).",
    ),
    "connection.base_url": ("Shoporama REST address", "Shoporama REST-adresse"),
    "connection.token": ("Shoporama API token", "Shoporama API-nøgle"),
    "connection.webhook_secret": ("Webhook secret", "Webhook-hemmelighed"),
    "connection.signature_header": ("Signature header", "Signatur-header"),
    "connection.webhook_url": (
        "Webhook address to paste into Shoporama",
        "Webhook-adresse der skal sættes ind i Shoporama",
    ),
    "connection.public_url_missing": (
        "Set BILLYSYNC_PUBLIC_URL to the address Shoporama reaches this service at; until then "
        "this shows the address you are using now.",
        "Sæt BILLYSYNC_PUBLIC_URL til den adresse Shoporama når denne tjeneste på; indtil da "
        "vises den adresse du bruger nu.",
    ),
    "connection.secret_stored": (
        "Saved (ending in {last4}). Leave empty to keep it.",
        "Gemt (ender på {last4}). Lad feltet være tomt for at beholde den.",
    ),
    "connection.secret_missing": ("Not set yet.", "Ikke sat endnu."),
    "connection.header_invalid": (
        "A header name has only letters, digits and “-”, e.g. X-Shoporama-Signature.",
        "Et header-navn har kun bogstaver, tal og “-”, fx X-Shoporama-Signature.",
    ),
    "connection.token_again": (
        "Enter the Shoporama token again when you change the REST address: a saved token is "
        "only sent to the address it was entered for.",
        "Indtast Shoporama-nøglen igen når du ændrer REST-adressen: en gemt nøgle sendes kun "
        "til den adresse den blev indtastet til.",
    ),
    "connection.saved": ("The shop connection was saved.", "Butiksforbindelsen er gemt."),
    "connection.save": ("Save connection", "Gem forbindelse"),
    # setup check
    "check.title": ("Setup check", "Opsætningstjek"),
    "check.intro": (
        "Run this before the first order: each line says what to fix in Billy or here.",
        "Kør dette før den første ordre: hver linje siger hvad der skal rettes i Billy eller her.",
    ),
    "check.ok": ("OK", "OK"),
    "check.fail": ("Fix", "Ret"),
    "check.all_ok": ("Everything is ready.", "Alt er klar."),
    "check.some_fail": (
        "{count} thing(s) to fix before orders can be transferred.",
        "{count} ting skal rettes før ordrer kan overføres.",
    ),
    "check.run_again": ("Check again", "Tjek igen"),
    # overview
    "overview.title": ("Overview", "Oversigt"),
    "overview.state": ("State", "Status"),
    "overview.order": ("Order", "Ordre"),
    "overview.kind": ("Kind", "Type"),
    "overview.date": ("Date", "Dato"),
    "overview.invoice": ("Billy invoice", "Billy-faktura"),
    "overview.amount": ("Amount", "Beløb"),
    "overview.reason": ("Reason", "Årsag"),
    "overview.updated": ("Updated", "Opdateret"),
    "overview.search_placeholder": ("Order number…", "Ordrenummer…"),
    "overview.empty": (
        "No orders match. Orders appear here as soon as the shop sends them.",
        "Ingen ordrer passer. Ordrer vises her, så snart butikken sender dem.",
    ),
    "overview.more": ("Showing the newest {count}.", "Viser de nyeste {count}."),
    "kind.order": ("order", "ordre"),
    "kind.return": ("return", "returnering"),
    "state.received": ("received", "modtaget"),
    "state.waiting": ("waiting for trigger", "venter på udløser"),
    "state.transferred": ("transferred", "overført"),
    "state.paid": ("paid", "betalt"),
    "state.credited": ("credited", "krediteret"),
    "state.failed": ("failed", "fejlet"),
    "state.skipped": ("skipped", "sprunget over"),
    # document chain
    "chain.title": ("Document chain", "Dokumentkæde"),
    "chain.steps": ("Steps and Billy calls", "Trin og Billy-kald"),
    "chain.no_steps": ("No steps recorded yet.", "Ingen trin registreret endnu."),
    "chain.documents": ("Documents in Billy", "Dokumenter i Billy"),
    "chain.no_documents": ("Nothing in Billy yet.", "Intet i Billy endnu."),
    "chain.when": ("When", "Hvornår"),
    "chain.step": ("Step", "Trin"),
    "chain.call": ("Billy call", "Billy-kald"),
    "chain.result": ("Result", "Resultat"),
    "chain.document": ("Document", "Dokument"),
    "chain.billy_id": ("Billy id", "Billy-id"),
    "chain.marker": ("Marker", "Markør"),
    "chain.not_found": (
        "billysync has nothing for this order.",
        "billysync har intet for denne ordre.",
    ),
    "doc.order": ("order", "ordre"),
    "doc.contact": ("contact", "kontakt"),
    "doc.invoice": ("invoice", "faktura"),
    "doc.payment": ("payment", "betaling"),
    "doc.credit_note": ("credit note", "kreditnota"),
    "doc.refund": ("refund", "refundering"),
    "doc.product": ("product", "produkt"),
    # failed work
    "failed.title": ("Failed work", "Fejlet arbejde"),
    "failed.empty": ("Nothing has failed.", "Intet er fejlet."),
    "failed.retry": ("Retry", "Prøv igen"),
    "failed.retry_all": ("Retry all of this kind", "Prøv alle af denne slags igen"),
    "failed.retried": ("{key} is being retried.", "{key} prøves igen."),
    "failed.retried_all": (
        "{count} item(s) are being retried.",
        "{count} er sat til at prøve igen.",
    ),
    "failed.kind.configuration": (
        "Settings: fix them under Settings or in Billy, then retry.",
        "Indstillinger: ret dem under Indstillinger eller i Billy, og prøv så igen.",
    ),
    "failed.kind.transient": (
        "Billy or the shop did not answer; retried by itself first.",
        "Billy eller butikken svarede ikke; prøves automatisk først.",
    ),
    "failed.kind.data": (
        "The order's data: correct it in the shop, then retry.",
        "Ordrens data: ret den i butikken, og prøv så igen.",
    ),
    "failed.kind.conflict": (
        "Billy has something that does not match: see the document chain.",
        "Billy har noget der ikke passer: se dokumentkæden.",
    ),
    "failed.kind.other": ("Other failures", "Andre fejl"),
    "failed.retry_everything": ("Retry everything that failed", "Prøv alt fejlet igen"),
    "failed.attempts": ("Attempts", "Forsøg"),
    # products
    "products.title": ("Products", "Produkter"),
    "products.intro": (
        "Products are kept in sync with Billy in the background; unchanged products cost no "
        "Billy call.",
        "Produkter holdes synkroniseret med Billy i baggrunden; uændrede produkter koster intet "
        "Billy-kald.",
    ),
    "products.last_pass": ("Last pass", "Seneste gennemløb"),
    "products.never": ("not yet", "endnu ikke"),
    "products.synced": ("Synced", "Synkroniseret"),
    "products.unchanged": ("Unchanged", "Uændret"),
    "products.failed": ("Failed", "Fejlet"),
    "products.last_error": ("Last error", "Seneste fejl"),
    "products.bound": ("Products in Billy", "Produkter i Billy"),
    "products.sync_now": ("Sync now", "Synkronisér nu"),
    "products.started": (
        "A product sync pass has started.",
        "Et synkroniseringsgennemløb er startet.",
    ),
    # preview
    "preview.title": ("Preview", "Forhåndsvisning"),
    "preview.intro": (
        "What would be posted to Billy for an order. Nothing is written.",
        "Hvad der ville blive sendt til Billy for en ordre. Intet skrives.",
    ),
    "preview.order_key": ("Order key", "Ordrenøgle"),
    "preview.submit": ("Preview", "Forhåndsvis"),
    "preview.contact": ("Contact", "Kontakt"),
    "preview.lines": ("Lines", "Linjer"),
    "preview.description": ("Description", "Beskrivelse"),
    "preview.product": ("Product", "Produkt"),
    "preview.quantity": ("Qty", "Antal"),
    "preview.unit_price": ("Unit price", "Enhedspris"),
    "preview.vat": ("VAT", "Moms"),
    "preview.line_total": ("Amount", "Beløb"),
    "preview.totals": ("Totals", "Totaler"),
    "preview.net": ("Net", "Netto"),
    "preview.gross": ("Total", "Total"),
    "preview.payment": ("Payment", "Betaling"),
    "preview.no_payment": ("No payment would be posted.", "Ingen betaling ville blive bogført."),
    "preview.findings": ("Findings", "Fund"),
    "preview.failed": (
        "The preview could not be made: {reason}",
        "Forhåndsvisningen kunne ikke laves: {reason}",
    ),
    "preview.other": ("Other details", "Andre detaljer"),
}


def pick_language(accept_language: str | None) -> str:
    """The first guess from the browser: Danish if it asks for Danish first, else English."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def translate(lang: str, key: str, **params: Any) -> str:
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts[1] if lang == "da" else texts[0]
    return text.format(**params) if params else text


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **params: Any) -> str:
        return translate(lang, key, **params)

    return t
