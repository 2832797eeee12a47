"""Models: Decimal money through parse_money, camelCase aliases, unknown keys kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billysync.billy.models import BankPayment, Contact, Invoice, InvoiceLine, Product


def test_money_is_decimal_read_from_the_number_text() -> None:
    line = InvoiceLine.model_validate({"id": "l1", "unitPrice": 19.99, "quantity": 7.5})
    assert line.unit_price == Decimal("19.99")
    assert line.quantity == Decimal("7.5")
    assert isinstance(line.unit_price, Decimal)
    payment = BankPayment.model_validate({"id": "p1", "cashAmount": "1.234,50", "feeAmount": None})
    assert payment.cash_amount == Decimal("1234.50")
    assert payment.fee_amount is None


def test_gross_amount_is_kept_when_billy_sends_it_and_computed_when_not() -> None:
    sent = Invoice.model_validate({"id": "i", "amount": 100, "tax": 25, "grossAmount": 125.01})
    assert sent.gross_amount == Decimal("125.01")
    computed = Invoice.model_validate({"id": "i", "amount": 80.8, "tax": 20.2})
    assert computed.gross_amount == Decimal("101.0")
    unknown = Invoice.model_validate({"id": "i"})
    assert unknown.gross_amount is None


def test_credit_note_type_and_the_other_spelling() -> None:
    assert Invoice.model_validate({"id": "i", "type": "creditNote"}).is_credit_note
    assert Invoice.model_validate({"id": "i", "type": "credit_note"}).type == "creditNote"
    with pytest.raises(ValueError):
        Invoice.model_validate({"id": "i", "type": "quote"})


def test_snake_case_names_and_camel_case_wire_names() -> None:
    contact = Contact(id="c1", contact_no="WEB-1", country_id="DK")
    assert contact.to_wire()["contactNo"] == "WEB-1"
    same = Contact.model_validate({"id": "c1", "contactNo": "WEB-1", "countryId": "DK"})
    assert same == contact


def test_unknown_keys_are_kept() -> None:
    product = Product.model_validate({"id": "p1", "imageUrl": None, "brandNewField": {"x": 1}})
    assert product.model_extra == {"imageUrl": None, "brandNewField": {"x": 1}}
    assert product.to_wire()["brandNewField"] == {"x": 1}


def test_missing_children_are_none_not_empty() -> None:
    assert Invoice.model_validate({"id": "i"}).lines is None
    assert Invoice.model_validate({"id": "i", "lines": []}).lines == []


def test_blank_dates_are_none() -> None:
    invoice = Invoice.model_validate({"id": "i", "entryDate": "", "createdTime": ""})
    assert invoice.entry_date is None and invoice.created_time is None
