"""The texts of the VAT settings and the OSS report (English, Danish).

Part of the catalogue in i18n.py. They say what each choice means for the books, because a
merchant picks these with their bookkeeper (docs/vat.md has the legal basis).
"""

from __future__ import annotations

# key: (English, Danish)
VAT_TEXTS: dict[str, tuple[str, str]] = {
    "nav.oss": ("OSS report", "OSS-rapport"),
    "vat.title": ("VAT", "Moms"),
    "vat.intro": (
        "billysync books VAT by the customer's country and type: 25 % Danish VAT in Denmark, "
        "reverse charge (no VAT) for EU companies with an EU VAT number, Danish VAT for other "
        "EU customers, and no VAT on exports outside the EU.",
        "billysync bogfører moms efter kundens land og type: 25 % dansk moms i Danmark, "
        "omvendt betalingspligt (ingen moms) for EU-virksomheder med et EU-momsnummer, dansk "
        "moms for andre kunder i EU og ingen moms ved eksport uden for EU.",
    ),
    "vat.oss": (
        "Registered for the EU One Stop Shop (OSS)",
        "Registreret i EU's One Stop Shop (OSS)",
    ),
    "vat.oss_help": (
        "Tick this when your sales to consumers in other EU countries exceed EUR 10,000 a year "
        "(or you have chosen OSS) and you are registered for OSS with the Danish Tax Agency. "
        "Consumers in other EU countries are then charged their own country's VAT, and "
        "billysync creates the needed VAT rates in Billy. You report and pay that VAT "
        "quarterly in the OSS return, not in the Danish VAT return: the OSS report shows the "
        "figures.",
        "Sæt kryds, når dit salg til forbrugere i andre EU-lande overstiger 10.000 euro om "
        "året (eller du har valgt OSS), og du er registreret til OSS hos Skattestyrelsen. "
        "Forbrugere i andre EU-lande betaler så deres eget lands moms, og billysync opretter "
        "de nødvendige momssatser i Billy. Den moms indberetter og betaler du hvert kvartal i "
        "OSS-angivelsen, ikke i den danske momsangivelse: OSS-rapporten viser tallene.",
    ),
    "vat.gift_cards": ("Gift cards", "Gavekort"),
    "vat.gift_cards.line": (
        "A line without VAT on the discount product (recommended)",
        "En linje uden moms på rabatvaren (anbefalet)",
    ),
    "vat.gift_cards.line_help": (
        "A gift card that can buy anything in the shop is a means of payment: the goods keep "
        "their full VAT, and the card is taken off the invoice on a line with no VAT.",
        "Et gavekort, der kan bruges til alt i butikken, er et betalingsmiddel: varerne beholder "
        "hele momsen, og kortet trækkes fra fakturaen på en linje uden moms.",
    ),
    "vat.gift_cards.payment": (
        "A payment from a gift-card account",
        "En betaling fra en gavekortkonto",
    ),
    "vat.gift_cards.payment_help": (
        "The invoice shows the goods at full price, and the gift card is posted as a payment "
        "from the account below (for example the account where sold gift cards are owed). "
        "Needs automatic payment posting.",
        "Fakturaen viser varerne til fuld pris, og gavekortet bogføres som en betaling fra "
        "kontoen herunder (fx kontoen for solgte, ikke indløste gavekort). Kræver automatisk "
        "bogføring af betalinger.",
    ),
    "vat.gift_card_account": ("Gift-card account", "Gavekortkonto"),
    "vat.discounts_note": (
        "Discount codes are price reductions: they lower the VAT like any lower price.",
        "Rabatkoder er prisnedslag: de sænker momsen som enhver lavere pris.",
    ),
    "vat.save": ("Save VAT settings", "Gem momsindstillinger"),
    "vat.saved": ("The VAT settings are saved.", "Momsindstillingerne er gemt."),
    "vat.need_account": (
        "Choose the gift-card account, or book gift cards as a line.",
        "Vælg gavekortkontoen, eller bogfør gavekort som en linje.",
    ),
    "vat.unknown_account": (
        "That account does not take payments in Billy; choose one from the list.",
        "Den konto kan ikke modtage betalinger i Billy; vælg en fra listen.",
    ),
    "vat.same_account": (
        "Choose another account than the payment account, so the two payments can be told apart.",
        "Vælg en anden konto end betalingskontoen, så de to betalinger kan skelnes.",
    ),
    "vat.need_posting": (
        "Gift cards as payments need automatic payment posting: turn it on above first.",
        "Gavekort som betalinger kræver automatisk bogføring af betalinger: slå det til "
        "ovenfor først.",
    ),
    "vat.treatment.domestic": (
        "VAT: Danish customer, 25 % Danish VAT.",
        "Moms: dansk kunde, 25 % dansk moms.",
    ),
    "vat.treatment.eu_danish_vat": (
        "VAT: customer in another EU country without an EU VAT number, 25 % Danish VAT.",
        "Moms: kunde i et andet EU-land uden EU-momsnummer, 25 % dansk moms.",
    ),
    "vat.treatment.reverse_charge": (
        "VAT: EU company with an EU VAT number, no VAT (reverse charge).",
        "Moms: EU-virksomhed med EU-momsnummer, ingen moms (omvendt betalingspligt).",
    ),
    "vat.treatment.oss": (
        "VAT: consumer in another EU country, that country's VAT (OSS).",
        "Moms: forbruger i et andet EU-land, landets egen moms (OSS).",
    ),
    "vat.treatment.export": (
        "VAT: customer outside the EU, no VAT (export).",
        "Moms: kunde uden for EU, ingen moms (eksport).",
    ),
    "oss.title": ("OSS report", "OSS-rapport"),
    "oss.intro": (
        "Sales to consumers in other EU countries booked with OSS VAT in Billy, per country "
        "and rate, credit notes subtracted. Copy the figures into the OSS return at "
        "skat.dk. Amounts are in each invoice's currency; the OSS return converts other "
        "currencies at the European Central Bank's rate on the quarter's last day.",
        "Salg til forbrugere i andre EU-lande bogført med OSS-moms i Billy, pr. land og sats, "
        "med kreditnotaer trukket fra. Overfør tallene til OSS-angivelsen på skat.dk. Beløb "
        "er i fakturaens valuta; i OSS-angivelsen omregnes andre valutaer til Den Europæiske "
        "Centralbanks kurs på kvartalets sidste dag.",
    ),
    "oss.quarter": ("Quarter", "Kvartal"),
    "oss.show": ("Show", "Vis"),
    "oss.download": ("Download CSV", "Hent CSV"),
    "oss.country": ("Country", "Land"),
    "oss.rate": ("VAT rate", "Momssats"),
    "oss.currency": ("Currency", "Valuta"),
    "oss.net": ("Net sales", "Salg uden moms"),
    "oss.vat": ("VAT", "Moms"),
    "oss.documents": ("Invoices and credit notes", "Fakturaer og kreditnotaer"),
    "oss.empty": (
        "No sales with OSS VAT in this quarter.",
        "Intet salg med OSS-moms i dette kvartal.",
    ),
    "oss.not_registered": (
        "The shop is not registered for OSS (Settings → VAT); EU consumers pay Danish VAT.",
        "Butikken er ikke registreret til OSS (Indstillinger → Moms); forbrugere i EU "
        "betaler dansk moms.",
    ),
    "oss.bad_quarter": (
        "Choose a quarter as year and quarter, e.g. 2026-Q4.",
        "Vælg et kvartal som år og kvartal, fx 2026-Q4.",
    ),
    "oss.failed": (
        "Billy could not be read: {reason}",
        "Billy kunne ikke læses: {reason}",
    ),
}
