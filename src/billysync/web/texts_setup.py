"""The texts of logging in, the shops list, the settings and the setup check (English, Danish).

Part of the catalogue in i18n.py; kept apart only to keep each module readable.
"""

from __future__ import annotations

# key: (English, Danish)
SETUP_TEXTS: dict[str, tuple[str, str]] = {
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
        "This is the first visit. Type the one-time code from the server's console and choose "
        "the password that protects these pages; it is stored only as a hash.",
        "Dette er første besøg. Skriv engangskoden fra serverens konsol, og vælg den "
        "adgangskode, der beskytter disse sider; den gemmes kun som en hash.",
    ),
    "setup.code": ("One-time setup code", "Engangskode"),
    "setup.code_help": (
        "billysync printed it when the server started, in the console where it runs: the "
        "terminal, or the service's log (e.g. journalctl -u billysync or docker logs). "
        "Restarting the server prints a new one.",
        "billysync skrev koden, da serveren startede, i konsollen, hvor den kører: terminalen "
        "eller tjenestens log (fx journalctl -u billysync eller docker logs). Genstarter du "
        "serveren, skriver den en ny kode.",
    ),
    "setup.code_wrong": (
        "That setup code is not right. Copy it from the server's console; restarting the "
        "server prints a new one.",
        "Engangskoden er forkert. Kopiér den fra serverens konsol; genstarter du serveren, "
        "skriver den en ny kode.",
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
    "shops.created_shoporama": (
        "Shop “{name}” was added. Now connect it to Billy and to Shoporama below.",
        "Butikken “{name}” er tilføjet. Forbind den nu med Billy og Shoporama herunder.",
    ),
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
    "settings.title": ("Settings", "Indstillinger"),
    "settings.financial": ("Financial system", "Økonomisystem"),
    "settings.supplier": ("Supplier", "Leverandør"),
    "settings.supplier.billy": ("Billy", "Billy"),
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
    "settings.billy_rate": (
        "Most calls to Billy per second",
        "Højst antal kald til Billy pr. sekund",
    ),
    "settings.billy_rate_help": (
        "Leave empty for {default} per second. billysync slows down by itself when Billy "
        "answers that it gets too many calls; lower the number if Billy has given you a "
        "smaller limit.",
        "Lad feltet være tomt for {default} pr. sekund. billysync sænker selv farten, når "
        "Billy svarer, at den får for mange kald; sæt tallet ned, hvis Billy har givet jer "
        "en lavere grænse.",
    ),
    "settings.accounts_products": ("Accounts and products", "Konti og produkter"),
    "settings.advanced": ("Advanced: Billy API address", "Avanceret: Billy API-adresse"),
    "settings.sales_account": ("Sales account", "Salgskonto"),
    "settings.sales_account_help": (
        "The revenue account products are booked to.",
        "Den indtægtskonto produkter bogføres på.",
    ),
    "settings.shipping_product": ("Shipping product", "Fragtprodukt"),
    "settings.discount_product": ("Discount product", "Rabatprodukt"),
    "settings.create_shipping": ("Create Shipping product in Billy", "Opret fragtprodukt i Billy"),
    "settings.create_discount": ("Create Discount product in Billy", "Opret rabatprodukt i Billy"),
    "settings.product_created.shipping": (
        "“{name}” was created in Billy and saved as the shipping product.",
        "“{name}” er oprettet i Billy og gemt som fragtprodukt.",
    ),
    "settings.product_created.discount": (
        "“{name}” was created in Billy and saved as the discount product.",
        "“{name}” er oprettet i Billy og gemt som rabatprodukt.",
    ),
    "settings.product_found.shipping": (
        "Billy already has “{name}” (product no. {number}); it is saved as the shipping product.",
        "Billy har allerede “{name}” (varenr. {number}); det er gemt som fragtprodukt.",
    ),
    "settings.product_found.discount": (
        "Billy already has “{name}” (product no. {number}); it is saved as the discount product.",
        "Billy har allerede “{name}” (varenr. {number}); det er gemt som rabatprodukt.",
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
    "settings.org_locked": (
        "The Billy organization “{org}” is locked ({reason}): sort it out in Billy first.",
        "Billy-organisationen “{org}” er låst ({reason}): løs det i Billy først.",
    ),
    "settings.rate_invalid": (
        "Write a number of calls per second above 0 and at most {max}, e.g. 10 or 2.5.",
        "Skriv et antal kald pr. sekund over 0 og højst {max}, fx 10 eller 2,5.",
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
    "settings.unknown_fee_account": (
        "That account is not an expense account in Billy: choose one from the list.",
        "Den konto er ikke en udgiftskonto i Billy: vælg en fra listen.",
    ),
    "settings.method_missing": (
        "Name the payment method, as the shop names it (e.g. MobilePay).",
        "Angiv betalingsmetoden, som butikken kalder den (fx MobilePay).",
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
        "This is the address you are using now. If Shoporama cannot reach it from the "
        "internet, ask whoever runs billysync to set its public address.",
        "Det er den adresse, du bruger lige nu. Kan Shoporama ikke nå den fra internettet, så "
        "bed den, der driver billysync, om at sætte tjenestens offentlige adresse.",
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
    "check.title": ("Setup check", "Opsætningstjek"),
    "check.intro": (
        "Run this before the first order: each line says what to fix in Billy or here.",
        "Kør tjekket før den første ordre. Hver linje fortæller, hvad der skal rettes i Billy "
        "eller her.",
    ),
    "check.ok": ("OK", "OK"),
    "check.fail": ("Fix", "Ret"),
    "check.all_ok": ("Everything is ready.", "Alt er klar."),
    "check.some_fail": (
        "{count} things to fix before orders can be transferred.",
        "{count} ting skal rettes, før ordrer kan overføres.",
    ),
    "check.one_fail": (
        "1 thing to fix before orders can be transferred.",
        "1 ting skal rettes, før ordrer kan overføres.",
    ),
    "check.run_again": ("Check again", "Tjek igen"),
    # why Billy could not be used while connecting (billy_trouble.py)
    "billy_trouble.key_refused": (
        "Billy refuses the key{detail}. Make a new access token in Billy (Settings → Access "
        "tokens) and paste it here.",
        "Billy afviser nøglen{detail}. Lav en ny adgangsnøgle i Billy (Indstillinger → "
        "Adgangsnøgler), og indsæt den her.",
    ),
    "billy_trouble.address": (
        "Billy's API did not answer at {address}{detail}. Check the address under “Advanced”, "
        "or leave it empty to use Billy itself.",
        "Billys API svarede ikke på {address}{detail}. Tjek adressen under “Avanceret”, eller "
        "lad feltet stå tomt for at bruge Billy selv.",
    ),
    "billy_trouble.unavailable": (
        "Billy is not answering right now{detail}. Nothing was changed: try again in a moment.",
        "Billy svarer ikke lige nu{detail}. Intet er ændret: prøv igen om lidt.",
    ),
    "settings.key_broken": (
        "The saved key no longer works",
        "Den gemte nøgle virker ikke længere",
    ),
    "settings.unsaved": ("not saved yet", "ikke gemt endnu"),
    "settings.unsaved_notice": (
        "The choices marked “not saved yet” are suggestions from Billy. Check them and press "
        "Save to use them.",
        "Valgene markeret “ikke gemt endnu” er forslag fra Billy. Tjek dem, og tryk Gem for at "
        "bruge dem.",
    ),
}
