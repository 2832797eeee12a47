"""The setup check's findings in the merchant's language, by the engine's codes.

`billysync.sync.service` names each finding (`topic`) and its outcome (`code`) and gives the
parameters; the English wording there is the fallback. Keys: `checkname.<topic>` and
`checkmsg.<code>`. A code without its Danish text fails at import, so the two stay in step.
"""

from __future__ import annotations

from billysync.sync.setup_check import CHECK_MESSAGES, CHECK_NAMES

_DANISH_NAMES = {
    "key": "Billy API-nøgle",
    "open": "Organisationen er åben",
    "sales": "Salgskonto",
    "shipping": "Fragtprodukt",
    "discount": "Rabatprodukt",
    "payment": "Bogføring af betalinger",
    "vat": "Momsregler",
    "numbering": "Nummerering",
    "billy": "Forbindelse til Billy",
    "shoporama": "Forbindelse til Shoporama",
    "webhooks": "Shoporama-webhooks",
}

_DANISH_MESSAGES = {
    "key.missing": (
        "Indtast Billy API-nøglen (Billy → Indstillinger → Adgangsnøgler) under "
        "Indstillinger → Økonomisystem."
    ),
    "key.ok": "Gyldig for organisationen {organization}.",
    "open.locked": (
        "Billy har låst organisationen ({reason}): løs det i Billy, før ordrer kan bogføres."
    ),
    "open.ok": "Organisationen er ikke låst.",
    "sales.missing": "Vælg salgskontoen for produkter.",
    "sales.gone": "Den valgte salgskonto findes ikke længere i Billy: vælg en anden.",
    "sales.not_revenue": "{account} er ikke en indtægtskonto: vælg en.",
    "sales.ok": "{account}.",
    "product.missing": "Vælg produktet, eller opret det i Billy med ét klik.",
    "product.gone": "Det valgte produkt findes ikke længere i Billy: vælg et andet.",
    "product.ok": "{product}.",
    "payment.off": "Slået fra: betalinger bogføres ikke automatisk.",
    "payment.missing": (
        "Vælg kontoen, betalinger bogføres på, eller slå bogføring af betalinger fra."
    ),
    "payment.not_enabled": (
        "{account} tager ikke imod betalinger i Billy: vælg en konto med betalinger slået til."
    ),
    "payment.ok": "Betalinger bogføres på {account}.",
    "vat.ok": "{count} momsregelsæt kan læses.",
    "vat.none": "Billy sendte ingen momsregelsæt: se organisationens momsindstillinger i Billy.",
    "numbering.too_long": "Hold ordrenummerets præfiks på højst 10 tegn.",
    "numbering.ok": (
        "Billy nummererer fakturaerne ({mode}); ordrenumrene i Billy begynder med {prefix}"
    ),
    "numbering.manual": (
        "Fakturanummereringen i Billy er manuel, så Billy afviser fakturaer uden nummer: "
        "skift til automatisk (fortløbende) nummerering i Billys fakturaindstillinger."
    ),
    "billy.error": "{reason}",
    "shoporama.ok": "Forbundet.",
    "shoporama.missing": "Indtast Shoporamas REST-adresse og API-nøgle.",
    "webhooks.ok": "Webhook-hemmeligheden er gemt.",
    "webhooks.missing": (
        "Indsæt webhookens hemmelighed fra Shoporama, så dens hændelser kan kontrolleres."
    ),
}

# key: (English, Danish)
CHECK_TEXTS: dict[str, tuple[str, str]] = {
    # Billy's invoiceNoMode (docs/billy-api.md §3.1), shown inside the numbering finding.
    "billy.invoice_no_mode.sequential": ("one after another", "fortløbende"),
    **{f"checkname.{k}": (v, _DANISH_NAMES[k]) for k, v in CHECK_NAMES.items()},
    **{f"checkmsg.{k}": (v, _DANISH_MESSAGES[k]) for k, v in CHECK_MESSAGES.items()},
}
