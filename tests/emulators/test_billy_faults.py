"""Injected faults, the journal, the rate limit and the control API of the Billy emulator
(in-process). Every commit-then-fail kind must leave the record saved although the client
saw an error; every before-kind must leave nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from billysync.emulators.billy import FAULT_KINDS, BillyEmulator

TOKEN = "test-token-faults-000042"


class FakeTime:
    """A clock and sleep that tests control (no real waiting, no timing assertions)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def emu(time: FakeTime) -> BillyEmulator:
    emulator = BillyEmulator(seed=1, clock=time.clock, sleep=time.sleep)
    emulator.add_organization(TOKEN)
    return emulator


def client(emu: BillyEmulator, token: str = TOKEN) -> httpx2.Client:
    return httpx2.Client(
        transport=emu.transport(),
        base_url="https://api.billysbilling.com/v2",
        headers={"X-Access-Token": token},
        timeout=5,
    )


def new_contact(api: httpx2.Client, name: str = "Kunde") -> httpx2.Response:
    return api.post("/contacts", json={"contact": {"name": name, "countryId": "DK"}})


def saved(emu: BillyEmulator) -> list[str]:
    return [c["name"] for c in emu.ledger(TOKEN).contacts()]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_status_faults_answer_before_doing_anything(emu: BillyEmulator, status: int) -> None:
    emu.faults.add(
        method="POST", path="/v2/contacts", kind="status", status=status, times=1, retry_after=2
    )
    api = client(emu)
    failed = new_contact(api, "first")
    assert failed.status_code == status
    assert failed.headers["Retry-After"] == "2"
    if status == 500:
        assert failed.json()["errorCode"] == "INTERNAL_ERROR"
    else:
        assert failed.headers["Content-Type"].startswith("text/html")  # the load balancer
    assert saved(emu) == []
    assert new_contact(api, "second").status_code == 200
    assert saved(emu) == ["second"]
    assert emu.faults.counts()["status"] == 1


def test_rate_limit_fault(emu: BillyEmulator) -> None:
    emu.faults.add(path="/v2/contacts", kind="rate_limit", times=1, retry_after=3)
    answer = new_contact(client(emu))
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "3"
    assert answer.json()["meta"]["success"] is False
    assert saved(emu) == []


def test_latency_waits_then_proceeds(emu: BillyEmulator, time: FakeTime) -> None:
    emu.faults.add(method="POST", path="/v2/contacts", kind="latency", delay=0.7, times=1)
    assert new_contact(client(emu)).status_code == 200
    assert time.slept == [0.7]
    assert saved(emu) == ["Kunde"]
    assert emu.faults.counts()["latency"] == 1


def test_drop_before_the_write(emu: BillyEmulator) -> None:
    emu.faults.add(method="POST", path="/v2/contacts", kind="drop", times=1)
    with pytest.raises(httpx2.RemoteProtocolError):
        new_contact(client(emu))
    assert saved(emu) == []


def test_hang_times_out_quickly_in_process(emu: BillyEmulator, time: FakeTime) -> None:
    emu.faults.add(method="POST", path="/v2/contacts", kind="hang", delay=30, times=1)
    api = httpx2.Client(
        transport=emu.transport(),
        base_url="https://api.billysbilling.com/v2",
        headers={"X-Access-Token": TOKEN},
        timeout=0.1,
    )
    with pytest.raises(httpx2.ReadTimeout):
        new_contact(api)
    assert time.slept == [0.1]  # the client's read timeout, not the fault's 30 s
    assert saved(emu) == []


@pytest.mark.parametrize(
    ("kind", "error"),
    [("commit_then_drop", httpx2.RemoteProtocolError), ("commit_then_hang", httpx2.ReadTimeout)],
)
def test_commit_then_fail_without_an_answer(
    emu: BillyEmulator, kind: str, error: type[Exception]
) -> None:
    emu.faults.add(method="POST", path="/v2/contacts", kind=kind, times=1)
    with pytest.raises(error):
        new_contact(client(emu), "saved anyway")
    assert saved(emu) == ["saved anyway"]
    [entry] = emu.journal.entries()
    assert (entry.status, entry.fault, entry.committed_status) == (None, kind, 200)


@pytest.mark.parametrize("status", [500, 502])
def test_commit_then_status(emu: BillyEmulator, status: int) -> None:
    emu.faults.add(
        method="POST", path="/v2/contacts", kind="commit_then_status", status=status, times=1
    )
    answer = new_contact(client(emu), "saved anyway")
    assert answer.status_code == status
    assert saved(emu) == ["saved anyway"]
    assert emu.faults.counts()["commit_then_status"] == 1


def test_commit_then_fail_on_an_invoice_leaves_the_invoice(emu: BillyEmulator) -> None:
    api = client(emu)
    contact = new_contact(api).json()["contacts"][0]["id"]
    product = api.post("/products", json={"product": {"name": "P"}}).json()["products"][0]["id"]
    emu.faults.add(method="POST", path="/v2/invoices", kind="commit_then_status", times=1)
    answer = api.post(
        "/invoices",
        json={
            "invoice": {
                "contactId": contact,
                "entryDate": "2026-01-01",
                "currencyId": "DKK",
                "orderNo": "shop-7",
                "state": "approved",
                "lines": [{"productId": product, "unitPrice": 10}],
            }
        },
    )
    assert answer.status_code == 500
    assert list(emu.ledger(TOKEN).invoices_by_order_no()) == ["shop-7"]
    found = api.get("/invoices", params={"q": "shop-7"}).json()["invoices"]
    assert [invoice["orderNo"] for invoice in found] == ["shop-7"]


def test_rules_match_by_method_and_path_glob(emu: BillyEmulator) -> None:
    api = client(emu)
    contact = new_contact(api).json()["contacts"][0]["id"]
    emu.faults.add(method="PUT", path="/v2/contacts/*", kind="status", status=503)
    assert api.get(f"/contacts/{contact}").status_code == 200
    assert new_contact(api).status_code == 200
    for _ in range(3):
        assert api.put(f"/contacts/{contact}", json={"contact": {"name": "x"}}).status_code == 503
    emu.faults.clear()
    assert api.put(f"/contacts/{contact}", json={"contact": {"name": "x"}}).status_code == 200
    assert emu.faults.counts()["status"] == 3


def test_skip_lets_the_first_requests_through(emu: BillyEmulator) -> None:
    emu.faults.add(method="POST", path="/v2/contacts", kind="status", skip=2, times=1)
    api = client(emu)
    assert [new_contact(api).status_code for _ in range(4)] == [200, 200, 503, 200]


def outcomes(seed: int) -> list[str]:
    emulator = BillyEmulator(seed=seed)
    emulator.add_organization(TOKEN)
    emulator.faults.add(path="/v2/contacts", kind="status", probability=0.3)
    emulator.faults.add(path="/v2/contacts", kind="commit_then_drop", probability=0.2)
    api = client(emulator)
    seen = []
    for number in range(40):
        try:
            seen.append(str(new_contact(api, f"c{number}").status_code))
        except httpx2.RemoteProtocolError:
            seen.append("dropped")
    return seen


def test_probabilistic_faults_are_reproducible_from_the_seed() -> None:
    first, again, other = outcomes(7), outcomes(7), outcomes(8)
    assert first == again
    assert {"200", "503", "dropped"} <= set(first)
    assert first != other


def test_bad_fault_settings_are_refused(emu: BillyEmulator) -> None:
    with pytest.raises(ValueError, match="kind"):
        emu.faults.add(kind="explode")
    with pytest.raises(ValueError, match="5xx"):
        emu.faults.add(kind="status", status=404)
    with pytest.raises(ValueError, match="probability"):
        emu.faults.add(kind="drop", probability=2)
    assert set(emu.faults.counts()) == set(FAULT_KINDS)


def test_journal_records_requests_and_masks_tokens(emu: BillyEmulator) -> None:
    other = "another-secret-token-9876"
    emu.add_organization(other)
    new_contact(client(emu))
    client(emu, other).get("/contacts", params={"contactNo": "x"})
    client(emu, "unknown-secret-token-5555").get("/organization")
    entries = emu.journal.as_dicts()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/v2/contacts", 200),
        ("GET", "/v2/contacts", 200),
        ("GET", "/v2/organization", 401),
    ]
    assert entries[0]["organization_id"] == emu.organization_id(TOKEN)
    assert entries[1]["query"] == "contactNo=x"
    assert entries[0]["request_bytes"] > 0 and entries[0]["response_bytes"] > 0
    assert [e["token"] for e in entries] == ["…0042", "…9876", "…5555"]
    dumped = json.dumps(entries) + json.dumps(emu.snapshot())
    for secret in (TOKEN, other, "unknown-secret-token-5555"):
        assert secret not in dumped


def test_rate_limit_per_token(emu: BillyEmulator, time: FakeTime) -> None:
    other = "another-secret-token-9876"
    emu.add_organization(other)
    emu.set_rate_limit(2)
    api = client(emu)
    statuses = [api.get("/organization").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = api.get("/organization")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert client(emu, other).get("/organization").status_code == 200  # its own budget
    time.now += 1.0
    assert api.get("/organization").status_code == 200
    assert emu.rate_limited == 2
    emu.set_rate_limit(None)
    assert all(api.get("/organization").status_code == 200 for _ in range(10))


def control(emu: BillyEmulator, method: str, path: str, body: Any = None) -> httpx2.Response:
    with httpx2.Client(transport=emu.transport(), base_url="http://emulator") as raw:
        return raw.request(method, path, json=body)


def test_control_endpoints(emu: BillyEmulator) -> None:
    org_id = emu.organization_id(TOKEN)
    assert "POST /_emulator/faults" in control(emu, "GET", "/_emulator").json()["routes"]
    added = control(
        emu,
        "POST",
        "/_emulator/faults",
        {"kind": "status", "method": "POST", "path": "/v2/contacts", "times": 1},
    )
    assert added.status_code == 200 and added.json()["fault"]["status"] == 503
    api = client(emu)
    assert new_contact(api).status_code == 503
    faults = control(emu, "GET", "/_emulator/faults").json()
    assert faults["counts"]["status"] == 1 and faults["rules"][0]["fired"] == 1
    assert control(emu, "POST", "/_emulator/faults", {"kind": "nope"}).status_code == 400
    assert control(emu, "POST", "/_emulator/faults", {"kinds": "drop"}).status_code == 400
    assert new_contact(api).status_code == 200
    journal = control(emu, "GET", "/_emulator/journal").json()["entries"]
    assert [e["status"] for e in journal] == [503, 200]  # control calls are not journalled
    since = control(emu, "GET", "/_emulator/journal", None)
    assert len(since.json()["entries"]) == 2
    assert (
        control(emu, "GET", f"/_emulator/journal?since={journal[0]['seq']}").json()["entries"][0][
            "status"
        ]
        == 200
    )

    locked = control(emu, "POST", "/_emulator/lock", {"organizationId": org_id, "reason": "x"})
    assert locked.json() == {"organizationId": org_id, "isLocked": True}
    assert new_contact(api).status_code == 403
    control(emu, "POST", "/_emulator/unlock", {"organizationId": org_id})
    assert new_contact(api).status_code == 200

    snapshot = control(emu, "GET", "/_emulator/snapshot").json()
    [org] = snapshot["organizations"]
    assert org["id"] == org_id and org["token"] == "…0042"
    assert len(org["records"]["contacts"]) == 2

    control(emu, "POST", "/_emulator/rate-limit", {"perSecond": 1})
    assert emu.rate_limit == 1
    control(emu, "POST", "/_emulator/reset")
    assert emu.rate_limit is None
    assert emu.organization_id(TOKEN) == org_id  # same tokens, same ids, empty books
    assert saved(emu) == [] and len(emu.journal) == 0

    added_org = control(emu, "POST", "/_emulator/organizations", {"token": "fresh-token-000001"})
    assert (
        client(emu, "fresh-token-000001").get("/organization").json()["organization"]["id"]
        == added_org.json()["organizationId"]
    )
    assert control(emu, "GET", "/_emulator/nothing").status_code == 404
    assert control(emu, "PUT", "/_emulator/reset").status_code == 405


def test_control_endpoints_are_not_under_v2(emu: BillyEmulator) -> None:
    api = client(emu)
    for path in ("/_emulator", "/_emulator/journal", "/_emulator/snapshot"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert answer.json()["errorCode"] == "UNKNOWN_RESOURCE"


def test_reset_clears_faults_and_books(emu: BillyEmulator) -> None:
    api = client(emu)
    new_contact(api)
    emu.faults.add(kind="status")
    emu.reset()
    assert emu.faults.rules() == [] and emu.faults.total() == 0
    assert new_contact(api).status_code == 200
    assert saved(emu) == ["Kunde"]
