"""contact_for: person or company, the fields Billy's VAT rules need, a stable contactNo."""

from __future__ import annotations

from billysync.mapping.contact import contact_for
from tests.support.mapping_builders import customer


def test_a_person_becomes_a_person_contact_with_an_email_contact_person() -> None:
    payload = contact_for(customer(), prefix="WEB-").to_payload()
    assert payload == {
        "type": "person",
        "name": "Anna Jensen",
        "countryId": "DK",
        "street": "Nørregade 1",
        "zipcodeText": "8000",
        "cityText": "Aarhus C",
        "phone": "+45 12 34 56 78",
        "contactNo": "WEB-C-cust-17",
        "isCustomer": True,
        "localeId": "da_DK",
        "contactPersons": [{"name": "Anna Jensen", "email": "anna@example.dk", "isPrimary": True}],
    }


def test_a_company_with_cvr_is_named_by_the_company_and_keeps_the_buyer_as_person() -> None:
    buyer = customer(company_name="Jensen ApS", cvr="DK12345678")
    draft = contact_for(buyer, prefix="")
    payload = draft.to_payload()
    assert payload["type"] == "company"
    assert payload["name"] == "Jensen ApS"
    assert payload["registrationNo"] == "DK12345678"
    assert payload["contactPersons"] == [
        {"name": "Anna Jensen", "email": "anna@example.dk", "isPrimary": True}
    ]
    assert payload["contactNo"] == "C-cust-17"


def test_a_cvr_alone_makes_a_company() -> None:
    payload = contact_for(customer(cvr="12345678"), prefix="").to_payload()
    assert payload["type"] == "company"
    assert payload["name"] == "Anna Jensen"


def test_a_public_customer_carries_its_ean() -> None:
    buyer = customer(company_name="Aarhus Kommune", cvr="55133018", ean="5798005770000")
    payload = contact_for(buyer, prefix="").to_payload()
    assert payload["ean"] == "5798005770000"
    assert payload["registrationNo"] == "55133018"
    assert payload["type"] == "company"


def test_a_foreign_customer_gets_english_and_its_country() -> None:
    payload = contact_for(customer(country="se", city="Malmö"), prefix="").to_payload()
    assert payload["countryId"] == "SE"
    assert payload["localeId"] == "en_US"


def test_without_email_there_is_no_contact_person_and_empty_fields_are_left_out() -> None:
    bare = customer(email=None, phone=None, street=None, zipcode=None, city=None)
    payload = contact_for(bare, prefix="").to_payload()
    assert "contactPersons" not in payload
    for absent in ("phone", "street", "zipcodeText", "cityText", "registrationNo", "ean"):
        assert absent not in payload


def test_a_returning_customer_gets_the_same_marker_even_after_moving() -> None:
    first = contact_for(customer(), prefix="WEB-")
    later = contact_for(customer(street="Vestergade 9", city="Odense C"), prefix="WEB-")
    other = contact_for(customer(key="cust-18"), prefix="WEB-")
    assert first.contact_no == later.contact_no
    assert other.contact_no != first.contact_no


def test_the_envelope_uses_billys_root_key() -> None:
    draft = contact_for(customer(), prefix="")
    assert draft.to_envelope() == {"contact": draft.to_payload()}
