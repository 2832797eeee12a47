"""invoice_for: the shop's prices as they are, every line on its product, totals that match."""

from __future__ import annotations

import pytest

from billysync.billy.vat import SaleVat
from billysync.mapping.balance import ROUNDING_TEXT
from billysync.mapping.drafts import InvoiceDraft
from billysync.mapping.errors import MissingProduct, TotalsMismatch
from billysync.mapping.orders import invoice_for
from billysync.shop.models import Order
from tests.support.mapping_builders import (
    ENTRY,
    PRODUCT_IDS,
    SETTINGS,
    VAT,
    D,
    discount,
    gift_card,
    line,
    order,
    shipping,
)


def invoice(o: Order, vat: SaleVat = VAT, **kw: object) -> InvoiceDraft:
    return invoice_for(
        o,
        SETTINGS,
        contact_id="contact-1",
        product_ids=PRODUCT_IDS,
        vat=vat,
        entry_date=ENTRY,
        **kw,  # type: ignore[arg-type]
    )


def test_a_simple_order_is_exactly_billys_invoice_json() -> None:
    # 2 × 100.00 + shipping 39.00, VAT included.
    o = order(line("MUG", qty="2", price="100.00"), shipping=shipping(), total="239.00")
    assert invoice(o).to_payload() == {
        "type": "invoice",
        "contactId": "contact-1",
        "entryDate": "2026-03-02",
        "currencyId": "DKK",
        "taxMode": "incl",
        "orderNo": "WEB-1001",
        "state": "approved",
        "lines": [
            {
                "productId": "prod-mug",
                "description": "Mug",
                "quantity": 2,
                "unitPrice": 100,
                "priority": 1,
            },
            {
                "productId": "prod-shipping",
                "description": "GLS Pakkeshop",
                "quantity": 1,
                "unitPrice": 39,
                "priority": 2,
            },
        ],
    }


def test_incl_prediction_takes_vat_out_of_the_gross() -> None:
    o = order(line("MUG", qty="2", price="100.00"), shipping=shipping(), total="239.00")
    predicted = invoice(o).predicted
    assert predicted.gross_amount == D("239.00")
    assert predicted.tax == D("47.80")  # 239 × 25/125
    assert predicted.amount == D("191.20")


def test_several_lines_with_variants_each_on_their_own_product() -> None:
    o = order(
        line("TS-RED-M", name="T-shirt", variant="Red, M", price="199.95"),
        line("TS-BLUE-L", name="T-shirt", variant="Blue, L", qty="3", price="149.50"),
        line("MUG", price="79.00"),
        total="727.45",  # 199.95 + 3 × 149.50 + 79.00
    )
    lines = invoice(o).to_payload()["lines"]
    assert [(ln["productId"], ln["description"], ln["quantity"]) for ln in lines] == [
        ("prod-ts-red-m", "T-shirt (Red, M)", 1),
        ("prod-ts-blue-l", "T-shirt (Blue, L)", 3),
        ("prod-mug", "Mug", 1),
    ]
    assert [ln["priority"] for ln in lines] == [1, 2, 3]
    assert [ln["unitPrice"] for ln in lines] == [199.95, 149.5, 79]


def test_a_line_discount_is_a_cash_discount_on_the_line() -> None:
    o = order(line("MUG", qty="2", price="100.00", discount="30.00"), total="170.00")
    draft = invoice(o)
    sent = draft.to_payload()["lines"][0]
    assert sent["discountMode"] == "cash"
    assert sent["discountValue"] == 30
    assert sent["discountText"] == "Rabat / Discount"
    assert draft.predicted.lines[0].amount == D("170.00")
    assert draft.predicted.gross_amount == D("170.00")


def test_a_line_without_discount_sends_no_discount_fields() -> None:
    sent = invoice(order(line(), total="100.00")).to_payload()["lines"][0]
    assert not {"discountMode", "discountValue", "discountText"} & sent.keys()


def test_free_shipping_is_a_zero_line_that_documents_the_method() -> None:
    o = order(line(), shipping=shipping("Afhentning i butik", "0"), total="100.00")
    ship = invoice(o).to_payload()["lines"][1]
    assert ship == {
        "productId": "prod-shipping",
        "description": "Afhentning i butik",
        "quantity": 1,
        "unitPrice": 0,
        "priority": 2,
    }


def test_no_shipping_means_no_shipping_line() -> None:
    lines = invoice(order(line(), total="100.00")).to_payload()["lines"]
    assert [ln["productId"] for ln in lines] == ["prod-mug"]


def test_a_discount_code_is_a_negative_line_on_the_discount_product() -> None:
    o = order(line(price="200.00"), discounts=(discount("SOMMER10", "20.00"),), total="180.00")
    draft = invoice(o)
    assert draft.to_payload()["lines"][1] == {
        "productId": "prod-discount",
        "description": "Rabatkode SOMMER10 / Discount code SOMMER10",
        "quantity": 1,
        "unitPrice": -20,
        "priority": 2,
    }
    assert draft.predicted.gross_amount == D("180.00")


def test_a_gift_card_is_a_negative_line_showing_only_the_end_of_its_code() -> None:
    o = order(line(price="200.00"), gift_cards=(gift_card("GC-0000-1234", "50.00"),), total="150")
    sent = invoice(o).to_payload()["lines"][1]
    assert sent["productId"] == "prod-discount"
    assert sent["description"] == "Gavekort ****1234 / Gift card ****1234"
    assert "GC-0000" not in sent["description"]
    assert sent["unitPrice"] == -50


def test_discount_codes_and_gift_cards_can_be_told_apart() -> None:
    o = order(
        line(price="300.00"),
        discounts=(discount("SOMMER10", "30.00"),),
        gift_cards=(gift_card("1234", "100.00"), gift_card("5678", "20.00")),
        total="150.00",  # 300 − 30 − 100 − 20
    )
    draft = invoice(o)
    descriptions = [ln.description for ln in draft.lines[1:]]
    assert descriptions == [
        "Rabatkode SOMMER10 / Discount code SOMMER10",
        "Gavekort 1234 / Gift card 1234",
        "Gavekort 5678 / Gift card 5678",
    ]
    assert [ln.kind for ln in draft.lines] == ["product", "discount", "gift_card", "gift_card"]
    assert draft.predicted.gross_amount == D("150.00")


def test_excl_prices_are_sent_as_they_are_in_excl_mode() -> None:
    # Net: 2 × 80.00 + shipping 31.20 = 191.20; VAT 25 % = 47.80; the customer pays 239.00.
    o = order(
        line("MUG", qty="2", price="80.00"),
        shipping=shipping(price="31.20"),
        prices_include_vat=False,
        total="239.00",
    )
    draft = invoice(o)
    assert draft.to_payload()["taxMode"] == "excl"
    assert [ln["unitPrice"] for ln in draft.to_payload()["lines"]] == [80, 31.2]
    assert draft.predicted.amount == D("191.20")
    assert draft.predicted.tax == D("47.80")
    assert draft.predicted.gross_amount == D("239.00")
    assert draft.rounding_adjustment == 0


def test_a_euro_order_stays_in_euro() -> None:
    o = order(line(price="25.00"), currency="EUR", total="25.00")
    payload = invoice(o).to_payload()
    assert payload["currencyId"] == "EUR"
    assert payload["lines"][0]["unitPrice"] == 25


def test_the_order_number_carries_the_prefix_and_terms_are_optional() -> None:
    plain = SETTINGS.model_copy(update={"order_prefix": ""})
    o = order(line(), total="100.00", number="A-2001")
    assert invoice(o).order_no == "WEB-A-2001"
    bare = invoice_for(o, plain, contact_id="c", product_ids=PRODUCT_IDS, vat=VAT, entry_date=ENTRY)
    assert bare.order_no == "A-2001"
    assert "paymentTermsDays" not in bare.to_payload()
    assert invoice(o, payment_terms_days=8).to_payload()["paymentTermsDays"] == 8


def test_an_item_without_a_billy_product_stops_with_its_item_number() -> None:
    o = order(line("NEW-SKU"), total="100.00")
    with pytest.raises(MissingProduct) as info:
        invoice(o)
    assert info.value.item_number == "NEW-SKU"
    assert "product sync" in str(info.value)


def test_a_vat_rate_given_as_a_percentage_is_refused() -> None:
    with pytest.raises(ValueError, match=r"0\.25"):
        invoice(order(line(), total="100.00"), vat=SaleVat.flat(D("25")))


# --- totals: rounding line or stop ------------------------------------------------------


@pytest.mark.parametrize(("total", "adjustment"), [("100.00", "0.03"), ("99.95", "-0.02")])
def test_a_few_ore_become_a_labelled_rounding_line(total: str, adjustment: str) -> None:
    draft = invoice(order(line(price="99.97"), total=total))
    rounding = draft.lines[-1]
    assert rounding.kind == "rounding"
    assert rounding.description == ROUNDING_TEXT == "Afrunding / rounding difference"
    assert rounding.product_id == "prod-discount"
    assert rounding.unit_price == D(adjustment)
    assert rounding.priority == 2
    assert draft.predicted.gross_amount == D(total)
    assert draft.rounding_adjustment == D(adjustment)


def test_exactly_one_krone_is_still_rounding_but_more_stops() -> None:
    assert invoice(order(line(), total="101.00")).predicted.gross_amount == D("101.00")
    with pytest.raises(TotalsMismatch):
        invoice(order(line(), total="101.01"))


def test_a_big_difference_stops_and_tells_the_merchant_what_to_check() -> None:
    with pytest.raises(TotalsMismatch) as info:
        invoice(order(line(price="100.00"), total="150.00"))
    error = info.value
    assert (error.order_number, error.shop_total, error.billy_total, error.difference) == (
        "1001",
        D("150.00"),
        D("100.00"),
        D("50.00"),
    )
    message = str(error)
    assert "1001" in message
    assert "150.00 DKK" in message
    assert "discount codes and gift cards" in message
    assert "Nothing was posted" in message


def test_excl_rounding_solves_for_a_net_amount_whose_vat_also_counts() -> None:
    # A shop that rounds VAT per line: 3 × (0.02 + VAT 0.005 → 0.01) = 0.09, while Billy rounds
    # once: 0.06 + round(0.015) = 0.08.
    o = order(*(line(price="0.02") for _ in range(3)), prices_include_vat=False, total="0.09")
    draft = invoice(o)
    assert draft.lines[-1].kind == "rounding"
    assert draft.predicted.gross_amount == D("0.09")


def test_excl_total_that_no_whole_ore_net_amount_can_hit_stops() -> None:
    # Net 100.00 + 25.00 VAT. One øre net more gives 125.01, two give 100.02 + 25.01 = 125.03.
    with pytest.raises(TotalsMismatch, match="No rounding line"):
        invoice(order(line(price="100.00"), prices_include_vat=False, total="125.02"))


def test_a_price_with_fractions_of_an_ore_is_rounded_and_the_difference_shown() -> None:
    # 3 × 33.333 = 99.999 in the shop (total 100.00); Billy books 3 × 33.33 = 99.99.
    draft = invoice(order(line(qty="3", price="33.333"), total="100.00"))
    assert draft.lines[0].unit_price == D("33.33")
    assert draft.lines[-1].kind == "rounding"
    assert draft.lines[-1].unit_price == D("0.01")
    assert draft.predicted.gross_amount == D("100.00")
