"""Properties over random orders: shop total = Billy's predicted gross, never a silent gap."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from billysync.billy.vat import SaleVat
from billysync.mapping.balance import ROUNDING_TEXT
from billysync.mapping.errors import TotalsMismatch
from billysync.mapping.orders import invoice_for
from billysync.mapping.products import products_for
from billysync.money import round2
from billysync.shop.models import Order, OrderLine, Product
from tests.support.mapping_builders import (
    ENTRY,
    SETTINGS,
    D,
    customer,
    discount,
    gift_card,
    order,
    shipping,
)

RATES = st.sampled_from([D("0"), D("0.06"), D("0.12"), D("0.2"), D("0.25")])
CENTS = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)


@st.composite
def random_orders(draw: st.DrawFn, *, incl: bool) -> tuple[Order, dict[str, str], Decimal]:
    """An order and the total a shop computes for it (VAT per line when prices are net)."""
    count = draw(st.integers(min_value=1, max_value=6))
    lines = []
    for index in range(count):
        qty = Decimal(draw(st.integers(min_value=1, max_value=5)))
        price = draw(CENTS)
        cap = int(qty * price * 100)
        off = Decimal(draw(st.integers(min_value=0, max_value=cap))) / 100
        off = off if draw(st.booleans()) else D(0)
        variant = draw(st.sampled_from([None, "Red, M", "Blue, L"]))
        lines.append(
            OrderLine(
                item_number=f"SKU-{index}",
                name=f"Item {index}",
                variant=variant,
                quantity=qty,
                unit_price=price,
                discount=off,
            )
        )
    subtotal = sum((ln.quantity * ln.unit_price - ln.discount for ln in lines), D(0))
    ship_price = Decimal(draw(st.integers(min_value=0, max_value=20_000))) / 100
    ship = shipping(price=str(ship_price)) if draw(st.booleans()) else None
    # Codes and cards take at most a quarter of the subtotal each, so the total stays ≥ 0.
    quarter = int(subtotal * 25)
    codes = tuple(
        discount(f"CODE{i}", str(Decimal(draw(st.integers(0, quarter // 2))) / 100))
        for i in range(draw(st.integers(0, 2)))
    )
    cards = tuple(
        gift_card(f"GC{i:08d}", str(Decimal(draw(st.integers(0, quarter // 2))) / 100))
        for i in range(draw(st.integers(0, 2)))
    )
    parts = [ln.quantity * ln.unit_price - ln.discount for ln in lines]
    parts += [ship.price] if ship else []
    parts += [-c.amount for c in codes] + [-g.amount for g in cards]
    rate = draw(RATES)
    # A net-price shop adds VAT line by line, rounding each (Billy rounds once, see balance.py).
    vat = D(0) if incl else sum((round2(p * rate) for p in parts), D(0))
    total = sum(parts, D(0)) + vat
    built = order(
        *lines,
        shipping=ship,
        discounts=codes,
        gift_cards=cards,
        prices_include_vat=incl,
        customer=customer(),
        total=str(total),
    )
    ids = {ln.item_number: f"prod-{ln.item_number}" for ln in lines}
    return built, ids, rate


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def _at_most_two_decimals(payload: dict[str, Any]) -> bool:
    return all(-Decimal(repr(f)).as_tuple().exponent <= 2 for f in _floats(payload))  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(case=random_orders(incl=True))
def test_incl_orders_book_exactly_the_shop_total_without_rounding(
    case: tuple[Order, dict[str, str], Decimal],
) -> None:
    o, ids, rate = case
    draft = invoice_for(
        o, SETTINGS, contact_id="c", product_ids=ids, vat=SaleVat.flat(rate), entry_date=ENTRY
    )
    assert draft.predicted.gross_amount == o.total
    assert all(ln.kind != "rounding" for ln in draft.lines)
    assert _at_most_two_decimals(draft.to_payload())


@settings(max_examples=300, deadline=None)
@given(
    case=random_orders(incl=False),
    nudge=st.integers(min_value=-150, max_value=150).map(lambda c: Decimal(c) / 100),
    incl=st.booleans(),
)
def test_any_total_is_matched_by_a_labelled_line_or_refused(
    case: tuple[Order, dict[str, str], Decimal], nudge: Decimal, incl: bool
) -> None:
    o, ids, rate = case
    o = o.model_copy(update={"prices_include_vat": incl, "total": o.total + nudge})
    try:
        draft = invoice_for(
            o, SETTINGS, contact_id="c", product_ids=ids, vat=SaleVat.flat(rate), entry_date=ENTRY
        )
    except TotalsMismatch as error:
        event(
            "refused: more than rounding" if abs(error.difference) > 1 else "refused: no line fits"
        )
        assert error.difference != 0
        assert error.shop_total == o.total
        return
    assert draft.predicted.gross_amount == o.total
    rounding = [ln for ln in draft.lines if ln.kind == "rounding"]
    event(f"booked {'incl' if incl else 'excl'} with {len(rounding)} rounding line(s)")
    assert len(rounding) <= 1
    for ln in rounding:
        assert ln.description == ROUNDING_TEXT
        assert ln.product_id == SETTINGS.discount_product_id
        assert abs(ln.unit_price) <= D("1.00")
    assert _at_most_two_decimals(draft.to_payload())


@given(price=st.decimals(min_value=0, max_value=100_000, places=3, allow_nan=False))
def test_product_payload_prices_never_carry_fractions_of_an_ore(price: Decimal) -> None:
    [draft] = products_for(Product(key="k", item_number="X", name="X", price=price), SETTINGS)
    assert _at_most_two_decimals(draft.to_payload())
