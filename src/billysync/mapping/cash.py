"""Money through the payment account: which account, and the amount in its currency
(docs/billy-api.md §3.9).

`cashAmount` is in the cash account's currency. When that differs from the invoice's (the
subject's), it is amount × rate rounded to whole øre and the rate is sent as
`cashExchangeRate` (1 subject-currency unit = rate account-currency units); when they are
equal no rate is sent (Billy forces 1). Billy accepts at most 6 decimals in the rate
(docs/billy-api.md §7), so the rate is rounded to 6 first and the amount computed from the
rate as sent: Billy settles the invoice with cashAmount / cashExchangeRate.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from billysync.mapping.errors import MappingError
from billysync.mapping.settings import BillySettings, method_key
from billysync.money import round2

RATE_STEP = Decimal("0.000001")  # Billy's cashExchangeRate has at most 6 decimals


def payment_account(settings: BillySettings, method: str | None = None) -> str:
    """The account a payment by `method` goes through: the method's own clearing account
    when the merchant chose one, else the payment account."""
    if method:
        chosen = settings.payment_method_accounts.get(method_key(method))
        if chosen:
            return chosen
    # BillySettings refuses post_payments without an account; this guards direct construction.
    if not settings.payment_account_id:
        raise MappingError(
            "payment_account_id is missing: choose the Billy payment account",
            code="settings.incomplete",
            params={"setting": "payment_account"},
        )
    return settings.payment_account_id


def in_account_currency(
    amount: Decimal,
    subject_currency: str,
    account_currency: str,
    exchange_rate: Decimal | None,
    what: str,
) -> tuple[Decimal, Decimal | None]:
    """(cashAmount, cashExchangeRate or None) for paying `amount` in `subject_currency`."""
    if account_currency.upper() == subject_currency.upper():
        return amount, None
    if exchange_rate is None or exchange_rate <= 0:
        raise MappingError(
            f"The payment for {what} is in {subject_currency} but the payment account is in "
            f"{account_currency}: an exchange rate is needed. Check the account's currency in "
            "Billy, or choose a payment account in the order's currency.",
            code="settings.payment_currency",
            params={"currency": subject_currency, "account_currency": account_currency},
        )
    rate = exchange_rate.quantize(RATE_STEP, rounding=ROUND_HALF_UP)
    if rate <= 0:
        raise MappingError(
            f"The exchange rate for {what} rounds to 0 at 6 decimals.", code="shop.exchange_rate"
        )
    return round2(amount * rate), rate.normalize()
