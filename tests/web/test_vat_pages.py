"""Settings → VAT and the OSS report page with its CSV, against the Billy emulator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import bindings, shops
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import add_shop, seen, shop_row

KEY = "billy-token-vat-0001-abcd"


@pytest.fixture
def shop(admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator) -> int:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Butik A", "generic")
    billy.add_organization(KEY, "Butik ApS")
    with BillyClient(KEY, transport=billy.transport()) as api:
        accounts = {a.account_no: a.id for a in api.accounts.list()}
    with rt.db.session() as session:
        row = shops.get_shop(session, shop_id)
        assert row is not None
        shops.set_billy_key(row, KEY, rt.box)
        row.post_payments = True
        row.payment_account_id = accounts[5710]
    return shop_id


def accounts(billy: BillyEmulator) -> dict[int, str]:
    with BillyClient(KEY, transport=billy.transport()) as api:
        return {a.account_no: a.id for a in api.accounts.list() if a.account_no}


def save(client: TestClient, csrf: str, shop_id: int, **fields: str) -> str:
    answer = client.post(
        f"/shops/{shop_id}/settings/vat",
        data={"csrf_token": csrf, **fields},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return seen(client.get(f"/shops/{shop_id}/settings"))


def test_the_settings_page_says_what_each_vat_choice_means(
    admin: tuple[TestClient, str], shop: int
) -> None:
    client, _ = admin
    danish = seen(client.get(f"/shops/{shop}/settings", headers={"accept-language": "da"}))
    assert 'id="oss_registered"' in danish and 'id="gift_card_line"' in danish
    assert "Registreret i EU's One Stop Shop (OSS)" in danish
    assert "overstiger 10.000 euro" in danish and "OSS-angivelsen" in danish
    assert "er et betalingsmiddel: varerne beholder hele momsen" in danish
    assert "Rabatkoder er prisnedslag" in danish
    english = seen(client.get(f"/shops/{shop}/settings", headers={"accept-language": "en"}))
    assert "exceed EUR 10,000 a year" in english and "is a means of payment" in english


def test_oss_and_gift_cards_as_payments_are_saved(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    gift_account = accounts(billy)[5730]
    page = save(
        client,
        csrf,
        shop,
        oss_registered="on",
        gift_card_booking="payment",
        gift_card_account_id=gift_account,
    )
    row = shop_row(rt, shop)
    assert row is not None
    assert (row.oss_registered, row.gift_card_booking, row.gift_card_account_id) == (
        True,
        "payment",
        gift_account,
    )
    assert f'value="{gift_account}" selected' in page
    save(client, csrf, shop, gift_card_booking="line", gift_card_account_id=gift_account)
    row = shop_row(rt, shop)
    assert row is not None
    assert (row.oss_registered, row.gift_card_booking, row.gift_card_account_id) == (
        False,
        "line",
        None,
    )


@pytest.mark.parametrize(
    ("account_no", "message"),
    [
        (None, "Choose the gift-card account"),
        (5710, "another account than the payment account"),
        (1110, "does not take payments"),
    ],
)
def test_a_gift_card_account_that_cannot_work_is_refused(
    admin: tuple[TestClient, str],
    shop: int,
    rt: Runtime,
    billy: BillyEmulator,
    account_no: int | None,
    message: str,
) -> None:
    client, csrf = admin
    account = accounts(billy)[account_no] if account_no else ""
    page = save(client, csrf, shop, gift_card_booking="payment", gift_card_account_id=account)
    assert message in page
    row = shop_row(rt, shop)
    assert row is not None and row.gift_card_booking == "line"


def _book_oss_invoice(billy: BillyEmulator, rate_id: str, country: str, price: str) -> None:
    with BillyClient(KEY, transport=billy.transport()) as api:
        contact = api.contacts.create({"name": "Kunde", "countryId": country, "type": "person"})
        product = api.products.create({"name": "Vare"})
        api.invoices.create(
            {
                "contactId": contact.id,
                "entryDate": "2026-11-02",
                "currencyId": "DKK",
                "taxMode": "incl",
                "state": "approved",
                "lines": [{"productId": product.id, "unitPrice": price, "taxRateId": rate_id}],
            }
        )


def test_the_oss_report_page_and_its_csv(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, _ = admin
    with BillyClient(KEY, transport=billy.transport()) as api:
        rate = api.tax_rates.create(
            {"name": "OSS DE 19 %", "abbreviation": "OSS-DE-19", "rate": 0.19}
        )
    with rt.db.session() as session:
        bindings.bind(session, shop, "oss_tax_rate", "OSS-DE-19", rate.id, marker="OSS-DE-19")
    _book_oss_invoice(billy, rate.id, "DE", "119.00")  # 100.00 net + 19.00 VAT
    _book_oss_invoice(billy, rate.id, "DE", "59.50")  # 50.00 net + 9.50 VAT
    page = seen(client.get(f"/shops/{shop}/oss?quarter=2026-Q4"))
    assert 'data-country="DE"' in page
    assert "150.00" in page and "28.50" in page
    answer = client.get(f"/shops/{shop}/oss.csv?quarter=2026-Q4")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="oss-2026-Q4.csv"' in answer.headers["content-disposition"]
    assert answer.text.splitlines() == [
        "kvartal;land;momssats;valuta;netto;moms;bilag",
        "2026-Q4;DE;19;DKK;150,00;28,50;2",
    ]
    empty = seen(client.get(f"/shops/{shop}/oss?quarter=2026-Q3"))
    assert 'id="oss-empty"' in empty
    assert client.get(f"/shops/{shop}/oss?quarter=nonsense").status_code == 400
    assert Decimal("0.19") == Decimal(str(rate.rate))


def test_the_preview_of_an_oss_sale_shows_the_destination_rate_and_writes_nothing(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, _ = admin
    with BillyClient(KEY, transport=billy.transport()) as api:
        shipping = api.products.create({"name": "Fragt", "productNo": "SHIPPING"})
        discount = api.products.create({"name": "Rabat", "productNo": "DISCOUNT"})
    with rt.db.session() as session:
        row = shops.get_shop(session, shop)
        assert row is not None
        row.sales_account_id = accounts(billy)[1110]
        row.shipping_product_id, row.discount_product_id = shipping.id, discount.id
        row.oss_registered = True
        token = shops.rotate_api_token(session, row)
    order = {
        "key": "P-FR",
        "number": "5002",
        "created_at": "2026-11-04T14:05:49+01:00",
        "paid_at": "2026-11-04T14:06:10+01:00",
        "customer": {"key": "c-fr", "name": "Marie Dupont", "country": "FR"},
        "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": "120.00"}],
        "total": 120,
    }
    put = client.put(
        "/api/v1/orders/P-FR", json=order, headers={"Authorization": f"Bearer {token}"}
    )
    assert put.status_code == 202
    writes_before = [e for e in billy.journal.entries() if e.method != "GET"]
    page = seen(client.get(f"/shops/{shop}/preview", params={"order": "P-FR"}))
    assert "that country's VAT (OSS)" in page
    # 120.00 incl. 20 % French VAT: 120 × 20 / 120 = 20.00 VAT.
    assert "20 %" in page and "20.00" in page
    assert [e for e in billy.journal.entries() if e.method != "GET"] == writes_before
