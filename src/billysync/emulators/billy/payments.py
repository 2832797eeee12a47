"""Bank payments: money in (customer payments) or out (refunds), settling invoices.

Fields and rules from docs/billy-api.md §3.9:
- `cashAmount` is in the cash account's currency; the cash account must be
  payment-enabled (`isPaymentEnabled`).
- All associations (`invoice:<id>`, approved only) share one currency, the subject currency.
  When the cash account's currency differs, `cashExchangeRate` is required and
  "1 subject currency = cashExchangeRate × cash currency", so the subject is settled by
  cashAmount / cashExchangeRate; when they match it is forced to 1. A rate with more than
  6 decimals is refused (Billy "only accepts 6 decimals", docs/billy-api.md §7).
- `feeAmount` (cash currency) on a deposit settles the subject too: 95 + fee 5 pays 100.
- `debit` (deposit) settles invoices; `credit` (withdrawal: a refund) settles credit
  notes. The money goes to the associations in order, each up to its outstanding
  balance; what is left goes to the last one (an overpayment, see settlement.py).
- Nothing but `isVoided` changes after create; voiding cannot be undone and gives the
  money back to the balances it settled. DELETE answers 405, as Billy does.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from billysync.money import ZERO, round2

from .changes import Changes
from .errors import Invalid
from .fields import Field, check_id, client_key, read_record, ro, unwrap, without
from .organization import Organization
from .periods import check_open_period
from .settlement import outstanding, settle
from .wire import timestamp

Record = dict[str, Any]

_SUBJECT = re.compile(r"^invoice:(?P<id>.+)$")

PAYMENT_FIELDS: dict[str, Field] = {
    "contactId": Field("ref", "create", ref="contacts"),
    "entryDate": Field("date", "create", required=True),
    "cashAmount": Field("decimal", "create", required=True),
    "cashSide": Field("enum", "create", required=True, choices=("debit", "credit")),
    "cashAccountId": Field("ref", "create", required=True, ref="accounts"),
    "cashExchangeRate": Field("decimal", "create"),
    "subjectCurrencyId": Field("ref", "create", ref="currencies"),
    "feeAmount": Field("decimal", "create"),
    "feeAccountId": Field("ref", "create", ref="accounts"),
    "isVoided": Field("bool"),
    "createdTime": ro(),
    "contactBalancePostings": ro(),
}


def create_payment(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "bankPayment")
    key = client_key(data, "bankPayment")
    invalid = Invalid()
    values = read_record(
        org, "bankPayment", PAYMENT_FIELDS, without(data, "associations"), invalid, error_key=key
    )
    subjects = _read_subjects(org, data.get("associations"), values.get("cashSide"), invalid, key)
    if values.get("isVoided"):
        invalid.field(key, "isVoided", "a new payment cannot be voided; leave it false")
    _check_amounts(org, values, invalid, key)
    check_open_period(org, values.get("entryDate"), invalid, key)
    invalid.raise_if_any()

    currency = subjects[0]["currencyId"]
    if values.get("subjectCurrencyId") not in (None, currency):
        invalid.field(key, "subjectCurrencyId", f"must be the associations' currency ({currency})")
    cash_account = org.get("accounts", values["cashAccountId"])
    rate = values.get("cashExchangeRate")
    if cash_account["currencyId"] == currency:
        rate = Decimal(1)
    elif rate is not None and rate != rate.quantize(Decimal("0.000001")):
        invalid.field(key, "cashExchangeRate", "accepts at most 6 decimals")
    elif rate is None or rate <= 0:
        invalid.field(
            key,
            "cashExchangeRate",
            f"is required (> 0) when the cash account's "
            f"currency ({cash_account['currencyId']}) differs from the invoice "
            f"currency ({currency}): 1 {currency} = cashExchangeRate "
            f"{cash_account['currencyId']}",
        )
    invalid.raise_if_any()
    assert rate is not None

    fee = values.get("feeAmount") or ZERO
    fee_account = values.get("feeAccountId") or (
        org.record["defaultBankFeeAccountId"] if fee else None
    )
    payment = org.insert(
        "bankPayments",
        {
            "contactId": values.get("contactId") or subjects[0]["contactId"],
            "createdTime": timestamp(org.now()),
            "entryDate": values["entryDate"],
            "cashAmount": values["cashAmount"],
            "cashSide": values["cashSide"],
            "cashAccountId": values["cashAccountId"],
            "cashExchangeRate": rate,
            "subjectCurrencyId": currency,
            "feeAmount": values.get("feeAmount"),
            "feeAccountId": fee_account,
            "isVoided": False,
        },
    )
    changes = Changes()
    changes.add("bankPayments", payment)
    # A deposit's fee was taken by the payment provider: it still pays the invoice.
    money = values["cashAmount"] + (fee if values["cashSide"] == "debit" else ZERO)
    _allocate(org, payment, subjects, round2(money / rate), changes)
    return changes


def update_payment(org: Organization, payment_id: str, document: dict[str, Any]) -> Changes:
    payment = org.get("bankPayments", payment_id)
    data = unwrap(document, "bankPayment")
    check_id(data, payment_id, "bankPayment")
    key = client_key(data, "bankPayment")
    invalid = Invalid()
    values = read_record(
        org,
        "bankPayment",
        PAYMENT_FIELDS,
        without(data, "associations"),
        invalid,
        error_key=key,
        existing=payment,
    )
    if "associations" in data:
        current = [a["subjectReference"] for a in _associations(org, payment_id)]
        given = [
            a.get("subjectReference") for a in data["associations"] or [] if isinstance(a, dict)
        ]
        if given != current:
            invalid.field(
                key,
                "associations",
                "cannot be changed after the payment is created; void it and create a new one",
            )
    if payment["isVoided"] and values.get("isVoided") is False:
        invalid.field(key, "isVoided", "a voided payment cannot be restored; create a new one")
    invalid.raise_if_any()
    changes = Changes()
    changes.add("bankPayments", payment)
    if values.get("isVoided") and not payment["isVoided"]:
        payment["isVoided"] = True
        for association in _associations(org, payment_id):
            subject = org.get("invoices", association["_subjectId"])
            settle(subject, -association["_amount"])
            changes.add("invoices", subject)
    return changes


def _read_subjects(
    org: Organization, raw: Any, side: Any, invalid: Invalid, key: str
) -> list[Record]:
    if not isinstance(raw, list) or not raw or not all(isinstance(a, dict) for a in raw):
        invalid.field(
            key,
            "associations",
            'needs at least one {"subjectReference": '
            '"invoice:<id>"} (the invoice or credit note this payment settles)',
        )
        return []
    subjects: list[Record] = []
    for index, association in enumerate(raw):
        field = f"associations[{index}].subjectReference"
        match = _SUBJECT.match(str(association.get("subjectReference") or ""))
        subject = org.find("invoices", match["id"]) if match else None
        if subject is None:
            invalid.field(key, field, "must be `invoice:<id>` of an invoice in this organization")
            continue
        if subject["state"] != "approved":
            invalid.field(key, field, "the invoice is a draft; approve it before paying it")
        expected = "invoice" if side == "debit" else "creditNote"
        if side in ("debit", "credit") and subject["type"] != expected:
            invalid.field(
                key,
                field,
                "a debit (deposit) settles invoices, a credit "
                "(withdrawal, refund) settles credit notes",
            )
        subjects.append(subject)
    if len({s["currencyId"] for s in subjects}) > 1:
        invalid.field(key, "associations", "all associations must share one currency")
    return subjects


def _check_amounts(org: Organization, values: Record, invalid: Invalid, key: str) -> None:
    amount = values.get("cashAmount")
    if amount is not None and amount <= 0:
        invalid.field(key, "cashAmount", "must be greater than 0 (cashSide gives the direction)")
    fee = values.get("feeAmount")
    if fee is not None and fee < 0:
        invalid.field(key, "feeAmount", "must not be negative")
    account = org.find("accounts", values.get("cashAccountId"))
    if account is not None and not account["isPaymentEnabled"]:
        invalid.field(
            key,
            "cashAccountId",
            f"account {account['accountNo']} "
            f"{account['name']} is not payment-enabled; choose an account with "
            "isPaymentEnabled (e.g. 5710 Bank)",
        )


def _allocate(
    org: Organization, payment: Record, subjects: list[Record], money: Decimal, changes: Changes
) -> None:
    remaining = money
    for index, subject in enumerate(subjects):
        last = index == len(subjects) - 1
        amount = remaining if last else min(remaining, outstanding(subject))
        remaining -= amount
        association = org.insert(
            "bankPaymentAssociations",
            {
                "bankPaymentId": payment["id"],
                "subjectReference": f"invoice:{subject['id']}",
                "_subjectId": subject["id"],
                "_amount": amount,
            },
        )
        settle(subject, amount)
        changes.add("bankPaymentAssociations", association)
        changes.add("invoices", subject)


def _associations(org: Organization, payment_id: str) -> list[Record]:
    return org.children("bankPaymentAssociations", "bankPaymentId", payment_id)
