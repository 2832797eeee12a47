"""Fuzzed Shoporama payloads: the connector either maps them or says why, and never crashes.

docs/invariants.md §2 asks for 0 unhandled exceptions over ≥100,000 fuzzed payloads; the default run
tries a few thousand, `BILLYSYNC_SOAK=1` the full count. Payloads are built from Shoporama's
own field names (so the mapper gets deep, not just "not a dict") with random, badly typed
values, and from the generated shop's real payloads with one field broken at a time.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.shop.models import Order, Product, Return
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama.customers import customer_from_payload
from billysync.shop.shoporama.errors import UnmappablePayload
from billysync.shop.shoporama.mapper import order_from_payload, return_from_payload
from billysync.shop.shoporama.products import product_from_payload
from billysync.shop.shoporama.webhooks import InvalidWebhook, parse_event

SOAK = os.environ.get("BILLYSYNC_SOAK") == "1"
EXAMPLES = 100_000 if SOAK else 600
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FIELD_NAMES = sorted(
    {value for name, value in vars(F).items() if name.isupper() and isinstance(value, str)}
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "12.50",
            "1.234,50",
            "2025-03-04 14:05:49",
            "DK",
            "paid",
            "shipped",
            "new",
            "NaN",
            "-5",
            "1e309",
            "abc",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=6),
    ),
    max_leaves=12,
)
payloads = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=25)


def _maps_or_explains(mapper: Any, payload: Any, model: type) -> None:
    try:
        result = mapper(payload)
    except UnmappablePayload as exc:
        assert str(exc), "a refusal must say why"
        return
    assert isinstance(result, model)


@FUZZ
@given(payloads)
def test_random_orders_map_or_explain(payload: dict[str, Any]) -> None:
    _maps_or_explains(order_from_payload, payload, Order)


@FUZZ
@given(payloads)
def test_random_returns_products_and_customers_map_or_explain(payload: dict[str, Any]) -> None:
    from billysync.shop.models import Customer

    _maps_or_explains(return_from_payload, payload, Return)
    _maps_or_explains(product_from_payload, payload, Product)
    _maps_or_explains(customer_from_payload, payload, Customer)


SHOP = ShoporamaEmulator(seed=7)
for _ in range(12):
    SHOP.generate_order()
REAL_ORDERS = SHOP.orders()


@FUZZ
@given(st.sampled_from(REAL_ORDERS), st.sampled_from(FIELD_NAMES), values)
def test_a_real_order_with_one_field_broken_maps_or_explains(
    order: dict[str, Any], field: str, value: Any
) -> None:
    broken = json.loads(json.dumps(order))
    broken[field] = value
    _maps_or_explains(order_from_payload, broken, Order)


@FUZZ
@given(st.one_of(st.binary(max_size=300), values.map(lambda v: json.dumps(v).encode())))
def test_random_webhook_bodies_parse_or_are_refused(body: bytes) -> None:
    try:
        event = parse_event(body, {})
    except InvalidWebhook:
        return
    assert event.dedupe_key and event.object_type
