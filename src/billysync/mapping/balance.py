"""Make Billy's total equal the shop's total, visibly, or stop (docs/invariants.md I2).

Billy computes totals its own way (billysync.billy.totals: lines rounded, VAT rounded once per
invoice). We predict that total before posting. When it differs from the shop's total:

- by at most ROUNDING_TOLERANCE, we add one labelled line "Afrunding / rounding difference"
  on the discount product, sized so the predicted gross matches to the øre. In `incl` mode the
  line's amount is the difference itself; in `excl` mode it is a net amount whose VAT also
  counts, so we try the whole-øre net amounts around difference / (1 + rate) and keep the one
  that hits. Some totals cannot be hit (one øre of net can move the gross by two øre once the
  rounded VAT steps); then we stop.
- by more, we stop with TotalsMismatch: that is not rounding but a data problem.

Why 1.00: legitimate causes are the shop rounding VAT per line instead of once (at most half an
øre per line), cash rounding to 0.25/0.50 and shops that round totals to whole units; all stay
far below 1.00 for real baskets, while any missing line, shipping or discount is bigger.
"""

from __future__ import annotations

from decimal import Decimal

from billysync.billy.totals import TaxMode, invoice_totals
from billysync.billy.vat import LineVat
from billysync.mapping.drafts import InvoiceLineDraft
from billysync.mapping.errors import TotalsMismatch
from billysync.money import CENT, round2

ROUNDING_TOLERANCE = Decimal("1.00")
ROUNDING_TEXT = "Afrunding / rounding difference"
# How many øre either side of the estimate to try in excl mode (the estimate is off by < 1).
_SEARCH_ORE = 3


def predicted_gross(lines: tuple[InvoiceLineDraft, ...], tax_mode: TaxMode) -> Decimal:
    return invoice_totals([line.totals_input() for line in lines], tax_mode).gross_amount


def balance_to_total(
    lines: tuple[InvoiceLineDraft, ...],
    *,
    target: Decimal,
    tax_mode: TaxMode,
    rounding_product_id: str,
    vat: LineVat,
    document: str,
    currency: str,
) -> tuple[InvoiceLineDraft, ...]:
    """`lines`, plus a labelled rounding line if needed, whose predicted gross is `target`.

    `document` names what is being booked in the error ("1001", "1001 (return 7)").
    """
    billy_total = predicted_gross(lines, tax_mode)
    difference = target - billy_total
    if difference == 0:
        return lines
    if abs(difference) > ROUNDING_TOLERANCE:
        raise TotalsMismatch(
            document,
            target,
            billy_total,
            difference,
            currency=currency,
            reason=f"That is more than rounding (at most {ROUNDING_TOLERANCE}).",
        )
    priority = max(line.priority for line in lines) + 1
    for amount in _candidates(difference, tax_mode, vat.rate):
        rounding = InvoiceLineDraft(
            product_id=rounding_product_id,
            description=ROUNDING_TEXT,
            quantity=Decimal(1),
            unit_price=amount,
            priority=priority,
            tax_rate=vat.rate,
            tax_rate_id=vat.tax_rate_id,
            kind="rounding",
        )
        balanced = (*lines, rounding)
        if predicted_gross(balanced, tax_mode) == target:
            return balanced
    raise TotalsMismatch(
        document,
        target,
        billy_total,
        difference,
        currency=currency,
        reason=(
            "No rounding line in whole øre makes Billy's total match exactly, because Billy "
            "rounds the VAT once for the whole invoice."
        ),
    )


def _candidates(difference: Decimal, tax_mode: TaxMode, vat_rate: Decimal) -> list[Decimal]:
    estimate = round2(difference) if tax_mode == "incl" else round2(difference / (1 + vat_rate))
    offsets = [0]
    for step in range(1, _SEARCH_ORE + 1):
        offsets += [step, -step]
    amounts = [estimate + offset * CENT for offset in offsets]
    return [amount for amount in amounts if amount != 0]
