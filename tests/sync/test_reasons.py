"""Reasons the merchant reads: stored as codes, filed under where the fix is made, said once,
and readable in Danish and English (the Billy emulator plays Billy's refusals and outages)."""

from __future__ import annotations

import re

from billysync.store import audit
from billysync.store.tables import AuditEntry
from billysync.sync import reasons
from billysync.sync.reasons import Place
from billysync.web.i18n import translator
from billysync.web.texts_reasons import render_stored
from tests.support.shop_builders import order
from tests.support.sync_harness import Harness

DANISH, ENGLISH = translator("da"), translator("en")


def _steps(h: Harness, key: str) -> list[AuditEntry]:
    with h.rt.db.session() as session:
        return list(audit.chain(session, h.shop_id, "order", key))


def _code(stored: str | None) -> str:
    found = reasons.decode(stored)
    assert found is not None and found.reason is not None, stored
    return found.reason.code


def test_a_refused_payment_account_is_a_setting_said_once_in_both_languages(
    harness: Harness,
) -> None:
    h = harness
    h.configure(payment_account_id=h.accounts[1110])  # a revenue account takes no payments
    h.push("order", order("9301"))
    h.settle()
    failed = h.transfer(key="9301")
    found = reasons.decode(failed["reason"])
    assert found is not None and found.reason is not None
    assert found.reason.code == "settings.payment_account"
    assert found.reason.place is Place.SETTINGS and failed["error_kind"] == "configuration"
    danish = render_stored(failed["reason"], DANISH)
    english = render_stored(failed["reason"], ENGLISH)
    assert "Indstillinger → Økonomisystem" in danish and "betalingskonto" in danish
    assert "Settings → Financial system" in english
    for text in (danish, english):
        assert "POST" not in text and "INVALID" not in text and "cashAccountId" not in text
    # The step log says the failure once: one line with the reason, the call by its status.
    steps = _steps(h, "9301")
    said = [s for s in steps if s.message == failed["reason"]]
    assert len(said) == 1 and said[0].step == "failed"
    assert any(s.status == 422 or s.status == 400 for s in steps)


def test_billy_down_is_waiting_with_the_next_attempt_and_no_instruction_for_code(
    harness: Harness,
) -> None:
    h = harness
    h.emu.faults.add(method="POST", path="/v2/invoices", kind="status", status=503)
    h.push("order", order("9302"))
    h.settle()
    failed = h.transfer(key="9302")
    assert _code(failed["reason"]) == "wait.billy_unconfirmed"
    retries = [s for s in _steps(h, "9302") if s.step == "retry" and s.message]
    assert len(retries) == h.rt.retry.attempts - 1
    first = render_stored(retries[0].message, DANISH)
    assert re.search(r"Vi prøver igen kl\. \d\d:\d\d \(forsøg 2\)\.$", first), first
    english = render_stored(retries[-1].message, ENGLISH)
    assert re.search(rf"We retry at \d\d:\d\d \(attempt {h.rt.retry.attempts}\)\.$", english)
    last = render_stored(failed["reason"], DANISH)
    assert f"Vi gav op efter {h.rt.retry.attempts} forsøg" in last
    for text in (first, english, last, render_stored(failed["reason"], ENGLISH)):
        assert "marker" not in text and "markør" not in text and "blindly" not in text


def test_the_steps_of_a_booked_order_read_in_danish(harness: Harness) -> None:
    h = harness
    h.push("order", order("9303"))
    h.settle()
    assert h.transfer(key="9303")["state"] == "paid"
    lines = [render_stored(s.message, DANISH) for s in _steps(h, "9303") if s.message]
    assert "Oprettede fakturaen i Billy." in lines
    assert "Faktureret i Billy, og betalingen er bogført." in lines
    english = {text for text in reasons.REASON_TEXTS.values() if "{" not in text}
    assert not english & set(lines), english & set(lines)
