"""A shop with history for the merchant-page browser tests: a JSON API shop connected to the
Billy emulator over HTTP, orders booked by the engine's own transfer (no workers needed),
a return, a stopped and a skipped order, many older orders for paging, products."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from billysync.billy.client import BillyClient
from billysync.billy.errors import BillyError, error_for_response
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.shop.models import Order
from billysync.store import audit, bindings, shops
from billysync.sync import service
from billysync.sync.classify import classify
from billysync.sync.context import TransferContext
from billysync.sync.reasons import Reason, encode_retrying
from billysync.sync.runtime import Runtime
from billysync.sync.transfer import transfer_order
from tests.support.pages_world import put_transfer

BILLY_KEY = "merchant-billy-token-0042"
# A second organization with nothing set up, for a shop connected from scratch.
FRESH_KEY = "fresh-billy-token-0043"
OLDER_ORDERS = 60


def order(
    key: str,
    number: str,
    *,
    paid: bool = True,
    company: bool = False,
    discount_code: str | None = None,
    country: str = "DK",
) -> Order:
    """An order of 336.00 DKK (or 326.00 with a discount code of 10.00)."""
    customer = {
        "key": f"c-{key}",
        "name": "Mette Holm" if not company else "Ida Nielsen",
        "company_name": "Vejle Bibliotekerne" if company else None,
        "street": "Søndergade 12",
        "zipcode": "7100",
        "city": "Vejle",
        "country": country,
        "email": "mette@example.dk",
        "cvr": "17439154" if company else None,
    }
    total = "326.00" if discount_code else "336.00"
    return Order.model_validate(
        {
            "key": key,
            "number": number,
            "created_at": "2025-03-04T14:05:49+01:00",
            "paid_at": "2025-03-04T14:06:10+01:00" if paid else None,
            "customer": customer,
            "lines": [
                {
                    "item_number": "MUG-01",
                    "name": "Kaffekrus",
                    "quantity": 2,
                    "unit_price": "89.00",
                },
                {
                    "item_number": "BEAN-1",
                    "name": "Kaffebønner 500 g",
                    "quantity": 1,
                    "unit_price": "119.00",
                },
            ],
            "shipping": {"method": "GLS Pakkeshop", "price": "39.00"},
            "discounts": [{"code": discount_code, "amount": "10.00"}] if discount_code else [],
            "payment": {"amount": total, "date": "2025-03-04"} if paid else None,
            "total": total,
        }
    )


@dataclass
class World:
    shop_id: int
    api_token: str


def _configure(rt: Runtime, billy: BillyEmulator, billy_url: str) -> tuple[int, str]:
    billy.add_organization(BILLY_KEY, "Kaffebaren ApS")
    billy.add_organization(FRESH_KEY, "Tebutikken ApS")
    with BillyClient(BILLY_KEY, base_url=billy_url) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        made = {
            no: client.products.create(
                {
                    "name": name,
                    "productNo": no,
                    "accountId": accounts[1110],
                    "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
                }
            ).id
            for name, no in (("Fragt", "SHIPPING"), ("Rabat", "DISCOUNT"))
        }
    with rt.db.session() as session:
        shop, token = shops.create_shop(session, name="Kaffebaren", platform="generic")
        shops.set_billy_key(shop, BILLY_KEY, rt.box)
        shop.billy_base_url, shop.billy_org_name = billy_url, "Kaffebaren ApS"
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id, shop.discount_product_id = made["SHIPPING"], made["DISCOUNT"]
        shop.trigger, shop.post_payments = "paid", True
        shop.payment_account_id = accounts[5710]
        shop.order_prefix = "WEB-"
        return shop.id, token


def push_and_book(rt: Runtime, shop_id: int, obj: Order) -> None:
    """Receive the order as the JSON API does, then run the engine's transfer for it."""
    payload = obj.model_dump_json()
    service.submit(
        rt,
        service.Event(
            shop_id=shop_id,
            source=service.EventSource.API,
            name="order.updated",
            object_type="order",
            object_key=obj.key,
            dedupe_key=hashlib.sha256(payload.encode()).hexdigest(),
            payload=payload,
        ),
    )
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
    with rt.billy_client(shop) as client:
        transfer_order(
            TransferContext(rt, shop_id, "order", obj.key, "browser-test", client), obj.key
        )


def _billy_answer(status: int, body: dict[str, object], path: str) -> BillyError:
    return error_for_response(status=status, body=body, method="POST", path=path, safe=False)


def _billy_refused(path: str, record: str, field: str) -> str:
    """A reason as the engine stores it for Billy's 400 INVALID_RECORD on `field`."""
    body = {
        "errorCode": "INVALID_RECORD",
        "validationErrors": {record: {"attributes": {field: "is not valid here"}}},
    }
    return classify(_billy_answer(400, body, path)).reason.encode()


def build(rt: Runtime, billy: BillyEmulator, billy_url: str) -> World:
    shop_id, token = _configure(rt, billy, billy_url)
    start = datetime(2025, 2, 1, 9, tzinfo=UTC)
    with rt.db.session() as session:  # older history, for paging
        for i in range(OLDER_ORDERS):
            put_transfer(
                session,
                shop_id,
                "order",
                f"old-{i}",
                number=f"{9000 + i}",
                state="paid",
                amount_ore=25000 + i * 100,
                currency="DKK",
                invoice_no=str(100 + i),
                order_date=start + timedelta(hours=i),
            )
    push_and_book(rt, shop_id, order("A-1", "10001", company=True))
    push_and_book(rt, shop_id, order("A-2", "10002"))
    push_and_book(rt, shop_id, order("A-3", "10003", paid=False))
    # Texts sent to Billy follow the customer's language: a Danish and a Swedish customer.
    push_and_book(rt, shop_id, order("A-8", "10008", discount_code="JUL10"))
    push_and_book(rt, shop_id, order("A-9", "10009", discount_code="JUL10", country="SE"))
    with rt.db.session() as session:
        put_transfer(
            session,
            shop_id,
            "order",
            "A-4",
            number="10004",
            state="skipped",
            reason=Reason("log.cancelled").encode(),
            snapshot=order("A-4", "10004").model_dump_json(),
            order_date=datetime(2025, 3, 5, 10, tzinfo=UTC),
        )
        put_transfer(
            session,
            shop_id,
            "order",
            "A-5",
            number="10005",
            state="failed",
            error_kind="configuration",
            reason=_billy_refused("/bankPayments", "bankPayment", "cashAccountId"),
            snapshot=order("A-5", "10005").model_dump_json(),
            order_date=datetime(2025, 3, 5, 11, tzinfo=UTC),
        )
        # Billy did not answer a write: we look it up before the next attempt, at 14:05.
        put_transfer(
            session,
            shop_id,
            "order",
            "A-6",
            number="10006",
            state="failed",
            error_kind="transient",
            reason=encode_retrying(
                classify(_billy_answer(503, {}, "/invoices")).reason,
                Reason("wait.retry_at", {"at": "14:05", "attempt": "3"}),
            ),
            snapshot=order("A-6", "10006").model_dump_json(),
            order_date=datetime(2025, 3, 5, 12, tzinfo=UTC),
        )
        # Billy refused a line's VAT rate: its words are kept, shown apart as a quote.
        put_transfer(
            session,
            shop_id,
            "order",
            "A-7",
            number="10007",
            state="failed",
            error_kind="configuration",  # as the engine files it: fixed in Billy
            reason=_billy_refused("/invoices", "invoice", "taxRateId"),
            snapshot=order("A-7", "10007").model_dump_json(),
            order_date=datetime(2025, 3, 5, 13, tzinfo=UTC),
        )
        put_transfer(
            session,
            shop_id,
            "return",
            "R-1",
            number="10002-R1",
            state="credited",
            amount_ore=17800,
            currency="DKK",
            invoice_no="104",
            snapshot=json.dumps({"key": "R-1", "order_key": "A-2", "amount": "178.00"}),
            order_date=datetime(2025, 3, 6, 9, tzinfo=UTC),
        )
        bindings.bind(
            session, shop_id, "product", "CUP-02", "bp-cup", marker="CUP-02", extra={"name": "Kop"}
        )
        audit.record(
            session,
            shop_id=shop_id,
            kind="product",
            object_key="p-tea",
            step="product",
            message=f"product TEA-03: {_billy_refused('/products', 'product', 'prices')}",
        )
    return World(shop_id, token)
