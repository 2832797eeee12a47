"""Shops pages, CSRF on every state change, and another shop's id answering 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from billysync.store import shops, transfers
from billysync.store.tables import Transfer
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import add_shop, seen, shop_row


def _shop_count(rt: Runtime) -> int:
    with rt.db.session() as session:
        return len(shops.list_shops(session))


def test_add_shop_shows_its_api_token_once(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    shop_id, token = add_shop(client, csrf, "Butik A", "generic")
    with rt.db.session() as session:
        found = shops.shop_by_api_token(session, token)
        assert found is not None and found.id == shop_id
    listing = client.get("/shops").text
    assert "Butik A" in listing and token not in listing
    assert token not in client.get(f"/shops/{shop_id}/settings").text


def test_add_shop_says_what_is_missing(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    answer = client.post("/shops", data={"name": " ", "platform": "magento", "csrf_token": csrf})
    assert answer.status_code == 400
    assert "Give the shop a name" in seen(answer) and "Choose Shoporama or JSON API" in seen(answer)
    assert _shop_count(rt) == 0


def test_remove_shop_asks_first_then_removes(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf)
    confirm = client.get(f"/shops/{shop_id}/remove")
    assert confirm.status_code == 200 and "Nothing is deleted in Billy" in seen(confirm)
    assert shop_row(rt, shop_id) is not None  # the GET changed nothing
    done = client.post(
        f"/shops/{shop_id}/remove", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303 and shop_row(rt, shop_id) is None


def test_rotating_the_api_token_shows_the_new_one_once(
    admin: tuple[TestClient, str], rt: Runtime
) -> None:
    client, csrf = admin
    shop_id, old = add_shop(client, csrf)
    page = client.post(f"/shops/{shop_id}/token", data={"csrf_token": csrf})
    assert page.status_code == 200
    with rt.db.session() as session:
        assert shops.shop_by_api_token(session, old) is None
    assert 'id="api-token">bs_' in seen(page)


@pytest.mark.parametrize(
    "how",
    ["missing", "wrong", "other session's"],
)
def test_state_changes_without_the_right_csrf_token_are_refused(
    admin: tuple[TestClient, str], rt: Runtime, how: str
) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf)
    tokens = {"missing": None, "wrong": csrf[:-2] + "xx", "other session's": "A" * len(csrf)}
    token = tokens[how]
    data = {} if token is None else {"csrf_token": token}
    before = shop_row(rt, shop_id)
    attempts = [
        ("/shops", {"name": "Sneaky", "platform": "generic"}),
        (f"/shops/{shop_id}/remove", {}),
        (f"/shops/{shop_id}/token", {}),
        (f"/shops/{shop_id}/settings", {"order_prefix": "X-", "trigger": "shipped"}),
        (f"/shops/{shop_id}/settings/connection", {"signature_header": "X-Evil"}),
        (f"/shops/{shop_id}/settings/product", {"kind": "shipping"}),
        (f"/shops/{shop_id}/failed/retry-all", {"error_kind": "all"}),
        (f"/shops/{shop_id}/products/sync", {}),
        ("/logout", {}),
    ]
    for url, fields in attempts:
        answer = client.post(url, data={**fields, **data}, follow_redirects=False)
        assert answer.status_code == 403, url
    after = shop_row(rt, shop_id)
    assert after is not None and before is not None
    assert (after.api_token_hash, after.order_prefix, after.trigger, after.signature_header) == (
        before.api_token_hash,
        before.order_prefix,
        before.trigger,
        before.signature_header,
    )
    assert _shop_count(rt) == 1
    assert client.get("/shops", follow_redirects=False).status_code == 200  # still logged in


def test_the_header_token_works_for_htmx(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    answer = client.post(
        "/shops",
        data={"name": "Via htmx", "platform": "generic"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200 and _shop_count(rt) == 1


def test_get_on_a_post_route_changes_nothing(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf)
    for url in (f"/shops/{shop_id}/failed/retry-all", f"/shops/{shop_id}/products/sync", "/logout"):
        assert client.get(url).status_code == 405, url
    assert client.get(f"/shops/{shop_id}/remove").status_code == 200  # only the question
    assert shop_row(rt, shop_id) is not None
    assert client.get("/shops", follow_redirects=False).status_code == 200


def test_login_form_needs_its_csrf_token(anonymous: TestClient) -> None:
    from tests.support.web_helpers import PASSWORD

    answer = anonymous.post("/login", data={"password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 403
    assert anonymous.get("/shops", follow_redirects=False).status_code == 303


def test_unknown_shop_ids_answer_404_everywhere(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf)
    other = shop_id + 1
    for url in ("settings", "orders", "failed", "products", "preview", "check", "remove", "token"):
        assert client.get(f"/shops/{other}/{url}").status_code == 404, url
    assert client.get("/shops/not-a-number/settings").status_code == 404
    answer = client.post(f"/shops/{other}/remove", data={"csrf_token": csrf})
    assert answer.status_code == 404


def test_another_shops_order_is_404_from_this_shop(
    admin: tuple[TestClient, str], rt: Runtime
) -> None:
    client, csrf = admin
    first, _ = add_shop(client, csrf, "Butik A")
    second, _ = add_shop(client, csrf, "Butik B")
    with rt.db.session() as session:
        session.add(
            Transfer(shop_id=second, kind="order", object_key="B-1", number="B-1", state="failed")
        )
    assert client.get(f"/shops/{second}/orders/B-1").status_code == 200
    assert client.get(f"/shops/{first}/orders/B-1").status_code == 404
    assert "B-1" not in client.get(f"/shops/{first}/orders").text
    retry = client.post(
        f"/shops/{first}/failed/retry", data={"kind": "order", "key": "B-1", "csrf_token": csrf}
    )
    assert retry.status_code == 404
    with rt.db.session() as session:
        row = transfers.get_transfer(session, second, "order", "B-1")
        assert row is not None and row.state == "failed"


def test_pages_carry_security_headers(admin: tuple[TestClient, str]) -> None:
    client, _ = admin
    page = client.get("/shops")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_every_admin_post_route_checks_csrf() -> None:
    """A structural guarantee for routes added later: no state change without the token."""
    from fastapi.routing import APIRoute

    from billysync.web.app import ADMIN_PAGES
    from billysync.web.guards import require_admin, require_csrf

    checked = []
    for module in ADMIN_PAGES:
        guarded = {d.dependency for d in module.router.dependencies}
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            assert route.methods <= {"GET", "HEAD", "POST"}, route.path
            if module.__name__.endswith(".auth"):
                assert require_admin not in guarded  # login must be reachable
            else:
                assert require_admin in guarded, route.path
            if "POST" in route.methods:
                assert require_csrf in {d.dependency for d in route.dependencies}, route.path
                checked.append(route.path)
    assert len(checked) >= 12


def test_engine_trouble_is_shown_not_a_crash(admin: tuple[TestClient, str], rt: Runtime) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf)
    with rt.db.session() as session:
        session.add(
            Transfer(
                shop_id=shop_id, kind="order", object_key="k1", state="failed", error_kind="data"
            )
        )
    for url, data in (
        (f"/shops/{shop_id}/failed/retry", {"kind": "order", "key": "k1"}),
        (f"/shops/{shop_id}/failed/retry-all", {"error_kind": "data"}),
        (f"/shops/{shop_id}/products/sync", {}),
    ):
        answer = client.post(url, data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert answer.status_code == 303, url
        shown = seen(client.get(answer.headers["location"]))
        said = ("being retried", "has started", "could not be started", "Nothing to retry")
        assert any(words in shown for words in said), url
