"""The Billy emulator's reference data, envelopes, auth, routing, isolation and listing.

Shapes are compared with the real Billy responses in tests/fixtures/billy.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from billysync.emulators.billy import BillyEmulator
from tests.support.captured import billy_fixture

TOKEN = "test-token-reference-0001"
OTHER = "test-token-reference-0002"


def client(emu: BillyEmulator, token: str | None = TOKEN) -> httpx2.Client:
    headers = {"X-Access-Token": token} if token else {}
    return httpx2.Client(
        transport=emu.transport(), base_url="https://api.billysbilling.com/v2", headers=headers
    )


@pytest.fixture
def emu() -> BillyEmulator:
    emulator = BillyEmulator(seed=3)
    emulator.add_organization(TOKEN)
    return emulator


@pytest.fixture
def api(emu: BillyEmulator) -> httpx2.Client:
    return client(emu)


def accounts_by_no(api: httpx2.Client) -> dict[int, dict[str, Any]]:
    return {a["accountNo"]: a for a in api.get("/accounts").json()["accounts"]}


def test_organization_has_every_field_of_the_fixture(
    api: httpx2.Client,
) -> None:
    real = billy_fixture("organizations_single.json")
    answer = api.get("/organization")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == set(real)
    assert set(body["meta"]) == set(real["meta"])
    org = body["organization"]
    assert set(real["organization"]) <= set(org)
    assert org["baseCurrencyId"] == "DKK"
    assert org["defaultTaxMode"] == "incl"
    assert org["isLocked"] is False
    assert len(org["id"]) == 22
    accounts = accounts_by_no(api)
    assert org["defaultSalesAccountId"] == accounts[1110]["id"]
    assert org["defaultInvoiceBankAccountId"] == accounts[5710]["id"]
    default = api.get(f"/salesTaxRulesets/{org['defaultSalesTaxRulesetId']}").json()
    assert default["salesTaxRuleset"]["abbreviation"] == "DK"
    assert api.get(f"/organizations/{org['id']}").json()["organization"]["id"] == org["id"]
    listed = api.get("/organizations").json()
    assert [o["id"] for o in listed["organizations"]] == [org["id"]]


def test_accounts_have_the_fixture_shape_and_the_danish_chart(
    api: httpx2.Client,
) -> None:
    real = billy_fixture("accounts_list.json")
    body = api.get("/accounts").json()
    assert set(body["meta"]["paging"]) == set(real["meta"]["paging"])
    real_keys = set(real["accounts"][0])
    assert all(set(account) == real_keys for account in body["accounts"])
    accounts = {a["accountNo"]: a for a in body["accounts"]}
    assert {1110, 1115, 1120, 1130, 1140, 1150, 5710, 5810, 7250} <= set(accounts)
    assert all(accounts[no]["natureId"] == "revenue" for no in (1110, 1115, 1120, 1130, 1140))
    assert accounts[5710]["isBankAccount"] and accounts[5710]["isPaymentEnabled"]
    payment_enabled = [a for a in body["accounts"] if a["isPaymentEnabled"]]
    assert len(payment_enabled) >= 2
    assert accounts[5810]["systemRole"] == "accountsReceivable"
    assert accounts[7250]["systemRole"] == "salesTax"
    assert any(a["systemRole"] == "realizedCurrencyDifference" for a in body["accounts"])
    sales_rate = api.get(f"/taxRates/{accounts[1110]['taxRateId']}").json()["taxRate"]
    assert sales_rate["rate"] == 0.25
    single = api.get(f"/accounts/{accounts[5710]['id']}").json()
    assert set(single["account"]) == set(billy_fixture("accounts_single.json")["account"])


def test_tax_rates_and_rulesets(api: httpx2.Client) -> None:
    rates = api.get("/taxRates").json()["taxRates"]
    assert {r["rate"] for r in rates if r["appliesToSales"]} == {0.25, 0}
    rulesets = api.get(
        "/salesTaxRulesets", params={"include": "salesTaxRuleset.rules:embed"}
    ).json()["salesTaxRulesets"]
    by_name = {r["name"]: r for r in rulesets}
    assert "Momsfrit" in by_name
    danish = next(r for r in rulesets if r["abbreviation"] == "DK")
    groups = {rule["countryGroupId"] for rule in danish["rules"]}
    assert {"EU", "WORLD"} <= groups
    assert {rule["contactType"] for rule in danish["rules"]} >= {"company", "person"}
    without = api.get("/salesTaxRulesets").json()["salesTaxRulesets"]
    assert all("rules" not in r for r in without)
    rules = api.get("/salesTaxRules", params={"rulesetId": danish["id"]}).json()["salesTaxRules"]
    assert len(rules) == len(danish["rules"])


def test_currencies_countries_and_country_groups(api: httpx2.Client) -> None:
    currencies = {c["id"]: c for c in api.get("/currencies").json()["currencies"]}
    assert {"DKK", "EUR", "SEK", "NOK", "USD", "GBP"} <= set(currencies)
    assert currencies["DKK"]["exchangeRate"] == 1
    assert 7 < currencies["EUR"]["exchangeRate"] < 8
    assert api.get("/currencies/EUR").json()["currency"]["name"] == "Euro"
    countries = {c["id"] for c in api.get("/countries").json()["countries"]}
    assert {"DK", "DE", "SE", "FR", "NO", "GB", "US"} <= countries
    eu = api.get("/countryGroups/EU").json()["countryGroup"]
    assert len(eu["memberCountryIds"]) == 27
    assert "DE" in eu["memberCountryIds"] and "NO" not in eu["memberCountryIds"]
    assert "GB" not in eu["memberCountryIds"]
    assert api.post("/currencies", json={"currency": {"id": "XXX"}}).status_code == 405


def test_authentication(emu: BillyEmulator) -> None:
    missing = client(emu, None).get("/accounts")
    assert missing.status_code == 401
    assert missing.json()["errorCode"] == "AUTHENTICATION_REQUIRED"
    wrong = client(emu, "not-a-token-we-know").get("/organization")
    assert wrong.status_code == 401
    assert wrong.json()["errorCode"] == "OAUTH_INVALID_ACCESS_TOKEN"
    real_error = billy_fixture("error_unauthorized.json")
    assert set(real_error) <= set(wrong.json())
    assert wrong.json()["meta"] == {"statusCode": 401, "success": False}
    # Billy's own client reads these without a token (docs/billy-api.md §1.2)
    assert client(emu, None).get("/currencies").status_code == 200


def test_routes_methods_and_bodies(api: httpx2.Client) -> None:
    unknown = api.get("/webhooks")
    assert unknown.status_code == 404
    assert unknown.json()["errorCode"] == "UNKNOWN_RESOURCE"
    missing = api.get("/contacts/hSAz8KBCTPudbq4mBrvvaw")
    assert missing.status_code == 404
    assert missing.json() == {
        **billy_fixture("error_not_found.json"),
        "helpUrl": missing.json()["helpUrl"],
    }
    assert api.put("/organization", json={"organization": {"name": "X"}}).status_code == 405
    assert api.delete("/bankPayments/whatever").status_code == 405
    for body in (b"[1, 2]", b"", b"{not json", b'"text"'):
        answer = api.post("/contacts", content=body)
        assert answer.status_code == 400, body
        assert answer.json()["errorCode"] == "INVALID_REQUEST_BODY"
    assert api.post("/contacts", json={"contacts": {}}).json()["errorCode"] == (
        "INVALID_REQUEST_BODY"
    )


def test_organization_update_goes_to_organizations_id(api: httpx2.Client) -> None:
    org = api.get("/organization").json()["organization"]
    answer = api.put(
        f"/organizations/{org['id']}",
        json={"organization": {"name": "Butik ApS", "baseCurrencyId": "EUR", "isLocked": True}},
    )
    assert answer.status_code == 200
    assert answer.json()["organizations"][0]["name"] == "Butik ApS"
    after = api.get("/organization").json()["organization"]
    assert after["name"] == "Butik ApS"
    assert after["baseCurrencyId"] == "DKK"  # read-only fields are ignored
    assert after["isLocked"] is False


def test_ids_are_deterministic_from_the_seed() -> None:
    def account_ids(seed: int) -> list[str]:
        emulator = BillyEmulator(seed=seed)
        emulator.add_organization(TOKEN)
        return [a["id"] for a in client(emulator).get("/accounts").json()["accounts"]]

    assert account_ids(5) == account_ids(5)
    assert account_ids(5) != account_ids(6)


def test_contacts_shape_and_embedded_contact_persons(
    api: httpx2.Client,
) -> None:
    created = api.post(
        "/contacts",
        json={
            "contact": {
                "name": "Hannah Krog",
                "countryId": "DK",
                "type": "person",
                "contactNo": "shop-7",
                "contactPersons": [
                    {"name": "Hannah Krog", "email": "h@example.dk", "isPrimary": True}
                ],
            }
        },
    )
    assert created.status_code == 200
    body = created.json()
    contact = body["contacts"][0]
    real = billy_fixture("contacts_single.json")["contact"]
    assert set(contact) == set(real)
    assert body["contactPersons"][0]["contactId"] == contact["id"]
    person_keys = set(billy_fixture("contactPersons_single.json")["contactPerson"])
    assert set(body["contactPersons"][0]) == person_keys
    plain = api.get(f"/contacts/{contact['id']}").json()["contact"]
    assert "contactPersons" not in plain
    embedded = api.get(
        f"/contacts/{contact['id']}", params={"include": "contact.contactPersons:embed"}
    ).json()["contact"]
    assert [p["email"] for p in embedded["contactPersons"]] == ["h@example.dk"]
    sideloaded = api.get(
        f"/contacts/{contact['id']}", params={"include": "contact.contactPersons"}
    ).json()
    assert sideloaded["contact"]["contactPersonIds"] == [body["contactPersons"][0]["id"]]
    assert sideloaded["contactPersons"][0]["email"] == "h@example.dk"
    bare = api.get("/contactPersons")
    assert bare.status_code == 400
    persons = api.get("/contactPersons", params={"contactId": contact["id"]}).json()
    assert [p["id"] for p in persons["contactPersons"]] == [body["contactPersons"][0]["id"]]


def test_contact_persons_are_replaced_on_put(api: httpx2.Client) -> None:
    created = api.post(
        "/contacts",
        json={
            "contact": {
                "name": "A/S",
                "countryId": "DK",
                "contactPersons": [{"name": "Old", "email": "old@example.dk"}],
            }
        },
    ).json()
    old_id = created["contactPersons"][0]["id"]
    contact_id = created["contacts"][0]["id"]
    updated = api.put(
        f"/contacts/{contact_id}",
        json={"contact": {"contactPersons": [{"name": "New", "email": "new@example.dk"}]}},
    ).json()
    assert updated["meta"]["deletedRecords"] == {"contactPersons": [old_id]}
    persons = api.get("/contactPersons", params={"contactId": contact_id}).json()
    assert [p["email"] for p in persons["contactPersons"]] == ["new@example.dk"]


def test_products_shape_and_prices(api: httpx2.Client) -> None:
    created = api.post(
        "/products",
        json={
            "product": {
                "name": "Pen",
                "productNo": "SKU-1",
                "prices": [
                    {"unitPrice": 200, "currencyId": "DKK"},
                    {"unitPrice": 27.5, "currencyId": "EUR"},
                ],
            }
        },
    ).json()
    product = created["products"][0]
    assert set(product) == set(billy_fixture("products_single.json")["product"])
    org = api.get("/organization").json()["organization"]
    assert product["accountId"] == org["defaultSalesAccountId"]
    assert product["salesTaxRulesetId"] is None
    assert sorted(p["unitPrice"] for p in created["productPrices"]) == [27.5, 200]
    replaced = api.put(
        f"/products/{product['id']}",
        json={"product": {"prices": [{"unitPrice": 250, "currencyId": "DKK"}]}},
    ).json()
    assert len(replaced["meta"]["deletedRecords"]["productPrices"]) == 2
    embedded = api.get(
        f"/products/{product['id']}", params={"include": "product.prices:embed"}
    ).json()["product"]
    assert [(p["unitPrice"], p["currencyId"]) for p in embedded["prices"]] == [(250, "DKK")]
    prices = api.get("/productPrices", params={"productId": product["id"]}).json()
    assert len(prices["productPrices"]) == 1


def test_known_filters_narrow_and_unknown_filters_are_ignored(api: httpx2.Client) -> None:
    for number in range(3):
        api.post(
            "/contacts",
            json={
                "contact": {"name": f"C{number}", "countryId": "DK", "contactNo": f"no-{number}"}
            },
        )
        api.post("/products", json={"product": {"name": f"P{number}", "productNo": f"p-{number}"}})
    by_no = api.get("/contacts", params={"contactNo": "no-1"}).json()
    assert [c["name"] for c in by_no["contacts"]] == ["C1"]
    assert by_no["meta"]["paging"]["total"] == 1
    assert api.get("/contacts", params={"name": "C1"}).json()["meta"]["paging"]["total"] == 3
    assert [
        p["name"] for p in api.get("/products", params={"productNo": "p-2"}).json()["products"]
    ] == ["P2"]


def test_undocumented_filters_can_be_switched_off() -> None:
    emulator = BillyEmulator(honour_undocumented_filters=False)
    emulator.add_organization(TOKEN)
    api = client(emulator)
    for number in range(2):
        api.post(
            "/contacts",
            json={
                "contact": {"name": f"C{number}", "countryId": "DK", "contactNo": f"no-{number}"}
            },
        )
    assert api.get("/contacts", params={"contactNo": "no-1"}).json()["meta"]["paging"]["total"] == 2


def test_paging(api: httpx2.Client) -> None:
    for number in range(5):
        api.post("/contacts", json={"contact": {"name": f"C{number}", "countryId": "DK"}})
    first = api.get("/contacts", params={"pageSize": 2}).json()
    assert first["meta"]["paging"] == {"page": 1, "pageCount": 3, "pageSize": 2, "total": 5}
    last = api.get("/contacts", params={"pageSize": 2, "page": 3}).json()
    assert [c["name"] for c in last["contacts"]] == ["C4"]
    default = api.get("/contacts").json()["meta"]["paging"]
    assert default["pageSize"] == 1000
    assert (
        api.get("/contacts", params={"pageSize": 5000}).json()["meta"]["paging"]["pageSize"] == 1000
    )
    assert api.get("/contacts", params={"page": 0}).status_code == 400
    ordered = api.get("/contacts", params={"sortProperty": "name", "sortDirection": "DESC"})
    assert [c["name"] for c in ordered.json()["contacts"]] == ["C4", "C3", "C2", "C1", "C0"]


def test_two_tokens_see_two_separate_organizations(emu: BillyEmulator) -> None:
    emu.add_organization(OTHER, "Other ApS")
    mine, theirs = client(emu), client(emu, OTHER)
    assert (
        mine.get("/organization").json()["organization"]["id"]
        != theirs.get("/organization").json()["organization"]["id"]
    )
    contact = mine.post("/contacts", json={"contact": {"name": "Mine", "countryId": "DK"}})
    contact_id = contact.json()["contacts"][0]["id"]
    assert theirs.get(f"/contacts/{contact_id}").status_code == 404
    assert theirs.get("/contacts").json()["contacts"] == []
    assert theirs.put(f"/contacts/{contact_id}", json={"contact": {"name": "x"}}).status_code == 404
    my_accounts = {a["id"] for a in mine.get("/accounts").json()["accounts"]}
    their_accounts = {a["id"] for a in theirs.get("/accounts").json()["accounts"]}
    assert not my_accounts & their_accounts
    product = theirs.post("/products", json={"product": {"name": "P"}}).json()["products"][0]
    stolen = theirs.post(
        "/invoices",
        json={
            "invoice": {
                "contactId": contact_id,
                "entryDate": "2026-01-02",
                "currencyId": "DKK",
                "lines": [{"productId": product["id"], "unitPrice": 10}],
            }
        },
    )
    assert stolen.status_code == 400
    assert "contactId" in stolen.json()["validationErrors"]["invoice"]["attributes"]
    assert emu.ledger(OTHER).contacts() == []


def test_a_locked_organization_reads_but_refuses_writes(
    emu: BillyEmulator, api: httpx2.Client
) -> None:
    emu.lock_organization(TOKEN, "subscription expired")
    org = api.get("/organization").json()["organization"]
    assert org["isLocked"] is True and org["lockedReason"] == "subscription expired"
    refused = api.post("/contacts", json={"contact": {"name": "X", "countryId": "DK"}})
    assert refused.status_code == 403
    assert refused.json()["errorCode"] == "ORGANIZATION_LOCKED"
    assert emu.ledger(TOKEN).contacts() == []
    emu.unlock_organization(TOKEN)
    assert api.post("/contacts", json={"contact": {"name": "X", "countryId": "DK"}}).is_success
