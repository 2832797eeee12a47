"""Every text key used in templates and code exists in English and Danish, with the same
placeholders in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

from billysync.sync import reasons
from billysync.sync.reasons import Reason
from billysync.web import i18n
from billysync.web.texts_reasons import render_stored

WEB = Path(i18n.__file__).resolve().parent
KEY_CALL = re.compile(
    r"""(?:\bt\(|translate\([^,]+,\s*|flash\([^,]+,\s*|\(\s*)["']([a-z_]+\.[a-z_.]+)["']"""
)


def _used_keys() -> set[str]:
    found: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        found |= set(KEY_CALL.findall(path.read_text()))
    groups = {k.split(".")[0] for k in i18n.MESSAGES}
    # Keys ending in "." or "_" are prefixes completed in the template (tested below).
    return {k for k in found if k.split(".")[0] in groups and not k.endswith((".", "_"))}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_used_key_has_both_languages() -> None:
    used = _used_keys()
    assert len(used) > 50  # the scan found the keys
    missing = sorted(key for key in used if key not in i18n.MESSAGES)
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    for key, (english, danish) in i18n.MESSAGES.items():
        assert _fields(english) == _fields(danish), key
        assert english and danish, key


def test_keys_built_from_parts_exist() -> None:
    for prefix, parts in {
        "state.": ("received", "waiting", "transferred", "paid", "credited", "failed", "skipped"),
        "kind.": ("order", "return"),
        "doc.": ("order", "contact", "invoice", "payment", "credit_note", "refund", "return"),
        "failed.kind.": ("configuration", "data", "conflict", "transient", "other"),
        "shops.platform.": ("shoporama", "generic"),
        "settings.trigger.": ("paid", "shipped"),
        "settings.create_": ("shipping", "discount"),
        "settings.choose_": ("shipping", "discount"),
        "settings.product_name.": ("shipping", "discount"),
        "state.waiting_": ("paid", "shipped"),
        "settings.product_created.": ("shipping", "discount"),
        "settings.product_found.": ("shipping", "discount"),
        "chain.booked_": ("order", "return"),
        "chain.not_booked_": ("order", "return"),
        "written.created.": ("contact", "invoice", "payment", "credit_note", "refund", "product"),
        "written.adopted.": ("contact", "invoice", "payment", "credit_note", "refund", "product"),
    }.items():
        for part in parts:
            assert prefix + part in i18n.MESSAGES, prefix + part


def test_language_guess_from_the_browser() -> None:
    assert i18n.pick_language("da-DK,da;q=0.9,en;q=0.8") == "da"
    assert i18n.pick_language("en-GB,en;q=0.9") == "en"
    assert i18n.pick_language("de-DE") == "en"
    assert i18n.pick_language(None) == "da"


def test_every_setup_check_finding_reads_in_both_languages() -> None:
    import string

    from billysync.sync.setup_check import CHECK_MESSAGES, CHECK_NAMES
    from billysync.web.i18n import translate

    for topic, english in CHECK_NAMES.items():
        assert translate("en", f"checkname.{topic}") == english
        danish = translate("da", f"checkname.{topic}")
        assert danish and danish != english and danish != f"checkname.{topic}"
    for code, english in CHECK_MESSAGES.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        params = {name: f"<{name}>" for name in fields}
        danish = translate("da", f"checkmsg.{code}", **params)
        assert all(f"<{name}>" in danish for name in fields), code
        assert translate("en", f"checkmsg.{code}", **params) == english.format(**params)


# --- numbers the merchant's way (billysync/numbers.py) ------------------------------------
def _refusal_of(payload: dict[str, object]) -> str:
    """What a refused order's stored reason says: the order model's problems, by code."""
    from pydantic import ValidationError

    from billysync.shop.models import Order
    from billysync.sync.classify import classify

    try:
        Order.model_validate(payload)
    except ValidationError as exc:
        return classify(exc).reason.encode()
    raise AssertionError("the order model took the order")


def test_a_refused_orders_numbers_read_the_merchants_way() -> None:
    from tests.support.pages_world import ORDER

    line = {**ORDER["lines"][0], "unit_price": "2000000000000"}  # type: ignore[index]
    stored = _refusal_of({**ORDER, "lines": [line]})
    danish = render_stored(stored, i18n.translator("da"))
    english = render_stored(stored, i18n.translator("en"))
    assert "er større end 1.000.000.000.000; tjek beløbet (fik 2.000.000.000.000)" in danish
    assert "is larger than 1,000,000,000,000; check the amount (got 2,000,000,000,000)" in english
    # The stored English (logs, the CLI, the JSON API) reads the English way too.
    assert "larger than 1,000,000,000,000" in (reasons.english(stored) or "")


def test_amounts_in_reasons_read_the_merchants_way() -> None:
    stored = Reason(
        "billy.payment_mismatch", {"received": "1234.50 DKK", "invoiced": "12345678.5 DKK"}
    ).encode()
    danish = render_stored(stored, i18n.translator("da"))
    english = render_stored(stored, i18n.translator("en"))
    assert "Butikken har modtaget 1.234,50 DKK, men fakturaen lyder på 12.345.678,5 DKK" in danish
    assert "1,234.50 DKK" in english and "12,345,678.5 DKK" in english
    assert "1,234.50 DKK" in (reasons.english(stored) or "")


def test_a_number_an_older_version_stored_the_english_way_reads_danish() -> None:
    stored = Reason(
        "shop.invalid",
        {
            "problems": "lines.0.unit_price: is larger than 1,000,000,000,000",
            "problem_list": '[{"field":"lines.0.unit_price","code":"amount_too_large",'
            '"params":{"limit":"1,000,000,000,000","value":"1E+308"}}]',
        },
    ).encode()
    danish = render_stored(stored, i18n.translator("da"))
    assert "er større end 1.000.000.000.000; tjek beløbet (fik 1,000e+308)" in danish


def test_counts_and_years_in_catalogue_texts() -> None:
    # a count is a number; a year, an order number or an item number is not grouped
    assert i18n.translate("da", "overview.showing", first=1001, last=1200, total=25000) == (
        "1.001–1.200 af 25.000"
    )
    assert i18n.translate("en", "overview.showing", first=1001, last=1200, total=25000) == (
        "1,001–1,200 of 25,000"
    )
    said = i18n.translate(
        "da", "problem.date_out_of_range", day="1970-01-01", first="2000", last="2099"
    )
    assert "uden for årene 2000–2099" in said
    updated = i18n.translate("da", "reason.log.product_updated", number="10234")
    assert updated == "Opdaterede produkt 10234 i Billy."
