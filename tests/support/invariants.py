"""docs/invariants.md §1's invariants, checked against the Billy emulator's own ledger.

Each check returns a list of violations in words (empty when the invariant holds), so a
failing test names every broken order at once instead of stopping at the first. I1–I5
and I7 read only what Billy holds; I6 reads our transfers and inbox and DBOS's workflow
table, because "nothing stays in progress" is a statement about our side.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from billysync.emulators.billy import BillyEmulator
from billysync.mapping.markers import contact_marker, order_marker, return_marker
from billysync.money import parse_money
from billysync.store import transfers
from billysync.store.tables import InboxEvent
from billysync.sync.runtime import Runtime
from tests.support.workload import Workload

# Products every shop has in Billy before the first order (sync_harness.make_shop).
SETUP_PRODUCTS = {"SHIPPING", "DISCOUNT"}


def money(value: Any) -> Decimal:
    return parse_money(value)


def paid_amount(payments: list[dict]) -> Decimal:
    return sum((money(p["cashAmount"]) for p in payments), Decimal(0))


def check_ledger(emu: BillyEmulator, token: str, workload: Workload, prefix: str) -> list[str]:
    """I1–I5 for one shop's organization; anything in it that is not the shop's is I7."""
    ledger = emu.ledger(token)
    problems: list[str] = []
    invoices = ledger.invoices_by_order_no()
    unmarked = [i["id"] for i in ledger.invoices() if not i.get("orderNo")]
    if unmarked:
        problems.append(f"I1: invoices without an orderNo: {unmarked}")
    expected = {order_marker(prefix, o.number): o for o in workload.paid}
    for marker in invoices:
        if marker not in expected:
            problems.append(f"I1/I7: invoice {marker} is not a paid order of this shop")
    for o in workload.unpaid:
        if order_marker(prefix, o.number) in invoices:
            problems.append(f"I1: order {o.number} was never paid but has an invoice")
    contact_ids = {c["id"]: c for c in ledger.contacts()}
    for marker, o in expected.items():
        found = invoices.get(marker, [])
        if len(found) != 1:
            problems.append(f"I1: order {o.number} has {len(found)} invoices, not 1")
            continue
        invoice = found[0]
        if invoice["state"] != "approved":
            problems.append(f"I1: invoice {marker} is {invoice['state']}, not approved")
        if money(invoice["grossAmount"]) != o.total:
            problems.append(f"I2: invoice {marker} is {invoice['grossAmount']}, order {o.total}")
        contact = contact_ids.get(invoice["contactId"])
        want_contact = contact_marker(prefix, o.customer.key)
        if contact is None or contact.get("contactNo") != want_contact:
            problems.append(f"I5: invoice {marker} is not on contact {want_contact}")
        payments = ledger.payments_for(invoice["id"])
        received = o.payment.amount if o.payment else Decimal(0)
        if len(payments) != 1 or paid_amount(payments) != received:
            amounts = [p["cashAmount"] for p in payments]
            problems.append(f"I3: invoice {marker} has payments {amounts}; received {received}")
        elif not invoice["isPaid"]:
            problems.append(f"I3: invoice {marker} is paid in full but Billy says it is not")
    problems += _check_credit_notes(emu, token, workload, prefix)
    problems += _check_payments_have_documents(emu, token)
    problems += _check_contacts(emu, token, workload, prefix)
    problems += _check_products(emu, token, workload)
    return problems


def _check_credit_notes(
    emu: BillyEmulator, token: str, workload: Workload, prefix: str
) -> list[str]:
    ledger = emu.ledger(token)
    problems: list[str] = []
    invoices = ledger.invoices_by_order_no()
    notes: dict[str, list[dict]] = {}
    for note in ledger.credit_notes():
        notes.setdefault(note.get("orderNo") or "", []).append(note)
    expected = {return_marker(prefix, o.number, r.key): (o, r) for o, r in workload.returns}
    for marker in notes:
        if marker not in expected:
            problems.append(f"I4/I7: credit note {marker!r} is not a return of this shop")
    for marker, (o, r) in expected.items():
        found = notes.get(marker, [])
        if len(found) != 1:
            problems.append(f"I4: return {r.key} has {len(found)} credit notes, not 1")
            continue
        note = found[0]
        invoice_ids = [i["id"] for i in invoices.get(order_marker(prefix, o.number), [])]
        if [note["creditedInvoiceId"]] != invoice_ids:
            problems.append(f"I4: credit note {marker} credits {note['creditedInvoiceId']}")
        if money(note["grossAmount"]) != r.amount:
            problems.append(f"I4: credit note {marker} is {note['grossAmount']}, return {r.amount}")
        returned = Counter({ln.item_number: ln.quantity for ln in r.lines})
        product_nos = {p["id"]: p.get("productNo") for p in ledger.products()}
        credited = Counter(
            {
                product_nos.get(ln["productId"]): money(ln["quantity"])
                for ln in note["lines"]
                if product_nos.get(ln["productId"]) not in SETUP_PRODUCTS
            }
        )
        if credited != returned:
            problems.append(f"I4: credit note {marker} lines {credited} ≠ returned {returned}")
        refunds = ledger.payments_for(note["id"])
        if r.refunded and (len(refunds) != 1 or paid_amount(refunds) != r.amount):
            amounts = [p["cashAmount"] for p in refunds]
            problems.append(f"I3: credit note {marker} refunds {amounts}; paid back {r.amount}")
    return problems


def _check_payments_have_documents(emu: BillyEmulator, token: str) -> list[str]:
    ledger = emu.ledger(token)
    documents = {f"invoice:{d['id']}" for d in ledger.invoices() + ledger.credit_notes()}
    problems = []
    for payment in ledger.bank_payments():
        if payment["isVoided"]:
            continue
        subjects = [a["subjectReference"] for a in payment["associations"]]
        if not subjects or any(s not in documents for s in subjects):
            problems.append(f"I3: payment {payment['id']} pays {subjects}: no such document")
    return problems


def _check_contacts(emu: BillyEmulator, token: str, workload: Workload, prefix: str) -> list[str]:
    problems = []
    by_marker: dict[str, list[dict]] = {}
    for contact in emu.ledger(token).contacts():
        by_marker.setdefault(contact.get("contactNo") or "", []).append(contact)
    expected = {contact_marker(prefix, c.key): c for c in workload.customers().values()}
    for marker in by_marker:
        if marker not in expected:
            problems.append(f"I5/I7: contact {marker!r} is no invoiced customer of this shop")
    for marker, customer in expected.items():
        found = by_marker.get(marker, [])
        if len(found) != 1:
            problems.append(f"I5: customer {customer.key} has {len(found)} contacts, not 1")
        elif (found[0]["name"], found[0]["type"]) != (customer.display_name, customer.kind):
            problems.append(f"I5: contact {marker} is {found[0]['name']!r}/{found[0]['type']}")
    return problems


def _check_products(emu: BillyEmulator, token: str, workload: Workload) -> list[str]:
    problems = []
    by_number: dict[str, list[dict]] = {}
    for product in emu.ledger(token).products():
        by_number.setdefault(product.get("productNo") or "", []).append(product)
    expected = workload.items()
    for number in by_number:
        if number not in expected and number not in SETUP_PRODUCTS:
            problems.append(f"I5/I7: product {number!r} is no item of this shop's orders")
    for number, name in expected.items():
        found = by_number.get(number, [])
        if len(found) != 1:
            problems.append(f"I5: item {number} has {len(found)} Billy products, not 1")
        elif found[0]["name"] != name:
            problems.append(f"I5: product {number} is named {found[0]['name']!r}, not {name!r}")
    return problems


def check_transfers(rt: Runtime, shop_id: int, workload: Workload) -> list[str]:
    """I6: every order and return ended where it should, with nothing left in progress."""
    problems = []
    expected = {("order", o.key): "paid" for o in workload.paid}
    expected |= {("order", o.key): "waiting" for o in workload.unpaid}
    expected |= {("return", r.key): "credited" for _, r in workload.returns}
    with rt.db.session() as session:
        rows = {
            (t.kind, t.object_key): t
            for t in transfers.list_transfers(session, shop_id, limit=100_000)
        }
        stuck_events = (
            session.query(InboxEvent)
            .filter(InboxEvent.shop_id == shop_id, InboxEvent.state.in_(["new", "queued"]))
            .count()
        )
        for (kind, key), state in expected.items():
            row = rows.get((kind, key))
            if row is None:
                problems.append(f"I6: {kind} {key} has no transfer")
            elif row.state != state:
                why = f" ({row.error_kind}: {row.reason})" if row.state == "failed" else ""
                problems.append(f"I6: {kind} {key} is {row.state!r}, not {state!r}{why}")
            elif row.state == "failed" and not row.reason:
                problems.append(f"I6: {kind} {key} failed without a reason")
        extra = set(rows) - set(expected)
        if extra:
            problems.append(f"I6/I7: transfers of objects this shop never sent: {sorted(extra)}")
    if stuck_events:
        problems.append(f"I6: {stuck_events} inbox events were never worked")
    return problems


def unfinished_workflows() -> list[str]:
    """I6: DBOS holds no workflow still pending or queued, and none that crashed."""
    from dbos import DBOS

    stuck = DBOS.list_workflows(
        status=["PENDING", "ENQUEUED", "DELAYED", "ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"],
        load_input=False,
        load_output=False,
    )
    return [f"I6: workflow {w.workflow_id} is {w.status}" for w in stuck]
