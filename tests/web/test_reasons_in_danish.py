"""On the Danish pages, reasons and step-log lines are Danish: none comes from the English
catalogue (web/i18n.py), and each says once where the fix is made."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from billysync.store import audit
from billysync.store.tables import Transfer
from billysync.sync import reasons
from billysync.sync.classify import classify
from billysync.sync.reasons import Reason
from billysync.sync.runtime import NotConfigured, Runtime
from billysync.web import i18n
from tests.support.billy_refusals import billy_down, billy_refused
from tests.support.web_helpers import add_shop, seen


def _english_only(page: str) -> list[str]:
    """Words of the English catalogue (a stretch of 12+ characters between placeholders)
    that are not in the Danish one, found on `page`."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    found = []
    for english, danish in i18n.MESSAGES.values():
        for part in re.split(r"\{[^}]*\}", english):
            part = part.strip(" .,:;()")
            if len(part) >= 12 and part not in danish and part in text:
                found.append(part)
    return found


def test_reasons_and_step_logs_on_the_danish_pages(
    admin: tuple[TestClient, str], rt: Runtime
) -> None:
    client, csrf = admin
    shop, _ = add_shop(client, csrf, "Butik R", "generic")
    stored = {
        "1": (
            "configuration",
            billy_refused(
                "/bankPayments", "bankPayment", "cashAccountId", "Not allowed", status=422
            ).reason.encode(),
        ),
        "2": ("transient", billy_down()),
        "3": ("configuration", classify(NotConfigured("x", ("shipping_product",))).reason.encode()),
    }
    with rt.db.session() as session:
        for number, (kind, reason) in stored.items():
            session.add(
                Transfer(
                    shop_id=shop,
                    kind="order",
                    object_key=f"k{number}",
                    number=number,
                    state="failed",
                    error_kind=kind,
                    reason=reason,
                )
            )
        where = {"shop_id": shop, "kind": "order", "object_key": "k1"}
        audit.record(
            session,
            **where,
            step="invoice",
            message=Reason("log.created", {"document": "invoice"}).encode(),
        )
        audit.record(
            session,
            **where,
            step="failed",
            method="POST",
            path="/v2/bankPayments",
            status=422,
            error="Billy rejected the data (POST /bankPayments, 422 INVALID_RECORD): …",
        )
        audit.record(session, **where, step="failed", message=stored["1"][1])
    client.post("/language", data={"lang": "da", "back": "/", "csrf_token": csrf})

    failed = seen(client.get(f"/shops/{shop}/failed"))
    chain = seen(client.get(f"/shops/{shop}/orders/k1"))
    overview = seen(client.get(f"/shops/{shop}/orders"))
    for page in (failed, chain, overview):
        assert _english_only(page) == []
    assert "Rettes i billysyncs indstillinger:" in failed
    assert "Billy afviste betalingskontoen. Vælg en konto" in failed
    assert "Vi prøver igen kl. 14:05 (forsøg 3)." in failed
    assert "vælg fragtproduktet under Indstillinger" in failed
    assert "Oprettede fakturaen i Billy." in chain and ">faktura</td>" in chain
    assert ">stoppet</td>" in chain and ">invoice</td>" not in chain
    # The failure is said once on the order's page (its reason) and once in its steps.
    assert chain.count("Billy afviste betalingskontoen") == 2
    assert "Billy rejected" not in chain and "INVALID_RECORD" not in chain

    client.post("/language", data={"lang": "en", "back": "/", "csrf_token": csrf})
    english = seen(client.get(f"/shops/{shop}/failed"))
    assert "Fix in billysync's settings:" in english
    assert "We retry at 14:05 (attempt 3)." in english
    assert reasons.english(stored["2"][1]) in english.replace("&#39;", "'")
