"""Settings validation says what to fix; markers are stable, short and never collide."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from billysync.mapping.markers import (
    MAX_CONTACT_MARKER,
    contact_marker,
    order_marker,
    product_marker,
    return_marker,
)
from billysync.mapping.settings import BillySettings

BASE = {
    "sales_account_id": "acc-sales",
    "shipping_product_id": "prod-shipping",
    "discount_product_id": "prod-discount",
}


def test_posting_payments_without_an_account_names_the_missing_field() -> None:
    with pytest.raises(ValidationError) as info:
        BillySettings(**BASE, post_payments=True)
    assert "payment_account_id" in str(info.value)


def test_a_blank_payment_account_counts_as_missing() -> None:
    with pytest.raises(ValidationError, match="payment_account_id"):
        BillySettings(**BASE, post_payments=True, payment_account_id="  ")


def test_no_posting_needs_no_account_and_defaults_are_the_documented_ones() -> None:
    settings = BillySettings(**BASE)
    assert settings.post_payments is False
    assert settings.payment_account_id is None
    assert settings.trigger == "paid"
    assert settings.order_prefix == ""
    assert settings.base_currency == "DKK"


def test_an_unchosen_product_names_the_field_and_says_where_to_choose_it() -> None:
    with pytest.raises(ValidationError) as info:
        BillySettings(**{**BASE, "shipping_product_id": ""})
    text = str(info.value)
    assert "shipping_product_id" in text
    assert "Financial system" in text


@pytest.mark.parametrize("prefix", ["WAY-TOO-LONG-", "WEB 1"])
def test_a_prefix_that_would_break_markers_is_refused(prefix: str) -> None:
    with pytest.raises(ValidationError, match="order_prefix"):
        BillySettings(**BASE, order_prefix=prefix)


def test_trigger_is_paid_or_shipped_only() -> None:
    assert BillySettings(**BASE, trigger="shipped").trigger == "shipped"
    with pytest.raises(ValidationError, match="trigger"):
        BillySettings(**BASE, trigger="created")


def test_settings_are_frozen_and_base_currency_is_normalised() -> None:
    settings = BillySettings(**BASE, base_currency="eur")
    assert settings.base_currency == "EUR"
    with pytest.raises(ValidationError):
        settings.order_prefix = "X-"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="base_currency"):
        BillySettings(**BASE, base_currency="euro")


def test_order_and_return_markers() -> None:
    assert order_marker("WEB-", "1001") == "WEB-1001"
    assert order_marker("", "1001") == "1001"
    assert return_marker("WEB-", "1001", "77") == "WEB-1001-R77"
    assert product_marker("TS-RED-M") == "TS-RED-M"


def test_a_short_customer_key_is_readable_in_the_marker() -> None:
    assert contact_marker("WEB-", "cust-17") == "WEB-C-cust-17"


def test_a_long_customer_key_becomes_a_short_stable_hash() -> None:
    key = "a.very.long.customer.email.address@some-company.example.dk"
    marker = contact_marker("WEB-", key)
    assert len(marker) <= MAX_CONTACT_MARKER
    assert marker.startswith("WEB-CH-")
    assert marker == contact_marker("WEB-", key)
    assert marker != contact_marker("WEB-", key + "x")


prefixes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789", max_size=10)
keys = st.text(min_size=1, max_size=80).map(str.strip).filter(bool)


@given(prefix=prefixes, key=keys, other=keys)
def test_contact_markers_fit_are_deterministic_and_tell_keys_apart(
    prefix: str, key: str, other: str
) -> None:
    marker = contact_marker(prefix, key)
    assert len(marker) <= MAX_CONTACT_MARKER
    assert marker == contact_marker(prefix, key)
    assert marker.startswith((f"{prefix}C-", f"{prefix}CH-"))
    if key != other:
        assert marker != contact_marker(prefix, other)
