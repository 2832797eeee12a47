"""Failure reasons and step-log lines in the merchant's language, by the engine's codes.

`billysync.sync.reasons` names each text by a code and keeps its English; the Danish is here.
Keys: `reason.<code>`, `place.<place>` (where the fix is made) and `setting.<code>` (the
settings a reason can name). A code without its Danish text fails at import, so the two stay
in step. `render_stored` turns what the engine stored into one text (the CLI, the API);
`render_stored_html` gives a page the sentence with Billy's own words (a reason's quote) set
apart as a quoted detail, marked as Billy's and in English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup

from billysync.shop.problems import decode_problems
from billysync.sync.reasons import (
    QUOTE_LABELS,
    REASON_TEXTS,
    SETTING_NAMES,
    VAT_MODES,
    Place,
    Reason,
    decode,
)

_DANISH: dict[str, str] = {
    "settings.incomplete": "Butikken er ikke sat op endnu: vælg {setting} under Indstillinger, "
    "og prøv igen.",
    "settings.billy_key": (
        "Billy afviste API-nøglen. Indtast en gyldig nøgle under Indstillinger → Økonomisystem, "
        "og prøv igen."
    ),
    "settings.billy_address": (
        "Billys adresse er forkert, så Billy kunne ikke nås. Ret den under Indstillinger → "
        "Økonomisystem, og prøv igen."
    ),
    "settings.payment_account": (
        "Billy afviste betalingskontoen. Vælg en konto, der kan modtage betalinger, "
        "under Indstillinger → Økonomisystem, og prøv igen."
    ),
    "settings.sales_account": (
        "Billy afviste salgskontoen. Vælg en indtægtskonto under Indstillinger → "
        "Økonomisystem, og prøv igen."
    ),
    "settings.product": (
        "Billy afviste fragt- eller rabatproduktet. Vælg produktet igen under "
        "Indstillinger → Økonomisystem, og prøv igen."
    ),
    "settings.shop_token": (
        "Butikken afviste vores adgangsnøgle. Indtast en gyldig nøgle under Indstillinger → "
        "Butik, og prøv igen."
    ),
    "settings.payment_currency": (
        "Betalingen er i {currency}, men betalingskontoen er i {account_currency}. Vælg en "
        "betalingskonto i ordrens valuta under Indstillinger → Økonomisystem, og prøv igen."
    ),
    "billy.locked": (
        "Billy ville ikke bogføre for organisationen (den er måske låst, eller abonnementet er "
        "udløbet). Løs det i Billy, og prøv igen."
    ),
    "billy.record_gone": (
        "Noget, billysync tidligere har oprettet, findes ikke længere i Billy. Se i Billy, om "
        "det er slettet, og prøv igen."
    ),
    "billy.duplicate": (
        "Billy har {document} til ordren mere end én gang. Slet dubletten i Billy, og prøv igen."
    ),
    "billy.payment_mismatch": (
        "Butikken har modtaget {received}, men fakturaen lyder på {invoiced}. Betalingen er ikke "
        "bogført: registrér den selv i Billy, eller ret ordren i butikken."
    ),
    "billy.unsupported": (
        "Billy tager ikke imod det, billysync bad om. Det er en fejl i billysync: kontakt support."
    ),
    "billy.vat_rate": (
        "Billy afviste momssatsen på en linje i {document}. Tjek i Billy, at organisationens "
        "momssatser for salg er aktive, og prøv igen."
    ),
    "billy.contact": (
        "Billy afviste kundens kontakt på {document}; den er måske slettet eller arkiveret i "
        "Billy. Tjek kontakten i Billy, og prøv igen."
    ),
    "billy.period_locked": (
        "Datoen på {document} ligger i en periode, der er låst i Billy, så Billy vil ikke "
        "bogføre den. Flyt låsedatoen for regnskabsåret i Billy (eller spørg din bogholder), "
        "og prøv igen."
    ),
    "billy.period_locked_until": (
        "Perioden er låst i Billy til og med {until}, og {document} er dateret i den. Lås "
        "perioden op i Billy, eller bogfør selv i Billy; prøv så igen."
    ),
    "billy.invoice_currency": (
        "Fakturaen i Billy er i {invoice_currency}, men ordren er i {currency}: fakturaen hører "
        "ikke til ordren. Tjek fakturaen i Billy, og prøv igen."
    ),
    "billy.invoice_negative": (
        "Fakturaen i Billy er på under 0, så der kan ikke bogføres en betaling på den. Tjek "
        "fakturaen i Billy, og prøv igen."
    ),
    "billy.no_email": (
        "Kundens kontakt i Billy har ingen person med en e-mailadresse, så fakturaen kan ikke "
        "sendes på mail. Tilføj en på kontakten i Billy (eller slå fakturamails fra under "
        "Indstillinger), og prøv igen."
    ),
    "shop.invalid": (
        "Ordrens data fra butikken kan ikke bruges: {problems}. Ret ordren i butikken, og prøv "
        "igen."
    ),
    "shop.billy_refused": (
        "Billy afviste {document}, som billysync lavede ud fra ordren. Tjek ordrens kunde, "
        "linjer og beløb i butikken, og prøv igen."
    ),
    "shop.product_refused": (
        "Billy afviste produktet, som butikken beskriver det (navn, varenummer eller pris). "
        "Tjek produktet i butikken; den næste produktsynkronisering prøver det igen."
    ),
    "shop.customer": (
        "Billy afviste kundens oplysninger (fx navn, adresse eller land). Ret kunden på ordren "
        "i butikken, og prøv igen."
    ),
    "shop.totals_mismatch": (
        "Butikkens total er {shop_total}, men {document} ville give {billy_total} i Billy. "
        "Intet er bogført. Tjek ordrens linjer, rabatter, fragt og moms i butikken, og prøv igen."
    ),
    "shop.missing_product": (
        "Varenummer {item} har intet produkt i Billy. Kør produktsynkroniseringen, eller tjek "
        "varenummeret i butikken, og prøv igen."
    ),
    "shop.gone": "Butikken har den ikke: tjek nummeret i butikken.",
    "shop.other": (
        "Ordren kan ikke bogføres, som butikken sendte den. Tjek ordren i butikken, og prøv igen."
    ),
    "shop.return_quantity": (
        "Vare {item} er returneret med antal {quantity}; et returneret antal skal være over 0. "
        "Ret returneringen i butikken, og prøv igen."
    ),
    "shop.return_shipping": (
        "Returneringen tilbagebetaler {amount} i fragt; det kan ikke være under 0. Ret "
        "returneringen i butikken, og prøv igen."
    ),
    "shop.return_negative": (
        "Kreditnotaen for returneringen ville blive på under 0. Tjek returneringens linjer og "
        "tilbagebetalte fragt i butikken, og prøv igen."
    ),
    "shop.return_other_order": (
        "Returneringen hører til ordre {theirs}, ikke ordre {ours}. Tjek returneringen i "
        "butikken, og prøv igen."
    ),
    "shop.return_currency": (
        "Returneringen er i {return_currency} {return_incl}, men ordren er i {order_currency} "
        "{order_incl}; en kreditnota skal bruge fakturaens valuta og priser. Ret returneringen "
        "i butikken, og prøv igen."
    ),
    "shop.exchange_rate": (
        "Betalingens valutakurs bliver 0, når den afrundes. Tjek ordrens valuta og beløb i "
        "butikken, og prøv igen."
    ),
    "shop.value_too_long": (
        "En tekst i ordren (fx ordrenummeret eller et varenummer) er længere, end billysync kan "
        "gemme: forkort den i butikken, og prøv så ordren igen."
    ),
    "shop.value_out_of_range": (
        "Et beløb, tal eller en dato i ordren er uden for det gyldige område: ret det i "
        "butikken, og prøv så ordren igen."
    ),
    "shop.date_unreadable": (
        "En dato i ordren kan ikke læses: ret den i butikken, og prøv så ordren igen."
    ),
    "shop.value_bad_characters": (
        "En tekst i ordren indeholder tegn, der ikke kan gemmes (fx et NUL-tegn): ret den i "
        "butikken, og prøv så ordren igen."
    ),
    "shop.value_unstorable": (
        "En værdi i ordren kan ikke gemmes (for lang, uden for området eller ugyldig tekst): "
        "ret den i butikken, og prøv så ordren igen."
    ),
    "wait.billy_unavailable": "Billy svarede ikke.",
    "wait.billy_unconfirmed": (
        "Billy bekræftede ikke, om {document} blev gemt. Vi ser efter i Billy, før vi prøver "
        "igen, så intet bogføres to gange."
    ),
    "wait.billy_slow_down": "Billy bad os sætte farten ned.",
    "wait.busy": "Ordren er ved at blive behandlet lige nu.",
    "wait.shop_unavailable": "Butikken svarede ikke.",
    "wait.unexpected": "Der skete en uventet fejl ({error}).",
    "wait.database": "Databasen kunne ikke gøre arbejdet færdigt lige nu ({error}).",
    "wait.retry_at": "Vi prøver igen kl. {at} (forsøg {attempt}).",
    "wait.gave_up": "Vi gav op efter {attempt} forsøg: prøv igen, når det virker igen.",
    "log.reference": "Læste organisationens momsregler og konti i Billy.",
    "log.created": "Oprettede {document} i Billy.",
    "log.adopted": "Brugte {document}, som allerede fandtes i Billy.",
    "log.product_updated": "Opdaterede produkt {number} i Billy.",
    "log.transferred": "Faktureret i Billy.",
    "log.paid": "Faktureret i Billy, og betalingen er bogført.",
    "log.credited": "Kreditnotaen er bogført i Billy.",
    "log.refunded": "Kreditnotaen og tilbagebetalingen er bogført i Billy.",
    "log.never_invoiced": "Ordren blev aldrig faktureret: der er intet at kreditere.",
    "log.not_paid": "Ikke betalt endnu: ordren bogføres, når den er betalt.",
    "log.not_shipped": "Ikke afsendt endnu: ordren bogføres, når den er afsendt.",
    "log.cancelled": "Annulleret i butikken: intet at bogføre.",
    "log.changed_after_invoice": (
        "Ændret i butikken, efter den blev faktureret: Billy har faktura {invoice} på "
        "{invoiced}; butikkens total er nu {total}. Intet er ændret i Billy. Er ændringen "
        "reel, så lav en returnering i butikken for det, der blev trukket fra, eller bogfør "
        "forskellen selv i Billy."
    ),
    "log.changed_after_payment": (
        "Ændret i butikken, efter den blev faktureret: Billy har faktura {invoice} på "
        "{invoiced} og betalingen; butikkens total er nu {total}. Intet er ændret i Billy. Er "
        "ændringen reel, så lav en returnering i butikken for det, der blev trukket fra, eller "
        "bogfør forskellen selv i Billy."
    ),
    "log.cancelled_after_invoice": (
        "Annulleret i butikken, efter den blev faktureret: kreditér den i Billy (eller lav en "
        "returnering i butikken), hvis pengene skal tilbage."
    ),
    "log.older_copy": "En ældre udgave af ordren blev ignoreret.",
    "log.return_waiting": "Venter på, at ordren bliver faktureret i Billy.",
    "log.gone": "Butikken har den ikke længere: intet at bogføre.",
    "log.shop_removed": "Butikken er fjernet fra billysync.",
    "log.retry_requested": "Du har bedt om et nyt forsøg: det kører om lidt.",
    "log.adopted_by_backfill": (
        "Billy havde allerede faktura {invoice} til ordren, bogført uden om billysync: "
        "overførslen af historik overtog den i stedet for at bogføre den igen."
    ),
    "log.repair_requested": (
        "Afstemningen viste, at den mangler i Billy: den bogføres igen via den normale overførsel."
    ),
}

_DANISH_SETTINGS = {
    "billy_key": "Billy API-nøglen",
    "sales_account": "salgskontoen til produkter",
    "shipping_product": "fragtproduktet",
    "discount_product": "rabatproduktet",
    "payment_account": "kontoen, betalinger bogføres på (eller slå bogføring af betalinger fra)",
    "shop_connection": "butikkens adresse og adgangsnøgle",
    "gift_card_account": "gavekortkontoen (eller bogfør gavekort som en linje)",
}

# A document named in a reason: English after "the", Danish in its definite form.
_DOCUMENTS = {
    "invoice": ("invoice", "fakturaen"),
    "payment": ("payment", "betalingen"),
    "contact": ("contact", "kontakten"),
    "product": ("product", "produktet"),
    "credit_note": ("credit note", "kreditnotaen"),
    "refund": ("refund", "tilbagebetalingen"),
    "document": ("document", "dokumentet"),
}

_PLACES = {
    Place.SETTINGS: ("Fix in billysync's settings", "Rettes i billysyncs indstillinger"),
    Place.BILLY: ("Fix in Billy", "Rettes i Billy"),
    Place.SHOP: ("Fix in the shop", "Rettes i butikken"),
    Place.WAIT: ("Nothing to do: we retry", "Intet at gøre: vi prøver igen"),
    Place.LOG: ("", ""),
}

_DANISH_QUOTE_LABELS = {"billy": "Billy svarede", "detail": "Teknisk detalje"}
_DANISH_VAT_MODES = {"True": "inkl. moms", "False": "ekskl. moms"}

# key: (English, Danish)
REASON_CATALOGUE: dict[str, tuple[str, str]] = {
    **{f"reason.{code}": (text, _DANISH[code]) for code, text in REASON_TEXTS.items()},
    **{f"setting.{code}": (name, _DANISH_SETTINGS[code]) for code, name in SETTING_NAMES.items()},
    **{f"thedoc.{kind}": texts for kind, texts in _DOCUMENTS.items()},
    **{f"place.{place.value}": texts for place, texts in _PLACES.items() if texts[0]},
    **{f"quoteby.{by}": (label, _DANISH_QUOTE_LABELS[by]) for by, label in QUOTE_LABELS.items()},
    **{f"vatmode.{mode}": (words, _DANISH_VAT_MODES[mode]) for mode, words in VAT_MODES.items()},
}


def render_reason(reason: Reason, t: Callable[..., str]) -> str:
    """One reason in the language of `t` (web/i18n.translator)."""
    return t(f"reason.{reason.code}", **_params(reason.params, t))


def render_stored(stored: str | None, t: Callable[..., str]) -> str:
    """What the engine stored (a reason, or the plain words of an older version) as one text:
    the sentence, then any quote as `Billy said: "…"`."""
    sentence, quote = _sentence_and_quote(stored, t)
    return f"{sentence} {quote[0]}: \u201c{quote[1]}\u201d" if quote else sentence


def render_stored_html(stored: str | None, t: Callable[..., str]) -> str | Markup:
    """The same for a page: the quote apart, as Billy's English words (`data-from="billy"`).
    Without a quote it is the plain sentence (the template escapes it)."""
    sentence, quote = _sentence_and_quote(stored, t)
    if quote is None:
        return sentence
    label, words = quote
    return Markup(
        '{} <span class="quote-detail">{}: <q data-from="billy" lang="en">{}</q></span>'
    ).format(sentence, label, words)


def _sentence_and_quote(
    stored: str | None, t: Callable[..., str]
) -> tuple[str, tuple[str, str] | None]:
    found = decode(stored)
    if found is None:
        return "", None
    if found.reason is None:
        return found.plain, None
    text = render_reason(found.reason, t)
    if found.retry is not None:
        text = f"{text} {render_reason(found.retry, t)}"
    quote = found.reason.quote
    return text, (t(f"quoteby.{found.reason.quote_by}"), quote) if quote else None


def stored_place(stored: str | None) -> str | None:
    """Where the fix for a stored reason is made (`place.<value>` key), if it says."""
    found = decode(stored)
    if found is None or found.reason is None or found.reason.place is Place.LOG:
        return None
    return f"place.{found.reason.place.value}"


def _params(params: Mapping[str, str], t: Callable[..., str]) -> dict[str, str]:
    words = dict(params)
    if "document" in words:
        words["document"] = t(f"thedoc.{words['document']}")
    if "setting" in words:
        names = [t(f"setting.{code}") for code in words["setting"].split(",") if code]
        words["setting"] = ", ".join(names)
    for name, value in params.items():
        if name.endswith("_incl"):
            words[name] = t(f"vatmode.{value}")
    if params.get("problem_list"):
        problems = [
            f"{p.field}: {t(f'problem.{p.code}', **p.params)}"
            if p.field
            else t(f"problem.{p.code}", **p.params)
            for p in decode_problems(params["problem_list"])
        ]
        words["problems"] = "; ".join(problems) or words.get("problems", "")
    return words
