"""Examples for the JSON API's documentation (FastAPI's /docs): a paid order, a return of
part of it, and a product with a variant. Amounts are JSON numbers or strings ("149.95");
money taken off (discounts, gift cards) is a positive amount.
"""

from __future__ import annotations

from typing import Any

_CUSTOMER = {
    "key": "cust-1042",
    "name": "Jens Hansen",
    "company_name": "Hansen ApS",
    "street": "Vestergade 1",
    "zipcode": "8000",
    "city": "Aarhus C",
    "country": "DK",
    "email": "jens@example.dk",
    "cvr": "12345678",
}

ORDER: dict[str, Any] = {
    "paid": {
        "summary": "A paid order with shipping and a voucher",
        "value": {
            "key": "100234",
            "number": "10234",
            "created_at": "2025-03-04T14:05:49+01:00",
            "paid_at": "2025-03-04T14:06:10+01:00",
            "currency": "DKK",
            "prices_include_vat": True,
            "customer": _CUSTOMER,
            "lines": [
                {
                    "item_number": "TSHIRT-RED-M",
                    "name": "T-shirt",
                    "variant": "Red, M",
                    "quantity": 2,
                    "unit_price": "149.95",
                },
                {"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": 89},
            ],
            "shipping": {"method": "GLS Pakkeshop", "price": 39},
            "discounts": [{"code": "SPRING10", "amount": "42.89"}],
            "payment": {"amount": "385.01", "date": "2025-03-04", "method": "quickpay"},
            "total": "385.01",
        },
    },
    "waiting": {
        "summary": "A new, unpaid order (booked later, when paid or shipped)",
        "value": {
            "key": "100235",
            "number": "10235",
            "created_at": "2025-03-04T15:00:00+01:00",
            "customer": {"key": "anna@example.dk", "name": "Anna Jensen", "country": "DK"},
            "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": 89}],
            "total": 89,
        },
    },
    "reverse_charge": {
        "summary": "A German company with an EU VAT number: booked without VAT (reverse charge)",
        "value": {
            "key": "100236",
            "number": "10236",
            "created_at": "2025-03-05T09:00:00+01:00",
            "paid_at": "2025-03-05T09:01:00+01:00",
            "currency": "EUR",
            "prices_include_vat": False,
            "customer": {
                "key": "cust-2001",
                "name": "Anna Müller",
                "company_name": "Müller GmbH",
                "country": "DE",
                "eu_vat_number": "DE123456789",
            },
            "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 10, "unit_price": 9}],
            "total": 90,
        },
    },
}

RETURN: dict[str, Any] = {
    "partial": {
        "summary": "One mug returned and refunded",
        "value": {
            "key": "R-5001",
            "order_key": "100234",
            "order_number": "10234",
            "date": "2025-03-10",
            "currency": "DKK",
            "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": 89}],
            "amount": 89,
            "refunded": True,
        },
    }
}

PRODUCT: dict[str, Any] = {
    "variants": {
        "summary": "A product whose variants have their own item numbers",
        "value": {
            "key": "3042680",
            "item_number": "TSHIRT",
            "name": "T-shirt",
            "price": "149.95",
            "currency": "DKK",
            "variants": [
                {"item_number": "TSHIRT-RED-M", "name": "Red, M"},
                {"item_number": "TSHIRT-RED-L", "name": "Red, L", "price": "159.95"},
            ],
        },
    }
}
