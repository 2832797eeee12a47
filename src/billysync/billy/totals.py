"""Billy's invoice totals algorithm, implemented once.

The algorithm is Billy's own invoice-total.js (docs/billy-api.md §5).

Used by the emulator to compute what Billy would store, and by the mapping to predict
Billy's totals before sending, so a difference from the shop's total is found before
anything is posted.

The algorithm:
- line amount = round2(quantity × unit price), less its discount: round2(amount × pct/100)
  for `percent`, round2(value) for `cash`;
- line tax is not rounded: amount × r (excl) or amount × r / (1 + r) (incl);
- invoice tax = round2(Σ line tax);
- excl: net = Σ line amounts, gross = net + tax; incl: gross = Σ line amounts, net = gross − tax.

Assumption (docs/billy-api.md open question 10): a `percent` discount value is a
percentage (25 means 25 %), as Billy's API docs say, not a fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from billysync.money import ZERO, round2

TaxMode = Literal["incl", "excl"]
DiscountMode = Literal["cash", "percent"]


@dataclass(frozen=True)
class LineInput:
    """What decides one line's totals: quantity, unit price, the VAT rate as a fraction."""

    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal = ZERO
    discount_mode: DiscountMode | None = None
    discount_value: Decimal | None = None


@dataclass(frozen=True)
class LineTotals:
    """A line as Billy reports it: `amount` in the invoice's tax mode, `tax` to two decimals.

    `exact_tax` is the unrounded tax that goes into the invoice sum.
    """

    amount: Decimal
    tax: Decimal
    exact_tax: Decimal


@dataclass(frozen=True)
class InvoiceTotals:
    """An invoice's `amount` (net), `tax` and `grossAmount`, and its lines."""

    amount: Decimal
    tax: Decimal
    gross_amount: Decimal
    lines: tuple[LineTotals, ...]


def line_totals(line: LineInput, tax_mode: TaxMode) -> LineTotals:
    amount = round2(line.quantity * line.unit_price)
    if line.discount_mode == "percent" and line.discount_value:
        amount -= round2(amount * line.discount_value / 100)
    elif line.discount_mode == "cash" and line.discount_value:
        amount -= round2(line.discount_value)
    if tax_mode == "excl":
        exact_tax = amount * line.tax_rate
    else:
        exact_tax = amount * line.tax_rate / (1 + line.tax_rate)
    return LineTotals(amount=amount, tax=round2(exact_tax), exact_tax=exact_tax)


def invoice_totals(lines: Sequence[LineInput], tax_mode: TaxMode) -> InvoiceTotals:
    computed = tuple(line_totals(line, tax_mode) for line in lines)
    line_sum = sum((c.amount for c in computed), ZERO)
    tax = round2(sum((c.exact_tax for c in computed), ZERO))
    if tax_mode == "excl":
        net, gross = line_sum, line_sum + tax
    else:
        net, gross = line_sum - tax, line_sum
    return InvoiceTotals(amount=net, tax=tax, gross_amount=gross, lines=computed)
