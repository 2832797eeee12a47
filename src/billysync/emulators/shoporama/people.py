"""The emulated shop's customers: Danish persons, companies with CVR, public institutions
with EAN, and customers abroad (who pay in EUR).

About 60 % of buyers have a customer account (`customer_id`, also served under
`/REST/customer`) and some of those come back; the rest check out as guests (no
`customer_id`), so the connector's fallback customer key (the e-mail) is exercised too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any, Literal

from billysync.emulators.shoporama import catalogue as C

Payload = dict[str, Any]
BuyerKind = Literal["person", "company", "ean", "abroad"]


@dataclass(frozen=True)
class Buyer:
    kind: BuyerKind
    name: str = ""
    street: str = ""
    zipcode: str = ""
    city: str = ""
    country: str = "DK"
    email: str = ""
    phone: str = ""
    company: str = ""
    cvr: str | None = None
    ean: str | None = None
    customer_id: int | None = None
    delivery_street: str | None = None  # when the parcel goes elsewhere

    def order_fields(self) -> Payload:
        """The buyer's part of an order: `order_` (billing) and `del_` (delivery) address."""
        return {
            "customer_id": self.customer_id,
            "order_name": self.name,
            "order_company_name": self.company,
            "order_address": self.street,
            "order_zipcode": self.zipcode,
            "order_city": self.city,
            "order_country": self.country,
            "order_country_id": C.COUNTRY_IDS.get(self.country),
            "email": self.email,
            "phone": self.phone,
            "ean_number": self.ean,
            "cvr": self.cvr,
            "del_name": self.name,
            "del_company_name": self.company,
            "del_address": self.delivery_street or self.street,
            "del_zipcode": self.zipcode,
            "del_city": self.city,
            "del_country_id": C.COUNTRY_IDS.get(self.country),
        }

    def customer_payload(self, stamp: str) -> Payload:
        """The buyer's account as `/REST/customer` serves it (field names INFERRED)."""
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "company_name": self.company,
            "address": self.street,
            "zipcode": self.zipcode,
            "city": self.city,
            "country": self.country,
            "email": self.email,
            "phone": self.phone,
            "cvr": self.cvr,
            "ean_number": self.ean,
            "created": stamp,
            "last_modified": stamp,
        }


class People:
    """Draws buyers; remembers account holders so some of them order again."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._accounts: dict[int, Buyer] = {}
        self._next_customer_id = 3_001

    def buyer(self, kind: BuyerKind, customers: dict[int, Payload], stamp: str) -> Buyer:
        rng = self.rng
        if rng.random() >= 0.6:
            return self._new(kind)  # a guest
        returning = [b for b in self._accounts.values() if b.kind == kind]
        if returning and rng.random() < 0.35:
            return rng.choice(returning)
        buyer = replace(self._new(kind), customer_id=self._next_customer_id)
        self._next_customer_id += rng.randint(1, 4)
        assert buyer.customer_id is not None
        self._accounts[buyer.customer_id] = buyer
        customers[buyer.customer_id] = buyer.customer_payload(stamp)
        return buyer

    def _new(self, kind: BuyerKind) -> Buyer:
        rng = self.rng
        if kind == "abroad":
            return self._abroad()
        first, last = rng.choice(C.FIRST_NAMES), rng.choice(C.LAST_NAMES)
        zipcode, city = rng.choice(C.TOWNS)
        home = Buyer(
            kind,
            name=f"{first} {last}",
            street=f"{rng.choice(C.STREETS)} {rng.randint(1, 140)}",
            zipcode=zipcode,
            city=city,
            phone=C.phone_number(rng),
        )
        if kind == "person":
            elsewhere = rng.random() < 0.15
            return replace(
                home,
                email=f"{C.ascii_slug(home.name)}{rng.randint(1, 99)}@example.dk",
                delivery_street=f"{rng.choice(C.STREETS)} {rng.randint(1, 80)}"
                if elsewhere
                else None,
            )
        if kind == "company":
            company = rng.choice(C.COMPANY_PATTERNS).format(last=last, town=city.split()[0])
            domain = C.ascii_slug(company).replace(".", "-").replace("/", "")
            return replace(
                home,
                email=f"{C.ascii_slug(first)}@{domain}.example",
                company=company,
                cvr=C.cvr_number(rng),
            )
        return replace(
            home,
            email=f"{C.ascii_slug(first)}.{C.ascii_slug(last)}@kommune.example",
            company=rng.choice(C.INSTITUTIONS),
            cvr=C.cvr_number(rng),
            ean=C.ean_number(rng),
        )

    def _abroad(self) -> Buyer:
        rng = self.rng
        country, zipcode, city, street, firsts, lasts = rng.choice(C.ABROAD)
        first, last = rng.choice(firsts), rng.choice(lasts)
        prefix = {"DE": "+49", "FI": "+358"}.get(country, "+31")
        buyer = Buyer(
            "abroad",
            name=f"{first} {last}",
            street=f"{street} {rng.randint(1, 90)}",
            zipcode=zipcode,
            city=city,
            country=country,
            email=f"{C.ascii_slug(f'{first} {last}')}{rng.randint(1, 99)}@example.com",
            phone=prefix + C.phone_number(rng),
        )
        if rng.random() < 0.3:  # a business abroad, with its EU VAT number
            form = {"DE": "GmbH", "FI": "Oy"}.get(country, "BV")
            vat = country + "".join(str(rng.randint(0, 9)) for _ in range(9))
            return replace(buyer, company=f"{last} {form}", cvr=vat)
        return buyer
