"""What the merchant reads about an order: failure reasons and step-log lines, as codes.

A `Reason` is a code with parameters. It is stored as a small JSON object that also carries
its English text, so a log or a database reader sees words, and the pages render the same
code in the merchant's language (web/texts_reasons.py has the Danish, one text per code).

Every failure reason is filed under the place where the fix is made (`Place`): billysync's
settings, Billy, the shop, or nowhere at all because we wait and retry by ourselves. Each
text says once what happened and what to do next.

Billy's own words (or an English detail only billysync's log speaks) are never the sentence
itself: a reason may keep them in its `quote` parameter, shown apart from the sentence as a
quoted technical detail ("Billy said: …") by whoever renders it; `quote_by` says whose words
they are (`billy`, or `detail` for a technical detail of billysync's).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Place(StrEnum):
    """Where the merchant makes the fix."""

    SETTINGS = "settings"  # billysync's settings for this shop
    BILLY = "billy"  # in Billy
    SHOP = "shop"  # in the webshop
    WAIT = "wait"  # nothing to do: we retry by ourselves
    LOG = "log"  # a step-log line, not a failure


# code → English text; the code's first part is its place. The Danish is web/texts_reasons.py.
REASON_TEXTS: dict[str, str] = {
    # billysync's settings
    "settings.incomplete": (
        "The shop is not set up yet: choose {setting} under Settings, then retry."
    ),
    "settings.billy_key": (
        "Billy refused the API key. Enter a valid key under Settings → Financial system, "
        "then retry."
    ),
    "settings.billy_address": (
        "Billy's address is wrong, so Billy could not be reached. Correct it under "
        "Settings → Financial system, then retry."
    ),
    "settings.payment_account": (
        "Billy refused the payment account. Choose an account that accepts "
        "payments under Settings → Financial system, then retry."
    ),
    "settings.sales_account": (
        "Billy refused the sales account. Choose a revenue account under "
        "Settings → Financial system, then retry."
    ),
    "settings.product": (
        "Billy refused the shipping or discount product. Choose the product "
        "again under Settings → Financial system, then retry."
    ),
    "settings.shop_token": (
        "The shop refused our access token. Enter a valid token under Settings → Shop, then retry."
    ),
    "settings.payment_currency": (
        "The payment is in {currency}, but the payment account is in {account_currency}. "
        "Choose a payment account in the order's currency under Settings → Financial system, "
        "then retry."
    ),
    # Billy
    "billy.locked": (
        "Billy refused to book for the organization (it may be locked or the subscription "
        "has lapsed). Sort it out in Billy, then retry."
    ),
    "billy.record_gone": (
        "A record billysync made earlier is gone from Billy. Check in Billy whether it was "
        "deleted, then retry."
    ),
    "billy.duplicate": (
        "Billy has more than one {document} for this order. Delete the extra one in Billy, "
        "then retry."
    ),
    "billy.payment_mismatch": (
        "The shop received {received} but the invoice is for {invoiced}. No payment was "
        "booked: register it in Billy by hand, or correct the order in the shop."
    ),
    "billy.unsupported": (
        "Billy does not accept what billysync asked for. This is a fault in billysync: "
        "contact support."
    ),
    "billy.vat_rate": (
        "Billy refused the VAT rate of a line on the {document}. Check in Billy that the "
        "organization's VAT rates for sales are active, then retry."
    ),
    "billy.contact": (
        "Billy refused the customer's contact on the {document}; it may have been deleted or "
        "archived in Billy. Check the contact in Billy, then retry."
    ),
    "billy.period_locked": (
        "The {document}'s date is in a period that is locked in Billy, so Billy will not book "
        "it. Move the fiscal locking date in Billy (or ask your bookkeeper), then retry."
    ),
    "billy.period_locked_until": (
        "The period is locked in Billy until {until} (that day included), and the {document} "
        "is dated in it. Unlock the period in Billy, or book it there by hand; then retry."
    ),
    "billy.invoice_currency": (
        "The invoice in Billy is in {invoice_currency}, but the order is in {currency}: the "
        "invoice does not belong to this order. Check the invoice in Billy, then retry."
    ),
    "billy.invoice_negative": (
        "The invoice in Billy comes to less than 0, so no payment can be booked against it. "
        "Check the invoice in Billy, then retry."
    ),
    "billy.no_email": (
        "The customer's contact in Billy has no person with an e-mail address, so the invoice "
        "cannot be e-mailed. Add one to the contact in Billy (or turn invoice e-mails off "
        "under Settings), then retry."
    ),
    # the shop
    "shop.invalid": (
        "The order's data from the shop cannot be used: {problems}. Correct the order in "
        "the shop, then retry."
    ),
    "shop.billy_refused": (
        "Billy refused the {document} billysync made from the order. Check the order's "
        "customer, lines and amounts in the shop, then retry."
    ),
    "shop.product_refused": (
        "Billy refused the product as the shop describes it (its name, item number or price). "
        "Check the product in the shop; the next product sync tries it again."
    ),
    "shop.customer": (
        "Billy refused the customer's details (such as the name, address or country). Correct "
        "the customer on the order in the shop, then retry."
    ),
    "shop.totals_mismatch": (
        "The shop's total is {shop_total}, but the {document} would come to {billy_total} "
        "in Billy. Nothing was booked. Check the order's lines, discounts, shipping and VAT "
        "in the shop, then retry."
    ),
    "shop.missing_product": (
        "Item number {item} has no product in Billy. Run the product sync, or check the item "
        "number in the shop, then retry."
    ),
    "shop.gone": "The shop does not have it: check the number in the shop.",
    "shop.other": (
        "The order cannot be booked as the shop sent it. Check the order in the shop, then retry."
    ),
    "shop.return_quantity": (
        "Item {item} is returned with quantity {quantity}; a returned quantity must be more "
        "than 0. Correct the return in the shop, then retry."
    ),
    "shop.return_shipping": (
        "The return refunds {amount} in shipping; that cannot be less than 0. Correct the "
        "return in the shop, then retry."
    ),
    "shop.return_negative": (
        "The credit note for the return would come to less than 0. Check the return's lines "
        "and refunded shipping in the shop, then retry."
    ),
    "shop.return_other_order": (
        "The return is for order {theirs}, not order {ours}. Check the return in the shop, "
        "then retry."
    ),
    "shop.return_currency": (
        "The return is in {return_currency} {return_incl}, but the order is in "
        "{order_currency} {order_incl}; a credit note must use the invoice's currency and "
        "prices. Correct the return in the shop, then retry."
    ),
    "shop.exchange_rate": (
        "The payment's exchange rate rounds to 0. Check the order's currency and amounts in "
        "the shop, then retry."
    ),
    "shop.value_too_long": (
        "A text of the order (e.g. its number or an item number) is longer than billysync can "
        "store: shorten it in the shop, then retry the order."
    ),
    "shop.value_out_of_range": (
        "An amount, number or date of the order is out of range: correct it in the shop, "
        "then retry the order."
    ),
    "shop.date_unreadable": (
        "A date of the order cannot be read: correct it in the shop, then retry the order."
    ),
    "shop.value_bad_characters": (
        "A text of the order contains characters that cannot be stored (such as a NUL byte): "
        "correct it in the shop, then retry the order."
    ),
    "shop.value_unstorable": (
        "A value of the order cannot be stored (too long, out of range or not valid text): "
        "correct it in the shop, then retry the order."
    ),
    # waiting: we retry by ourselves
    "wait.billy_unavailable": "Billy did not answer.",
    "wait.billy_unconfirmed": (
        "Billy did not confirm whether the {document} was saved. We look for it in Billy "
        "before we try again, so nothing is booked twice."
    ),
    "wait.billy_slow_down": "Billy asked us to slow down.",
    "wait.busy": "Another attempt is working on this order right now.",
    "wait.shop_unavailable": "The shop did not answer.",
    "wait.unexpected": "Something unexpected went wrong ({error}).",
    "wait.database": "The database could not complete the work just now ({error}).",
    "wait.retry_at": "We retry at {at} (attempt {attempt}).",
    "wait.gave_up": "We gave up after {attempt} attempts: retry when it works again.",
    # step-log lines
    "log.reference": "Read the organization's VAT rules and accounts in Billy.",
    "log.created": "Created the {document} in Billy.",
    "log.adopted": "Found the {document} in Billy and used it.",
    "log.product_updated": "Updated product {number} in Billy.",
    "log.transferred": "Invoiced in Billy.",
    "log.paid": "Invoiced in Billy and the payment booked.",
    "log.credited": "Credit note booked in Billy.",
    "log.refunded": "Credit note and refund booked in Billy.",
    "log.never_invoiced": "The order was never invoiced: nothing to credit.",
    "log.not_paid": "Not paid yet: the order is booked when it is paid.",
    "log.not_shipped": "Not shipped yet: the order is booked when it is shipped.",
    "log.cancelled": "Cancelled in the shop: nothing to book.",
    "log.changed_after_invoice": (
        "Changed in the shop after it was invoiced: Billy keeps invoice {invoice} for "
        "{invoiced}; the shop's total is now {total}. Nothing was changed in Billy. If the "
        "change is real, make a return in the shop for what was taken off, or book the "
        "difference in Billy by hand."
    ),
    "log.changed_after_payment": (
        "Changed in the shop after it was invoiced: Billy keeps invoice {invoice} for "
        "{invoiced} and its payment; the shop's total is now {total}. Nothing was changed in "
        "Billy. If the change is real, make a return in the shop for what was taken off, or "
        "book the difference in Billy by hand."
    ),
    "log.cancelled_after_invoice": (
        "Cancelled in the shop after it was invoiced: credit it in Billy (or make a return "
        "in the shop) if the money goes back."
    ),
    "log.older_copy": "An older copy of the order was ignored.",
    "log.return_waiting": "Waits for its order to be invoiced in Billy.",
    "log.gone": "The shop no longer has it: nothing to book.",
    "log.shop_removed": "The shop was removed from billysync.",
    "log.retry_requested": "Retry requested: it runs again shortly.",
    "log.adopted_by_backfill": (
        "Billy already had invoice {invoice} for this order, booked outside billysync: "
        "the backfill adopted it instead of booking it again."
    ),
    "log.repair_requested": (
        "The reconciliation found it missing in Billy: it is booked again through the normal "
        "workflow."
    ),
}

# The settings a transfer needs (`NotConfigured.missing`), in English; a reason names them
# by code in its `setting` parameter, several separated by commas.
SETTING_NAMES = {
    "billy_key": "the Billy API key",
    "sales_account": "the sales account for products",
    "shipping_product": "the shipping product",
    "discount_product": "the discount product",
    "payment_account": "the account payments are posted to (or turn payment posting off)",
    "shop_connection": "the shop's address and access token",
    "gift_card_account": "the gift-card account (or book gift cards as a line)",
}

# Whose words a reason's `quote` holds, in English.
QUOTE_LABELS = {"billy": "Billy said", "detail": "Technical detail"}
# A price mode parameter (`…_incl`: "True" or "False"), in English.
VAT_MODES = {"True": "incl. VAT", "False": "excl. VAT"}

_ENCODED_PREFIX = '{"code":'


def english_params(params: Mapping[str, str]) -> dict[str, str]:
    """Parameters that are codes (a document kind, settings) as English words."""
    words = dict(params)
    if "document" in words:
        words["document"] = words["document"].replace("_", " ")
    if "setting" in words:
        names = [SETTING_NAMES.get(c, c) for c in words["setting"].split(",") if c]
        words["setting"] = ", ".join(names)
    for name, value in params.items():
        if name.endswith("_incl"):
            words[name] = VAT_MODES.get(value, value)
    return words


@dataclass(frozen=True)
class Reason:
    """A text for the merchant as a code with parameters (all parameters are text)."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in REASON_TEXTS:
            raise KeyError(f"no text for reason code {self.code!r}")

    @property
    def place(self) -> Place:
        return Place(self.code.split(".", 1)[0])

    @property
    def quote(self) -> str | None:
        """Billy's (or the log's) own words kept with the reason, shown apart from it."""
        return self.params.get("quote") or None

    @property
    def quote_by(self) -> str:
        return self.params.get("quote_by") or "billy"

    def english(self) -> str:
        text = REASON_TEXTS[self.code].format(**english_params(self.params))
        if self.quote:
            text += f' {QUOTE_LABELS.get(self.quote_by, "Detail")}: "{self.quote}"'
        return text

    def encode(self) -> str:
        """The stored form: code, parameters and the English words for anyone reading raw."""
        data = {"code": self.code, "params": dict(self.params), "en": self.english()}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def with_params(self, **params: str) -> Reason:
        return Reason(self.code, {**self.params, **params})

    def __str__(self) -> str:
        return self.english()


@dataclass(frozen=True)
class StoredText:
    """What was stored: a `Reason`, or the plain words of an older version (shown as is)."""

    reason: Reason | None
    plain: str
    retry: Reason | None = None


def encode_retrying(reason: Reason, retry: Reason) -> str:
    """A transient failure with its retry note ("we retry at HH:MM (attempt N)")."""
    data = json.loads(reason.encode())
    data["retry"] = {"code": retry.code, "params": dict(retry.params)}
    data["en"] = f"{reason.english()} {retry.english()}"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(stored: str | None) -> StoredText | None:
    """The stored text read back; None for nothing stored."""
    if not stored:
        return None
    if not stored.startswith(_ENCODED_PREFIX):
        return StoredText(None, stored)
    try:
        data = json.loads(stored)
        reason = Reason(str(data["code"]), _texts(data.get("params")))
        extra = data.get("retry")
        retry = Reason(str(extra["code"]), _texts(extra.get("params"))) if extra else None
    except (ValueError, KeyError, TypeError):
        return StoredText(None, stored)
    return StoredText(reason, str(data.get("en") or reason.english()), retry)


def english(stored: str | None) -> str | None:
    """The stored text in English (for logs, the CLI and the JSON API)."""
    found = decode(stored)
    return found.plain if found else None


def _texts(params: object) -> dict[str, str]:
    if not isinstance(params, Mapping):
        return {}
    return {str(k): str(v) for k, v in params.items()}
