"""What is left to credit on an order: returns never credit more than was invoiced.

A shop can report the same returned item twice (a second return, a credit note made by hand
after a return, a replayed export). Billy would accept a second credit note without a word,
and the customer would be refunded twice. So before a credit note is made, the return is
checked against the order's invoice minus everything its earlier returns already credited
(docs/invariants.md I8):

- per item number: the quantity and the amount (quantity × unit price) of its lines;
- shipping: the refunded shipping;
- in total: the return's amounts, against what was sold (the total plus gift cards used,
  which paid for the order rather than taking money off it).

Amounts are compared in the order's own price mode and currency (a return in another mode or
currency is refused elsewhere, `mapping/returns.py`). Pure: the caller says which earlier
returns were credited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from billysync.mapping.errors import MappingError
from billysync.money import ZERO, round2
from billysync.shop.models import Order, Return


class OverCredit(MappingError):
    """The return would credit more than is left of the invoice; nothing was sent to Billy."""

    def __init__(self, ret: Return, order: Order, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"Return {ret.key} on order {order.number} would credit more than is left of the "
            f"invoice after earlier returns: {'; '.join(problems)}. No credit note was made. "
            "If the customer really gets more back, credit it in Billy by hand; otherwise "
            "correct or delete the return in the shop, then retry it."
        )


@dataclass(frozen=True)
class _Left:
    quantity: Decimal
    amount: Decimal


def check_credit_within_invoice(ret: Return, order: Order, credited: Iterable[Return]) -> None:
    """Raise OverCredit when `ret`, after the already `credited` returns, exceeds the order."""
    earlier = [r for r in credited if r.key != ret.key]
    left = _left_per_item(order, earlier)
    problems: list[str] = []
    asked = _per_item(ret)
    for item, (quantity, amount) in asked.items():
        remaining = left.get(item)
        if remaining is None:
            problems.append(f"item {item} is not on the order")
            continue
        if quantity > remaining.quantity:
            problems.append(
                f"{_plain(quantity)} × {item} returned, {_plain(remaining.quantity)} left to credit"
            )
        elif amount > remaining.amount:
            problems.append(
                f"{item} for {amount} {order.currency}, "
                f"{remaining.amount} {order.currency} left to credit"
            )
    shipping_left = _shipping(order) - sum((r.refunded_shipping for r in earlier), ZERO)
    if ret.refunded_shipping > shipping_left:
        problems.append(
            f"shipping {ret.refunded_shipping} {order.currency} refunded, "
            f"{max(shipping_left, ZERO)} {order.currency} left to credit"
        )
    # Gift cards paid for part of the order; they are a means of payment, not money off the
    # sale (docs/vat.md), so what can be credited in all is what was sold: the total plus
    # the gift cards used.
    sold = order.total + sum((card.amount for card in order.gift_cards), ZERO)
    total_left = sold - sum((r.amount for r in earlier), ZERO)
    if not problems and ret.amount > total_left:
        problems.append(
            f"{ret.amount} {order.currency} in all, "
            f"{max(total_left, ZERO)} {order.currency} of the invoice left to credit"
        )
    if problems:
        raise OverCredit(ret, order, problems)


def _left_per_item(order: Order, earlier: list[Return]) -> dict[str, _Left]:
    invoiced: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in order.lines:
        totals = invoiced[line.item_number]
        totals[0] += line.quantity
        # What the line was invoiced for, its own line discount taken off.
        totals[1] += round2(line.quantity * line.unit_price) - line.discount
    for ret in earlier:
        for item, (quantity, amount) in _per_item(ret).items():
            if item in invoiced:
                invoiced[item][0] -= quantity
                invoiced[item][1] -= amount
    return {item: _Left(q, a) for item, (q, a) in invoiced.items()}


def _per_item(ret: Return) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for line in ret.lines:
        quantity, amount = totals.get(line.item_number, (ZERO, ZERO))
        totals[line.item_number] = (
            quantity + line.quantity,
            amount + round2(line.quantity * line.unit_price),
        )
    return totals


def _shipping(order: Order) -> Decimal:
    return order.shipping.price if order.shipping else ZERO


def _plain(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"
