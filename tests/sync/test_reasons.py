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


def _refusal(path: str, record: str, field: str | None, message: str, code: str = "INVALID_RECORD"):
    """Billy's 400 answer to a write, classified as the engine classifies it."""
    from billysync.billy.errors import error_for_response
    from billysync.sync.classify import classify

    entry = {"attributes": {field: message}} if field else {"message": message}
    error = error_for_response(
        status=400,
        body={
            "errorCode": code,
            "errorMessage": "Invalid record",
            "validationErrors": {record: entry},
        },
        method="POST",
        path=path,
        safe=False,
    )
    return classify(error)


def test_billys_refusals_are_filed_by_the_field_they_name_and_never_read_as_billys_words() -> None:
    """Each of Billy's known refusals has its own sentence in both languages, filed where the
    fix is made; Billy's English stays apart as a quoted detail, never the sentence."""
    cases = {
        ("/bankPayments", "bankPayment", "cashAccountId", "Not a payment account"): (
            "settings.payment_account",
            "configuration",
            "betalingskontoen",
        ),
        ("/invoices", "invoice.lines[0]", "accountId", "Account is archived"): (
            "settings.sales_account",
            "configuration",
            "salgskontoen",
        ),
        ("/invoices", "invoice.lines[1]", "productId", "No such product"): (
            "settings.product",
            "configuration",
            "fragt- eller rabatproduktet",
        ),
        ("/invoices", "invoice.lines[0]", "taxRateId", "The tax rate is inactive"): (
            "billy.vat_rate",
            "configuration",
            "momssatsen på en linje i fakturaen",
        ),
        ("/invoices", "invoice", "contactId", "Contact is archived"): (
            "billy.contact",
            "configuration",
            "kundens kontakt på fakturaen",
        ),
        ("/contacts", "contact", "countryId", "Unknown country XX"): (
            "shop.customer",
            "data",
            "kundens oplysninger",
        ),
        ("/invoices", "invoice", "entryDate", "Date is before the fiscal locking date"): (
            "billy.period_locked",
            "configuration",
            "låst i Billy",
        ),
        ("/products", "product", "prices", "must be a list"): (
            "shop.product_refused",
            "data",
            "Billy afviste produktet",
        ),
        ("/invoices", "invoice", None, "Invoices must have at least one invoice line."): (
            "shop.billy_refused",
            "data",
            "Billy afviste fakturaen",
        ),
    }
    for (path, record, field, said), (code, kind, danish_words) in cases.items():
        failure = _refusal(path, record, field, said)
        assert (failure.reason.code, failure.kind) == (code, kind), (field, failure)
        stored = failure.reason.encode()
        danish = render_stored(stored, DANISH)
        english = render_stored(stored, ENGLISH)
        assert danish_words in danish, danish
        # Said once; no call, status, error code or field name in the sentence itself.
        sentence = danish.split(" Billy svarede:")[0]
        assert said not in sentence and "INVALID" not in danish and "POST" not in danish
        assert sentence.count("prøv") == 1, sentence  # what to do next, said once
        if failure.reason.quote:  # Billy's words, apart, and only once
            assert danish.endswith(f"Billy svarede: \u201c{record}.{field}: {said}\u201d") or (
                field is None and danish.endswith(f"Billy svarede: \u201c{record}: {said}\u201d")
            ), danish
            assert english.count(said) == 1 and "Billy said:" in english
        else:
            assert said not in danish and said not in english


def test_the_shops_data_and_the_mappings_refusals_read_in_danish() -> None:
    """A refusal billysync makes itself reads in the merchant's language, by its code; a
    payload problem with no code keeps its English only as a quoted technical detail."""
    from decimal import Decimal

    from billysync.mapping.cash import in_account_currency
    from billysync.mapping.errors import MappingError
    from billysync.shop.errors import ShopDataError
    from billysync.sync.classify import classify

    try:
        in_account_currency(Decimal("10"), "EUR", "DKK", None, "order 1001")
    except MappingError as exc:
        failure = classify(exc)
    assert (failure.reason.code, failure.kind) == ("settings.payment_currency", "configuration")
    danish = render_stored(failure.reason.encode(), DANISH)
    assert danish.startswith("Betalingen er i EUR, men betalingskontoen er i DKK."), danish

    other = classify(ShopDataError("order.lines.0: a line needs an item number"))
    assert other.reason.code == "shop.other" and other.reason.place is Place.SHOP
    danish = render_stored(other.reason.encode(), DANISH)
    assert danish.startswith("Ordren kan ikke bogføres, som butikken sendte den.")
    assert danish.endswith(
        "Teknisk detalje: \u201corder.lines.0: a line needs an item number\u201d"
    )
