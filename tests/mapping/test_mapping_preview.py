"""preview: an order's documents as plain data, problems listed instead of raised."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from billysync.mapping.preview import preview
from tests.support.mapping_builders import (
    PRODUCT_IDS,
    SETTINGS,
    VAT,
    line,
    order,
    payment,
    shipping,
)


def test_preview_shows_contact_lines_vat_totals_and_payment() -> None:
    o = order(
        line("MUG", qty="2", price="100.00"),
        shipping=shipping(),
        total="239.00",
        payment=payment("239.00"),
    )
    shown = preview(o, SETTINGS, vat=VAT, product_ids=PRODUCT_IDS, contact_id="contact-1")
    json.dumps(shown)  # plain data only
    assert shown["problems"] == []
    assert shown["new_products"] == []
    assert shown["contact"]["payload"]["contactNo"] == "WEB-C-cust-17"
    invoice = shown["invoice"]
    assert invoice["payload"]["contactId"] == "contact-1"
    assert [(ln["description"], ln["amount"], ln["vat"]) for ln in invoice["lines"]] == [
        ("Mug", "200.00", "40.00"),
        ("GLS Pakkeshop", "39.00", "7.80"),
    ]
    assert invoice["totals"] == {"net": "191.20", "vat": "47.80", "gross": "239.00"}
    assert invoice["rounding"] == "0.00"
    assert shown["payment"]["cashAmount"] == 239
    assert shown["payment"]["entryDate"] == "2026-03-02"


def test_products_not_yet_in_billy_are_listed_and_shown_as_new() -> None:
    shown = preview(order(line("NEW-SKU"), total="100.00"), SETTINGS, vat=VAT)
    assert shown["new_products"] == ["NEW-SKU"]
    assert shown["invoice"]["payload"]["lines"][0]["productId"] == "(new product NEW-SKU)"
    assert shown["invoice"]["payload"]["contactId"] == "(new contact)"


def test_a_totals_mismatch_is_a_listed_problem_not_an_exception() -> None:
    shown = preview(order(line(), total="150.00"), SETTINGS, vat=VAT, product_ids=PRODUCT_IDS)
    assert shown["invoice"] is None
    assert shown["payment"] is None
    assert len(shown["problems"]) == 1
    assert "150.00" in shown["problems"][0]
    # The same problem by its reason code, for the merchant's language.
    [coded] = shown["problem_codes"]
    assert coded["code"] == "shop.totals_mismatch" and coded["params"]["shop_total"] == "150.00 DKK"


def test_the_entry_date_defaults_to_the_trigger_date_in_denmark() -> None:
    # 23:30 UTC on 31 March is 01:30 on 1 April in Copenhagen (summer time).
    o = order(line(), total="100.00", paid_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    shown = preview(o, SETTINGS, vat=VAT, product_ids=PRODUCT_IDS)
    assert shown["invoice"]["payload"]["entryDate"] == "2026-04-01"
    shipped = SETTINGS.model_copy(update={"trigger": "shipped"})
    not_shipped = preview(o, shipped, vat=VAT, product_ids=PRODUCT_IDS)
    assert not_shipped["invoice"]["payload"]["entryDate"] == "2026-03-01"  # the order's date
    fixed = preview(o, SETTINGS, vat=VAT, product_ids=PRODUCT_IDS, entry_date=date(2026, 5, 1))
    assert fixed["invoice"]["payload"]["entryDate"] == "2026-05-01"
