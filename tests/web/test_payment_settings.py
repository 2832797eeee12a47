"""Settings → payments: an account per payment method, the fee account and invoice e-mail,
saved from the settings page against the Billy emulator and used by the engine's settings."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from tests.support.web_helpers import add_shop, seen

KEY = "billy-token-payments-0001"


@pytest.fixture
def shop(admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator) -> int:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Butik P", "generic")
    billy.add_organization(KEY, "Betaling ApS")
    with rt.db.session() as session:
        row = shops.get_shop(session, shop_id)
        assert row is not None
        shops.set_billy_key(row, KEY, rt.box)
    return shop_id


def accounts(billy: BillyEmulator) -> dict[int, str]:
    with BillyClient(KEY, transport=billy.transport()) as api:
        return {a.account_no: a.id for a in api.accounts.list() if a.account_no}


def post(client: TestClient, csrf: str, shop_id: int, data: dict[str, object]) -> str:
    answer = client.post(
        f"/shops/{shop_id}/settings/payments",
        data={"csrf_token": csrf, **data},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return seen(client.get(f"/shops/{shop_id}/settings", headers={"accept-language": "da"}))


def test_payment_methods_fee_account_and_email_are_saved_and_used(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    ids = accounts(billy)
    page = seen(client.get(f"/shops/{shop}/settings", headers={"accept-language": "da"}))
    assert "Betalingsmetoder, gebyrer og faktura-e-mail" in page and 'id="fee_account_id"' in page

    page = post(
        client,
        csrf,
        shop,
        {
            "method": ["MobilePay", "Kort", ""],
            "method_account": [ids[5730], ids[5710], ""],
            "fee_account_id": ids[2320],
            "email_invoices": "on",
        },
    )
    assert "Betalingsindstillingerne er gemt." in page
    assert 'value="mobilepay"' in page  # the saved method is shown again
    with rt.db.session() as session:
        row = shops.get_shop(session, shop)
        assert row is not None
        assert json.loads(row.payment_method_accounts or "{}") == {
            "mobilepay": ids[5730],
            "kort": ids[5710],
        }
        assert row.fee_account_id == ids[2320] and row.email_invoices is True
        row.sales_account_id = ids[1110]
        row.shipping_product_id = row.discount_product_id = "any"
        row.post_payments, row.payment_account_id = True, ids[5710]
        settings = billy_settings(row)
    assert settings.payment_method_accounts == {"mobilepay": ids[5730], "kort": ids[5710]}
    assert settings.fee_account_id == ids[2320] and settings.email_invoices


def test_accounts_that_cannot_serve_are_refused_and_nothing_is_saved(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    ids = accounts(billy)
    page = post(client, csrf, shop, {"method": "Faktura", "method_account": ids[1110]})
    assert "kan ikke modtage betalinger i Billy" in page
    page = post(client, csrf, shop, {"fee_account_id": ids[5710]})
    assert "Gebyrkontoen er ikke en udgiftskonto" in page
    with rt.db.session() as session:
        row = shops.get_shop(session, shop)
        assert row is not None
        assert row.payment_method_accounts is None and row.fee_account_id is None
