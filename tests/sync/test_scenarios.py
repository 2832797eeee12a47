"""Orders, payments, returns and products end to end through DBOS.

Each scenario is checked in the Billy emulator's own ledger, not in our database.
"""

from __future__ import annotations

from decimal import Decimal

from billysync.money import parse_money
from billysync.shop.models import Customer, Discount, GiftCard, Shipping
from billysync.store import shops
from billysync.store.tables import Shop
from tests.support.shop_builders import company, giving_back, line, order, person, product
from tests.support.sync_harness import Harness


def money(value: object) -> Decimal:
    return parse_money(value)


def invoices(h: Harness) -> list[dict]:
    return [i for i in h.emu.ledger(h.token).invoices() if i["type"] == "invoice"]


def credit_notes(h: Harness) -> list[dict]:
    return list(h.emu.ledger(h.token).credit_notes())


def payments(h: Harness) -> list[dict]:
    return [p for p in h.emu.ledger(h.token).bank_payments() if not p.get("isVoided")]


def test_person_order_paid_with_payment_posting(harness: Harness) -> None:
    h = harness
    o = order("1001", lines=(line("TS-RED-M", "T-shirt", "2", "149.95", variant="Rød, M"),))
    h.push("order", o)
    h.settle()

    [contact] = h.emu.ledger(h.token).contacts()
    assert contact["type"] == "person"
    assert contact["name"] == "Jens Hansen"
    assert (contact["street"], contact["zipcodeText"], contact["cityText"]) == (
        "Vestergade 1",
        "8000",
        "Aarhus C",
    )
    assert contact["countryId"] == "DK" and contact["phone"] == "12345678"
    assert contact["contactNo"] == "C-cust-1"

    [invoice] = invoices(h)
    assert invoice["orderNo"] == "101001"
    assert invoice["state"] == "approved" and invoice["invoiceNo"]
    assert invoice["taxMode"] == "incl" and invoice["currencyId"] == "DKK"
    assert invoice["entryDate"] == "2026-11-20"
    assert money(invoice["grossAmount"]) == o.total == Decimal("338.90")
    assert money(invoice["tax"]) == Decimal("67.78")  # 338.90 × 0.2, VAT rounded once
    descriptions = [ln["description"] for ln in invoice["lines"]]
    assert any("T-shirt" in d and "Rød, M" in d for d in descriptions)
    assert any("GLS Pakkeshop" in d for d in descriptions)
    assert invoice["isPaid"] is True and money(invoice["balance"]) == 0

    [payment] = payments(h)
    assert money(payment["cashAmount"]) == o.total
    assert payment["cashAccountId"] == h.accounts[5710]
    assert payment["entryDate"] == "2026-11-20"
    assert h.transfer(key="1001")["state"] == "paid"


def test_company_with_cvr_and_public_customer_with_ean(harness: Harness) -> None:
    h = harness
    h.push("order", order("2001", customer=company()))
    public = Customer(
        key="kommune", name="Indkøb", company_name="Aarhus Kommune", ean="5798000000001"
    )
    h.push("order", order("2002", customer=public))
    h.settle()
    contacts = {c["contactNo"]: c for c in h.emu.ledger(h.token).contacts()}
    assert contacts["C-cust-co"]["type"] == "company"
    assert contacts["C-cust-co"]["name"] == "Hansen ApS"
    assert contacts["C-cust-co"]["registrationNo"] == "12345678"
    assert contacts["C-kommune"]["type"] == "company"
    assert contacts["C-kommune"]["ean"] == "5798000000001"
    assert len(invoices(h)) == 2


def test_several_lines_discount_code_and_gift_card(harness: Harness) -> None:
    h = harness
    o = order(
        "3001",
        lines=(
            line("TS-RED-M", "T-shirt", "2", "149.95", variant="Rød, M"),
            line("MUG-1", "Krus", "3", "89.00"),
            line("CAP-1", "Kasket", "1", "199.00", discount="20.00"),
        ),
        discounts=(Discount(code="SOMMER10", amount=Decimal("50.00")),),
        gift_cards=(GiftCard(code="GC-778899", amount=Decimal("100.00")),),
    )
    h.push("order", o)
    h.settle()
    [invoice] = invoices(h)
    assert money(invoice["grossAmount"]) == o.total == Decimal("634.90")
    lines = invoice["lines"]
    assert len(lines) == 3 + 1 + 2  # products, shipping, discount code, gift card
    negative = [ln for ln in lines if money(ln["unitPrice"]) < 0]
    assert {money(ln["unitPrice"]) for ln in negative} == {Decimal("-50.00"), Decimal("-100.00")}
    assert all(ln["productId"] == _shop(h).discount_product_id for ln in negative)
    texts = " ".join(ln["description"] for ln in negative)
    assert "SOMMER10" in texts and "8899" in texts
    [payment] = payments(h)
    assert money(payment["cashAmount"]) == o.total


def test_trigger_paid_waits_for_payment(harness: Harness) -> None:
    h = harness
    h.push("order", order("4001", paid=False, shipped=True))
    h.settle()
    assert invoices(h) == []
    assert h.transfer(key="4001")["state"] == "waiting"
    h.push("order", order("4001", paid=True, shipped=True))
    h.settle()
    assert len(invoices(h)) == 1 and len(payments(h)) == 1
    assert invoices(h)[0]["entryDate"] == "2026-11-20"


def test_trigger_shipped_invoices_at_shipment_and_posts_payment_when_paid(
    harness: Harness,
) -> None:
    h = harness
    h.configure(trigger="shipped")
    h.push("order", order("5001", paid=False, shipped=False))
    h.settle()
    assert invoices(h) == []
    h.push("order", order("5001", paid=False, shipped=True))
    h.settle()
    [invoice] = invoices(h)
    assert invoice["entryDate"] == "2026-11-21" and payments(h) == []
    assert h.transfer(key="5001")["state"] == "transferred"
    h.push("order", order("5001", paid=True, shipped=True))
    h.settle()
    assert len(invoices(h)) == 1 and len(payments(h)) == 1
    assert h.transfer(key="5001")["state"] == "paid"


def test_payment_posting_off_books_no_payment(harness: Harness) -> None:
    h = harness
    h.configure(post_payments=False, payment_account_id=None)
    h.push("order", order("6001"))
    h.settle()
    assert len(invoices(h)) == 1 and payments(h) == []
    assert invoices(h)[0]["isPaid"] is False


def test_full_return_with_refunded_shipping(harness: Harness) -> None:
    h = harness
    o = order("7001", lines=(line("MUG-1", "Krus", "2", "89.00"),))
    h.push("order", o)
    h.push("return", giving_back(o, "R1", {"MUG-1": "2"}, shipping=True))
    h.settle()
    [invoice] = invoices(h)
    assert h.transfer(kind="return", key="R1")["state"] == "credited"
    [credit] = credit_notes(h)
    assert credit["creditedInvoiceId"] == invoice["id"]
    assert money(credit["grossAmount"]) == o.total == Decimal("217.00")
    assert credit["currencyId"] == invoice["currencyId"] and credit["taxMode"] == "incl"
    assert any("GLS" in ln["description"] for ln in credit["lines"])
    refunds = [p for p in payments(h) if p["cashSide"] == "credit"]
    assert len(refunds) == 1 and money(refunds[0]["cashAmount"]) == o.total
    assert h.transfer(kind="return", key="R1")["state"] == "credited"


def test_partial_return_without_shipping(harness: Harness) -> None:
    h = harness
    o = order(
        "7101",
        lines=(line("MUG-1", "Krus", "3", "89.00"), line("CAP-1", "Kasket", "1", "199.00")),
    )
    h.push("order", o)
    h.push("return", giving_back(o, "R2", {"MUG-1": "1"}))
    h.settle()
    [credit] = credit_notes(h)
    assert money(credit["grossAmount"]) == Decimal("89.00")
    assert [money(ln["quantity"]) for ln in credit["lines"]] == [Decimal(1)]


def test_eur_order_and_prefix(harness: Harness) -> None:
    h = harness
    h.configure(order_prefix="WEB-")
    o = order(
        "8001",
        currency="EUR",
        lines=(line("MUG-1", "Mug", "2", "12.50"),),
        shipping=Shipping(method="DHL", price=Decimal("8.00")),
    )
    h.push("order", o)
    h.settle()
    [invoice] = invoices(h)
    assert invoice["orderNo"] == "WEB-108001" and invoice["currencyId"] == "EUR"
    assert money(invoice["grossAmount"]) == Decimal("33.00")
    [payment] = payments(h)
    rate = money(payment["cashExchangeRate"])
    assert rate > 5  # DKK per EUR into the DKK bank account
    assert money(payment["cashAmount"]) == (Decimal("33.00") * rate).quantize(Decimal("0.01"))
    assert invoice["isPaid"] is True


def test_products_created_updated_and_unchanged_costs_nothing(harness: Harness) -> None:
    h = harness
    h.push("product", product(price="89.00"))
    h.settle()
    [mug] = [p for p in h.emu.ledger(h.token).products() if p["productNo"] == "MUG-1"]
    assert mug["name"] == "Krus"
    h.push("product", product(price="99.00", name="Krus, stor"))
    h.settle()
    [mug] = [p for p in h.emu.ledger(h.token).products() if p["productNo"] == "MUG-1"]
    assert mug["name"] == "Krus, stor"
    assert [money(p["unitPrice"]) for p in mug["prices"]] == [Decimal("99.00")]
    before = len(h.emu.journal.entries())
    from billysync.sync import service

    service.sync_products(h.rt, h.shop_id)
    h.settle()
    assert len(h.emu.journal.entries()) == before  # unchanged: zero Billy calls


def test_event_delivered_three_times_gives_one_invoice(harness: Harness) -> None:
    h = harness
    o = order("9001")
    for _ in range(3):
        h.push("order", o)
    h.settle()
    assert len(invoices(h)) == 1 and len(payments(h)) == 1


def test_commit_then_fail_on_invoice_post_gives_one_invoice(harness: Harness) -> None:
    h = harness
    h.emu.faults.add(
        method="POST", path="/v2/invoices", kind="commit_then_status", status=503, times=1
    )
    h.push("order", order("9101"))
    h.settle()
    assert len(invoices(h)) == 1 and len(payments(h)) == 1
    assert h.transfer(key="9101")["state"] == "paid"


def test_wrong_payment_account_fails_in_words_then_retry_after_fix(harness: Harness) -> None:
    h = harness
    h.configure(payment_account_id=h.accounts[1110])  # a revenue account takes no payments
    h.push("order", order("9201"))
    h.settle()
    failed = h.transfer(key="9201")
    assert failed["state"] == "failed" and failed["error_kind"] == "configuration"
    assert failed["reason"] and "payment" in failed["reason"].lower()
    assert len(invoices(h)) == 1 and payments(h) == []
    from billysync.sync import service

    h.configure(payment_account_id=h.accounts[5710])
    assert service.retry_all(h.rt, h.shop_id, "configuration") == 1
    h.settle()
    assert h.transfer(key="9201")["state"] == "paid"
    assert len(invoices(h)) == 1 and len(payments(h)) == 1


def test_order_changed_after_transfer_is_reported_not_reinvoiced(harness: Harness) -> None:
    h = harness
    h.push("order", order("9301"))
    h.settle()
    h.push("order", order("9301", lines=(line("MUG-1", "Krus", "5", "89.00"),)))
    h.settle()
    assert len(invoices(h)) == 1
    from billysync.store import audit

    with h.rt.db.session() as session:
        steps = [e.step for e in audit.chain(session, h.shop_id, "order", "9301")]
    assert "changed" in steps


def test_returning_customer_reuses_the_contact(harness: Harness) -> None:
    h = harness
    h.push("order", order("9401", customer=person("same")))
    h.push("order", order("9402", customer=person("same")))
    h.settle()
    assert len(h.emu.ledger(h.token).contacts()) == 1
    assert len(invoices(h)) == 2


def _shop(h: Harness) -> Shop:
    with h.rt.db.session() as session:
        shop = shops.get_shop(session, h.shop_id)
    assert shop is not None
    return shop


def test_the_products_page_shows_each_products_name_and_finds_it_by_name(
    harness: Harness,
) -> None:
    """The product pass keeps each product's name with its binding; the products list shows
    it and finds the product by a part of its name (Danish letters too) or its item number."""
    from billysync.web.product_list import product_page

    h = harness
    h.push("product", product(key="p1", item="MUG-1", name="Æblekrus, stor"))
    h.push("product", product(key="p2", item="TEA-2", name="Te 100% økologisk"))
    h.settle()
    with h.rt.db.session() as session:
        everything = product_page(session, h.shop_id, "", 1)
        names = {row.item_number: row.name for row in everything.rows}
        assert names == {"MUG-1": "Æblekrus, stor", "TEA-2": "Te 100% økologisk"}
        assert all(row.in_billy and row.changed_at for row in everything.rows)
        for search, found in {
            "blekrus": ["MUG-1"],
            "Æble": ["MUG-1"],
            "ØKO": [],  # only ASCII letters match in any case
            "øko": ["TEA-2"],
            "100%": ["TEA-2"],
            "%": ["TEA-2"],  # a wildcard is taken literally
            "tea-": ["TEA-2"],
            "name": [],  # the JSON key the name is kept under is not a match
        }.items():
            rows = product_page(session, h.shop_id, search, 1).rows
            assert [r.item_number for r in rows] == found, search


def test_the_products_page_names_a_product_billy_refused_and_says_archived_in_billy(
    harness: Harness,
) -> None:
    """A product that never reached Billy is listed under the name the shop gave it; one the
    merchant archived in Billy reads "archived in Billy" once Billy says so."""
    from billysync.web.product_list import product_page

    h = harness
    h.push("product", product(key="p1", item="MUG-1", name="Krus, stor"))
    h.settle()
    [made] = [p for p in h.billy().products.list() if p.product_no == "MUG-1"]
    h.billy().products.update(made.id, {"isArchived": True})  # the merchant, in Billy
    h.push("product", product(key="p1", item="MUG-1", name="Krus, stor", price="99.00"))
    h.settle()
    # Billy refuses the next new product (its sales account takes no sales): it never
    # reaches Billy.
    h.configure(sales_account_id=h.accounts[5710])
    h.push("product", product(key="p2", item="TEA-2", name="Te, økologisk"))
    h.settle()
    with h.rt.db.session() as session:
        page = product_page(session, h.shop_id, "", 1)
    [refused] = page.failures
    assert (refused.item_number, refused.name, refused.in_billy) == (
        "TEA-2",
        "Te, økologisk",
        False,
    )
    assert refused.failure
    [mug] = page.rows
    assert (mug.item_number, mug.name, mug.archived) == ("MUG-1", "Krus, stor", True)


def test_the_credit_note_and_its_refund_are_kept_as_booked(harness: Harness) -> None:
    """A return's credit note is kept like an invoice: the return's page shows its lines,
    totals, customer and refund (account by name, date) from what was kept."""
    from billysync.store import bindings
    from billysync.web.routes.order_page import kept_document

    h = harness
    o = order("7201", lines=(line("MUG-1", "Krus", "2", "89.00"),))
    h.push("order", o)
    h.push("return", giving_back(o, "R3", {"MUG-1": "2"}, shipping=True))
    h.settle()
    [credit] = credit_notes(h)
    with h.rt.db.session() as session:
        binding = bindings.get_binding(session, h.shop_id, "credit_note", "R3")
        assert binding is not None
        kept = kept_document(session, h.shop_id, "return", "R3", binding)
    assert kept is not None and kept.credit_note
    assert kept.gross == money(credit["grossAmount"]) == Decimal("217.00")
    assert [ln.description for ln in kept.lines] == [ln["description"] for ln in credit["lines"]]
    assert kept.customer is not None and kept.customer.name == o.customer.name
    [refund] = kept.payments
    assert refund.refund and refund.amount == Decimal("217.00")
    assert refund.account.startswith("5710 ") and refund.day is not None


def test_a_product_pass_for_a_shop_not_set_up_records_why_and_holds_no_lock(
    harness: Harness,
) -> None:
    """The pass stops on the missing setting and keeps the reason for the products page. On
    SQLite it must do so without waiting on the write lock its own first session still held
    (that wait lasted the busy timeout, held up every writer and then failed)."""
    from billysync.store.tables import ProductSyncState
    from billysync.sync.products import sync_shop_products

    h = harness
    with h.rt.db.session() as session:
        shop = session.get(Shop, h.shop_id)
        assert shop is not None
        shop.sales_account_id = None
    figures = sync_shop_products(h.rt, h.shop_id, owner="test")
    assert figures["error"] and "sales_account" in figures["error"]
    with h.rt.db.session() as session:
        state = session.get(ProductSyncState, h.shop_id)
        assert state is not None and state.last_error == figures["error"]
