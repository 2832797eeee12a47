"""Every text key used in templates and code exists in English and Danish, with the same
placeholders in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

from billysync.web import i18n

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
