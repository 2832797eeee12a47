"""The command line's texts: both languages, the same placeholders, and a wording for every
refusal of the shared settings rules on both doors (page and command line)."""

from __future__ import annotations

import re
import string
from pathlib import Path

from billysync.console.texts import CLI_TEXTS
from billysync.sync import shop_setup
from billysync.web import i18n
from billysync.web.routes.connection import TEXT_KEYS

PROBLEM = re.compile(r"""Problem\(\s*(?:"\w+"|name|field),\s*(f?)"([a-z_{}]+)\"""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _rule_codes() -> set[str]:
    source = Path(shop_setup.__file__).read_text()
    codes: set[str] = set()
    for is_template, code in PROBLEM.findall(source):
        if is_template:
            codes |= {code.replace("{kind}", k) for k in shop_setup.SERVICE_PRODUCT_KINDS}
        else:
            codes.add(code)
    return codes


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    for key, (english, danish) in CLI_TEXTS.items():
        assert english and danish, key
        assert _fields(english) == _fields(danish), key


def test_every_refusal_of_the_shared_rules_is_worded_on_both_doors() -> None:
    codes = _rule_codes()
    assert {"unknown_sales_account", "choose_shipping", "token_again", "url_invalid"} <= codes
    connection = {"token_again", "header_invalid", "url_invalid"}
    for code in codes:
        page_key = TEXT_KEYS.get(code, f"connection.{code}" if code in connection else None)
        assert (page_key or f"settings.{code}") in i18n.MESSAGES, code
    # The command line never asks for a missing choice it was not given (require_all=False),
    # except the payment account that payment posting needs.
    needed = {c for c in codes if not c.startswith("choose_")} | {"choose_payment_account"}
    assert needed - set(CLI_TEXTS) == set()


def test_the_commands_know_every_state_a_transfer_can_be_in() -> None:
    from billysync.console import orders
    from billysync.store.transfers import TransferState

    ended = {*orders.DONE_STATES, TransferState.FAILED.value, TransferState.RECEIVED.value}
    assert ended == {state.value for state in TransferState}
    assert set(orders.BOOKED_STATES) <= set(orders.DONE_STATES)
