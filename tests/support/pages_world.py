"""A shop for the admin-page tests: set up as the settings page leaves it against the Billy
emulator (in process), an order pushed through the JSON API, and that order booked in Billy."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import bindings, shops, transfers
from billysync.store.tables import Transfer, utcnow
from billysync.sync.runtime import Runtime

KEY = "billy-token-pages-5678"


def put_transfer(session: Session, shop_id: int, kind: str, key: str, **fields: Any) -> Transfer:
    """A transfer row as the engine would have left it (created, or its fields replaced)."""
    row = transfers.ensure_transfer(session, shop_id, kind, key)
    if kind == "order":
        row.order_key = key
    for name, value in fields.items():
        if not hasattr(Transfer, name):
            raise AttributeError(f"transfers have no column {name!r}")
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.flush()
    return row


def configure_shop(rt: Runtime, billy: BillyEmulator, shop_id: int, key: str = KEY) -> None:
    """A shop set up as the settings page would leave it (ids from the emulator)."""
    billy.add_organization(key, "Butik ApS")
    with BillyClient(key, transport=billy.transport()) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        made = [
            client.products.create(
                {"name": name, "productNo": no, "prices": [{"unitPrice": 0, "currencyId": "DKK"}]}
            )
            for name, no in (("Fragt", "SHIPPING"), ("Rabat", "DISCOUNT"))
        ]
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_billy_key(shop, key, rt.box)
        shop.billy_org_name = "Butik ApS"
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id, shop.discount_product_id = made[0].id, made[1].id
        shop.payment_account_id = accounts[5710]


ORDER = {
    "key": "A-1",
    "number": "1001",
    "created_at": "2025-03-04T14:05:49+01:00",
    "paid_at": "2025-03-04T14:06:10+01:00",
    "customer": {
        "key": "c-1",
        "name": "Jens Hansen",
        "street": "Vestergade 3",
        "zipcode": "8000",
        "city": "Aarhus C",
        "country": "DK",
    },
    "lines": [{"item_number": "MUG-01", "name": "Krus", "quantity": 2, "unit_price": "89.00"}],
    "payment": {"amount": "178.00", "date": "2025-03-04"},
    "total": "178.00",
}


def book_in_billy(billy: BillyEmulator, rt: Runtime, shop_id: int) -> str:
    """Order A-1 booked in the emulator as the engine books it: contact, invoice, payment."""
    with BillyClient(KEY, transport=billy.transport()) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        contact = client.contacts.create(
            {
                "name": "Jens Hansen",
                "countryId": "DK",
                "street": "Vestergade 3",
                "zipcodeText": "8000",
                "cityText": "Aarhus C",
                "type": "person",
            }
        )
        product = client.products.create(
            {
                "name": "Krus",
                "productNo": "MUG-01",
                "prices": [{"unitPrice": 89, "currencyId": "DKK"}],
            }
        )
        invoice = client.invoices.create(
            {
                "contactId": contact.id,
                "entryDate": "2025-03-04",
                "currencyId": "DKK",
                "taxMode": "incl",
                "orderNo": "1001",
                "state": "approved",
                "lines": [
                    {"productId": product.id, "description": "Krus", "quantity": 2, "unitPrice": 89}
                ],
            }
        )
        client.bank_payments.create(
            {
                "entryDate": "2025-03-04",
                "cashAmount": 178,
                "cashSide": "debit",
                "cashAccountId": accounts[5710],
                "associations": [{"subjectReference": f"invoice:{invoice.id}"}],
            }
        )
    with rt.db.session() as session:
        bindings.bind(session, shop_id, "invoice", "A-1", invoice.id, marker="1001")
        put_transfer(
            session,
            shop_id,
            "order",
            "A-1",
            state="paid",
            invoice_no=invoice.invoice_no,
            invoice_id=invoice.id,
            amount_ore=17800,
            currency="DKK",
        )
    return invoice.id
