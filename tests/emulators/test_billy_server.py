"""The Billy emulator over real sockets: the threaded server (faults as real network
failures, the control API, concurrency) and the `billysync emulate billy` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from billysync.emulators.billy import BillyEmulator, start_background_server

TOKEN = "test-token-server-000077"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served() -> Iterator[tuple[BillyEmulator, str]]:
    emulator = BillyEmulator(seed=2)
    emulator.add_organization(TOKEN)
    url, stop = start_background_server(emulator)
    yield emulator, url
    stop()


def api(url: str, timeout: float = 5) -> httpx2.Client:
    return httpx2.Client(base_url=f"{url}/v2", headers={"X-Access-Token": TOKEN}, timeout=timeout)


def new_contact(client: httpx2.Client, name: str = "Kunde") -> httpx2.Response:
    return client.post("/contacts", json={"contact": {"name": name, "countryId": "DK"}})


def test_serves_billy_over_sockets(served: tuple[BillyEmulator, str]) -> None:
    emu, url = served
    assert url.startswith("http://127.0.0.1:")
    with api(url) as client:
        org = client.get("/organization")
        assert org.status_code == 200
        assert org.json()["organization"]["id"] == emu.organization_id(TOKEN)
        assert new_contact(client).status_code == 200
        assert client.get("/nothing").json()["errorCode"] == "UNKNOWN_RESOURCE"
        assert client.get("/_emulator/journal").status_code == 404
    assert [c["name"] for c in emu.ledger(TOKEN).contacts()] == ["Kunde"]


def test_a_dropped_connection_is_a_closed_socket(served: tuple[BillyEmulator, str]) -> None:
    emu, url = served
    emu.faults.add(method="POST", path="/v2/contacts", kind="drop", times=1)
    emu.faults.add(method="POST", path="/v2/contacts", kind="commit_then_drop", times=1)
    with api(url) as client:
        with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
            new_contact(client, "dropped")
        with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
            new_contact(client, "committed")
        assert new_contact(client, "third").status_code == 200
    assert [c["name"] for c in emu.ledger(TOKEN).contacts()] == ["committed", "third"]


def test_a_hang_holds_the_socket_until_the_client_gives_up(
    served: tuple[BillyEmulator, str],
) -> None:
    emu, url = served
    emu.faults.add(method="POST", path="/v2/contacts", kind="commit_then_hang", delay=2, times=1)
    with api(url, timeout=0.3) as client, pytest.raises(httpx2.ReadTimeout):
        new_contact(client, "committed")
    assert [c["name"] for c in emu.ledger(TOKEN).contacts()] == ["committed"]


def test_control_api_over_sockets_needs_no_token(served: tuple[BillyEmulator, str]) -> None:
    emu, url = served
    with httpx2.Client(base_url=url, timeout=5) as raw:
        added = raw.post("/_emulator/faults", json={"kind": "status", "status": 502, "times": 1})
        assert added.status_code == 200
        with api(url) as client:
            assert client.get("/organization").status_code == 502
            assert client.get("/organization").status_code == 200
        journal = raw.get("/_emulator/journal").json()["entries"]
        assert [e["status"] for e in journal] == [502, 200]
        assert TOKEN not in raw.get("/_emulator/journal").text
        assert raw.get("/_emulator/snapshot").json()["organizations"][0]["token"] == "…0077"
    assert emu.faults.counts()["status"] == 1


def test_concurrent_writes_are_all_kept(served: tuple[BillyEmulator, str]) -> None:
    emu, url = served
    with api(url) as client, ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: new_contact(client, f"c{n}"), range(40)))
    assert {answer.status_code for answer in answers} == {200}
    names = [c["name"] for c in emu.ledger(TOKEN).contacts()]
    assert sorted(names) == sorted(f"c{n}" for n in range(40))
    assert len({c["id"] for c in emu.ledger(TOKEN).contacts()}) == 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_emulate_command_answers_from_another_process() -> None:
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "billysync"),
        "emulate",
        "billy",
        "--port",
        str(port),
        "--token",
        TOKEN,
    ]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "billysync", *command[1:]]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        answer = None
        while time.monotonic() - started < 15 and process.poll() is None:
            try:
                answer = httpx2.get(
                    f"http://127.0.0.1:{port}/v2/organization",
                    headers={"X-Access-Token": TOKEN},
                    timeout=1,
                )
                break
            except httpx2.TransportError:
                time.sleep(0.02)
        elapsed = time.monotonic() - started
        print(f"billysync emulate billy answered GET /v2/organization after {elapsed:.3f} s")
        assert answer is not None, process.stderr.read() if process.stderr else ""
        assert answer.status_code == 200
        assert answer.json()["organization"]["baseCurrencyId"] == "DKK"
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/v2" in out
    assert TOKEN not in out
