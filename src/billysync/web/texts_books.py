"""The texts of reconciliation and backfill (English, Danish): the pages, each finding and
what to do about it, and the overview's line.

Part of the catalogue in i18n.py. `finding_text` is the one place a finding becomes words,
for the page and for `billysync reconcile`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

# key: (English, Danish)
BOOKS_TEXTS: dict[str, tuple[str, str]] = {
    "nav.reconcile": ("Reconciliation", "Afstemning"),
    "nav.backfill": ("History", "Historik"),
    # reconciliation page
    "recon.title": ("Reconciliation", "Afstemning"),
    "recon.intro": (
        "Compares the shop's orders, returns and payments in a period with the invoices, "
        "credit notes and payments in Billy.",
        "Sammenholder butikkens ordrer, returneringer og betalinger i en periode med "
        "fakturaer, kreditnotaer og betalinger i Billy.",
    ),
    "recon.run": ("Reconcile", "Afstem"),
    "recon.none_yet": (
        "No reconciliation yet. Choose a period and press Reconcile.",
        "Der er ikke afstemt endnu. Vælg en periode, og tryk på Afstem.",
    ),
    "recon.matches": (
        "{period}: {orders} orders, Billy matches.",
        "{period}: {orders} ordrer, Billy stemmer.",
    ),
    "recon.has_findings": (
        "{period}: {orders} orders, {count} findings.",
        "{period}: {orders} ordrer, {count} afvigelser.",
    ),
    "recon.failed": (
        "{period} could not be reconciled: {reason}",
        "{period} kunne ikke afstemmes: {reason}",
    ),
    "recon.checked": ("Checked", "Kontrolleret"),
    "recon.when": ("Reconciled {when} ({origin})", "Afstemt {when} ({origin})"),
    "recon.origin.manual": ("from this page", "fra denne side"),
    "recon.origin.nightly": ("nightly", "om natten"),
    "recon.origin.cli": ("from the command line", "fra kommandolinjen"),
    "recon.checked.orders": ("orders", "ordrer"),
    "recon.checked.returns": ("returns", "returneringer"),
    "recon.checked.invoices": ("invoices", "fakturaer"),
    "recon.checked.credit_notes": ("credit notes", "kreditnotaer"),
    "recon.checked.payments": ("payments", "betalinger"),
    "recon.checked.unreadable": ("unreadable in the shop", "ulæselige i butikken"),
    "recon.col.finding": ("Finding", "Afvigelse"),
    "recon.col.order": ("Order", "Ordre"),
    "recon.col.document": ("Billy document", "Bilag i Billy"),
    "recon.col.expected": ("Shop", "Butik"),
    "recon.col.actual": ("Billy", "Billy"),
    "recon.col.todo": ("What to do", "Det skal du gøre"),
    "recon.repair_one": ("Book it", "Bogfør"),
    "recon.repair_all": ("Book every missing document", "Bogfør alle manglende bilag"),
    "recon.repaired": (
        "{count} documents are being booked through the normal workflow. Reconcile again "
        "in a moment to see the result.",
        "{count} bilag bliver bogført via den normale overførsel. Afstem igen om et "
        "øjeblik for at se resultatet.",
    ),
    "recon.nothing_to_repair": (
        "Billy already has them: nothing was booked.",
        "Billy har dem allerede: der blev ikke bogført noget.",
    ),
    "recon.bad_period": (
        "Choose a first and a last day (the last not before the first).",
        "Vælg en første og en sidste dag (den sidste må ikke ligge før den første).",
    ),
    "recon.overview_none": (
        "Not reconciled yet: the first nightly reconciliation runs after 03:00.",
        "Ikke afstemt endnu: den første natlige afstemning kører efter kl. 03.",
    ),
    # the findings: name, then what to do
    "finding.missing_invoice": ("Missing invoice", "Manglende faktura"),
    "finding.duplicate_invoice": ("Duplicate invoice", "Dobbelt faktura"),
    "finding.amount_mismatch": ("Amount differs", "Beløbet afviger"),
    "finding.missing_payment": ("Missing payment", "Manglende betaling"),
    "finding.duplicate_payment": ("Duplicate payment", "Dobbelt betaling"),
    "finding.missing_credit_note": ("Missing credit note", "Manglende kreditnota"),
    "finding.over_credited": ("Credited too much", "Krediteret for meget"),
    "finding.unknown_in_billy": ("Unknown in Billy", "Ukendt i Billy"),
    "todo.missing_invoice": (
        "The order was paid (or shipped) but Billy has no invoice: book it here.",
        "Ordren er betalt (eller sendt), men Billy har ingen faktura: bogfør den her.",
    ),
    "todo.missing_payment": (
        "The shop was paid but the invoice is open in Billy: book the payment here.",
        "Butikken har fået pengene, men fakturaen står åben i Billy: bogfør betalingen her.",
    ),
    "todo.missing_credit_note": (
        "The return has no credit note in Billy: book it here.",
        "Returneringen har ingen kreditnota i Billy: bogfør den her.",
    ),
    "todo.duplicate_invoice": (
        "Billy has two invoices for one order. Keep the first; in Billy, make a credit note "
        "for the whole of invoice {document}.",
        "Billy har to fakturaer for samme ordre. Behold den første, og lav i Billy en "
        "kreditnota på hele faktura {document}.",
    ),
    "todo.amount_mismatch": (
        "The invoice's total is not the order's. Check the order; in Billy, credit invoice "
        "{document} and book it again with the right amount.",
        "Fakturaens total er ikke ordrens. Tjek ordren, kreditér faktura {document} i Billy, "
        "og bogfør den igen med det rigtige beløb.",
    ),
    "todo.duplicate_payment": (
        "The invoice is paid twice. In Billy, void payment {document} (Bank → the payment → Void).",
        "Fakturaen er betalt to gange. Annullér betalingen {document} i Billy (Bank → "
        "betalingen → Annullér).",
    ),
    "todo.over_credited": (
        "More is credited than was invoiced. Check the credit notes in Billy; if credit note "
        "{document} is one too many, reverse it with an invoice.",
        "Der er krediteret mere, end der er faktureret. Gennemgå kreditnotaerne i Billy, og "
        "modpostér kreditnota {document} med en faktura, hvis den er én for meget.",
    ),
    "todo.unknown_in_billy": (
        "Document {document} carries this shop's order number but matches no order in the shop. "
        "Check who booked it; credit it in Billy if it should not be there.",
        "Bilag {document} har butikkens ordrenummer, men passer ikke til nogen ordre i butikken. "
        "Find ud af, hvem der har bogført det, og kreditér det i Billy, hvis det ikke skal "
        "være der.",
    ),
    "todo.locked": (
        "The period is locked in Billy until {until}: unlock it in Billy and book it here, "
        "or book it in Billy by hand.",
        "Perioden er låst i Billy til og med {until}: lås den op i Billy, og bogfør den så "
        "her, eller bogfør den selv i Billy.",
    ),
    # backfill page
    "backfill.title": ("Transfer history", "Overfør historik"),
    "backfill.intro": (
        "Books the shop's earlier orders and returns into Billy with their original dates. "
        "Orders Billy already has are adopted, never booked twice. Start with a dry run.",
        "Bogfører butikkens tidligere ordrer og returneringer i Billy med deres oprindelige "
        "datoer. Ordrer, som Billy allerede har, bliver overtaget og aldrig bogført to "
        "gange. Start med en prøvekørsel.",
    ),
    "backfill.dry_run": ("Dry run", "Prøvekørsel"),
    "backfill.start": ("Book the period", "Bogfør perioden"),
    "backfill.stop": ("Pause", "Sæt på pause"),
    "backfill.resume": ("Resume", "Fortsæt"),
    "backfill.plan": ("What would be booked", "Det vil blive bogført"),
    "backfill.kind": ("Documents", "Bilag"),
    "backfill.count": ("Number", "Antal"),
    "backfill.net": ("Net", "Netto"),
    "backfill.vat": ("VAT", "Moms"),
    "backfill.gross": ("Total", "I alt"),
    "backfill.orders": ("Invoices ({currency})", "Fakturaer ({currency})"),
    "backfill.returns": ("Credit notes ({currency})", "Kreditnotaer ({currency})"),
    "backfill.nothing": ("Nothing to book in this period.", "Intet at bogføre i perioden."),
    "backfill.adopted": (
        "Already in Billy, adopted rather than booked again: {count}",
        "Findes allerede i Billy og overtages i stedet for at blive bogført igen: {count}",
    ),
    "backfill.already": (
        "Transferred before: {count}",
        "Overført tidligere: {count}",
    ),
    "backfill.waiting": (
        "Not due (not paid or shipped, or cancelled): {count}",
        "Skal ikke bogføres (ikke betalt eller sendt, eller annulleret): {count}",
    ),
    "backfill.would_fail": ("Would fail", "Vil fejle"),
    "backfill.locked": ("In a locked period", "I en låst periode"),
    "backfill.progress": ("Progress", "Fremdrift"),
    "backfill.progress_line": (
        "{done} of {total} done: {failed} failed, {adopted} adopted, {locked} in a locked period.",
        "{done} af {total} færdige: {failed} fejlet, {adopted} overtaget, {locked} i en "
        "låst periode.",
    ),
    "backfill.state.running": ("Running", "I gang"),
    "backfill.state.done": ("Done", "Færdig"),
    "backfill.state.stopped": ("Paused", "På pause"),
    "backfill.state.planned": ("Planned", "Planlagt"),
    "backfill.started": (
        "The backfill has started; this page shows how far it is.",
        "Overførslen er i gang; siden her viser, hvor langt den er.",
    ),
    "backfill.budget_spent": (
        "Shoporama's daily call budget is spent: the returns follow when it renews at "
        "midnight (UTC).",
        "Shoporamas daglige kvote af kald er brugt: returneringerne følger, når den "
        "fornyes ved midnat (UTC).",
    ),
    "backfill.org_locked": (
        "Billy has locked the organization: resolve it in Billy, then start again.",
        "Billy har låst virksomheden: få det løst i Billy, og start så igen.",
    ),
}


def finding_text(lang: str, finding: Any) -> str:
    """What to do about a finding, in `lang` (the Billy document named where there is one)."""
    from billysync.sync.reconcile import Repair

    key = "todo.locked" if finding.repair is Repair.LOCKED else f"todo.{finding.kind.value}"
    text = BOOKS_TEXTS[key][1 if lang == "da" else 0]
    until = finding.locked_until.isoformat() if finding.locked_until else "—"
    return text.format(document=finding.document or finding.order, until=until)


MONTHS = (
    ("January", "januar"),
    ("February", "februar"),
    ("March", "marts"),
    ("April", "april"),
    ("May", "maj"),
    ("June", "juni"),
    ("July", "juli"),
    ("August", "august"),
    ("September", "september"),
    ("October", "oktober"),
    ("November", "november"),
    ("December", "december"),
)


def period_label(lang: str, period: Any) -> str:
    """ "November 2026" for a whole month, else the two days as the merchant writes dates."""
    first, last = period.first, period.last
    following = (last + timedelta(days=1)).day == 1
    if first.day == 1 and following and (first.year, first.month) == (last.year, last.month):
        name = MONTHS[first.month - 1][1 if lang == "da" else 0]
        return f"{name.capitalize()} {first.year}"  # it opens the sentence wherever it is used
    pattern = "%d-%m-%Y" if lang == "da" else "%Y-%m-%d"
    return f"{first.strftime(pattern)} – {last.strftime(pattern)}"
