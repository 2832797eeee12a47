"""A shop's worth of orders and returns for the reliability tests, and how they are delivered.

`build_workload(seed, orders=…)` makes a reproducible mix: persons and companies, customers
who come back, one to five lines from a small catalogue (so orders share products), line
discounts, shipping, discount codes, gift cards, a few orders that are never paid, some
that arrive unpaid first and paid later, and one return per twenty orders.

`deliveries(workload, rng)` is the webhook traffic: every payload delivered one to three
times, objects interleaved at random, duplicates replayed late (stale). Per order the
payloads keep their order (unpaid before paid, the return after the paid order): a push
source takes the newest payload as the shop's word, so a genuinely reordered pair is a
different test (test_faults.py has it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from billysync.shop.models import Customer, Discount, GiftCard, Order, Return, Shipping
from tests.support.shop_builders import giving_back, line, order, person

CATALOGUE: tuple[tuple[str, str, str], ...] = (
    ("TS-RED-M", "T-shirt rød M", "149.95"),
    ("TS-BLU-L", "T-shirt blå L", "149.95"),
    ("MUG-1", "Krus", "89.00"),
    ("MUG-2", "Krus, stor", "109.50"),
    ("CAP-1", "Kasket", "199.00"),
    ("SOCK-3", "Strømper 3-pak", "79.95"),
    ("BAG-1", "Mulepose", "49.00"),
    ("PEN-10", "Kuglepen", "12.50"),
    ("BOOK-7", "Notesbog", "64.75"),
    ("LAMP-2", "Bordlampe", "1249.00"),
    ("CUP-S", "Espressokop", "34.95"),
    ("CARD-1", "Kort", "0.95"),
    ("SCARF-1", "Halstørklæde", "349.00"),
    ("GLOVE-M", "Handsker M", "229.00"),
    ("TEA-100", "Te, 100 g", "57.25"),
    ("CANDLE-4", "Stearinlys 4 stk.", "39.99"),
)
SHIPPING = (
    Shipping(method="GLS Pakkeshop", price=Decimal("39.00")),
    Shipping(method="PostNord", price=Decimal("49.00")),
    Shipping(method="DAO", price=Decimal("35.50")),
)


@dataclass
class ShopOrder:
    """One order as the shop tells it over time: its payloads, newest last."""

    versions: list[Order]
    returns: list[Return] = field(default_factory=list)

    @property
    def final(self) -> Order:
        return self.versions[-1]


@dataclass
class Workload:
    orders: list[ShopOrder]

    @property
    def paid(self) -> list[Order]:
        return [o.final for o in self.orders if o.final.is_paid]

    @property
    def unpaid(self) -> list[Order]:
        return [o.final for o in self.orders if not o.final.is_paid]

    @property
    def returns(self) -> list[tuple[Order, Return]]:
        return [(o.final, r) for o in self.orders for r in o.returns]

    def customers(self) -> dict[str, Customer]:
        """Customer key → customer, for customers of orders that were invoiced."""
        return {o.customer.key: o.customer for o in self.paid}

    def items(self) -> dict[str, str]:
        """Item number → product name, for items on invoiced orders."""
        return {ln.item_number: ln.name for o in self.paid for ln in o.lines}


def _customers(rng: random.Random, count: int) -> list[Customer]:
    first = ["Jens", "Mette", "Ole", "Sofie", "Lars", "Ida", "Peter", "Anne", "Mads", "Freja"]
    last = ["Hansen", "Jensen", "Nielsen", "Pedersen", "Larsen", "Sørensen", "Kristensen"]
    people = []
    for number in range(count):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        extra = dict(
            name=name,
            street=f"Vestergade {number + 1}",
            zipcode=str(8000 + number),
            city="Aarhus C",
            email=f"kunde{number}@example.dk",
            phone=f"{20000000 + number}",
        )
        key = f"cust-{number:03d}"
        if number % 4 == 3:
            company = f"{name.split()[1]} & Co ApS"
            people.append(person(key, company_name=company, cvr=f"{30000000 + number}", **extra))
        else:
            people.append(person(key, **extra))
    return people


def _lines(rng: random.Random) -> tuple:
    picked = rng.sample(CATALOGUE, rng.randint(1, 5))
    made = []
    for item, name, price in picked:
        quantity = rng.randint(1, 4)
        extra: dict[str, object] = {}
        if rng.random() < 0.15:  # money off the line, at most a third of it
            whole = Decimal(price) * quantity
            extra["discount"] = str((whole / 3).quantize(Decimal("1")))
        made.append(line(item, name, str(quantity), price, **extra))
    return tuple(made)


def _money_off(rng: random.Random, lines: tuple) -> tuple[tuple, tuple]:
    subtotal = sum((ln.quantity * ln.unit_price - ln.discount for ln in lines), Decimal(0))
    discounts: tuple = ()
    gift_cards: tuple = ()
    if rng.random() < 0.2 and subtotal > 20:
        amount = (subtotal * Decimal(rng.choice(["0.05", "0.10", "0.20"]))).quantize(Decimal("1"))
        discounts = (Discount(code=f"KODE{rng.randint(10, 99)}", amount=amount),)
    if rng.random() < 0.1 and subtotal > 50:
        amount = (subtotal * Decimal("0.25")).quantize(Decimal("1"))
        gift_cards = (GiftCard(code=f"GC-{rng.randint(100000, 999999)}", amount=amount),)
    return discounts, gift_cards


def build_workload(seed: int, *, orders: int, first_key: int = 1) -> Workload:
    rng = random.Random(seed)
    customers = _customers(rng, max(4, orders // 3))
    made: list[ShopOrder] = []
    for number in range(orders):
        key = str(first_key + number)
        lines = _lines(rng)
        shipping = rng.choice(SHIPPING) if rng.random() < 0.8 else None
        discounts, gift_cards = _money_off(rng, lines)
        content = dict(
            customer=rng.choice(customers),
            lines=lines,
            shipping=shipping,
            discounts=discounts,
            gift_cards=gift_cards,
        )
        roll = rng.random()
        # 5 % never paid (must not be invoiced), 15 % sent unpaid first and paid later.
        paid_states = [False] if roll < 0.05 else [False, True] if roll < 0.20 else [True]
        shop_order = ShopOrder([order(key, paid=paid, **content) for paid in paid_states])
        made.append(shop_order)
    paid = [o for o in made if o.final.is_paid]
    for shop_order in rng.sample(paid, max(1, orders // 20)):
        final = shop_order.final
        # Returns are credited at the unit price, so they take a line without money off; and
        # never more than the order's total (a shop refunds no more than it was paid:
        # anything beyond the invoice is refused, docs/invariants.md I8).
        whole_price = [ln for ln in final.lines if not ln.discount]
        if not whole_price:
            continue
        first_line = whole_price[0]
        returned = {first_line.item_number: str(rng.randint(1, int(first_line.quantity)))}
        give_shipping = final.shipping is not None and rng.random() < 0.5
        ret = giving_back(final, f"R{final.key}", returned, shipping=give_shipping)
        if ret.amount <= final.total:
            shop_order.returns.append(ret)
    return Workload(made)


@dataclass(frozen=True)
class Delivery:
    kind: str  # order | return
    payload: Order | Return


def deliveries(workload: Workload, rng: random.Random) -> list[Delivery]:
    """Every payload 1–3 times; objects interleaved; duplicates may arrive late (stale)."""
    chains: list[list[Delivery]] = []
    for shop_order in workload.orders:
        sent = [Delivery("order", v) for v in shop_order.versions]
        sent += [Delivery("return", r) for r in shop_order.returns]
        chain = list(sent)
        for delivery in sent:
            for _ in range(rng.randint(0, 2)):  # replays: right away or after newer payloads
                first = chain.index(delivery)
                chain.insert(rng.randint(first + 1, len(chain)), delivery)
        chains.append(chain)
    # Interleave: each step sends the next payload of a random order.
    out: list[Delivery] = []
    while chains:
        chain = rng.choice(chains)
        out.append(chain.pop(0))
        if not chain:
            chains.remove(chain)
    return out
