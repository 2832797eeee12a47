"""Whose address the login throttle counts: the peer, unless it is a configured proxy.

X-Forwarded-For is written by the sender, so without `BILLYSYNC_TRUSTED_PROXIES` it is
ignored, also under the uvicorn that billysync's commands start (which by default believes it
from 127.0.0.1). The failures are kept in the database, so two web processes share the limit.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings, parse_networks
from billysync.sync.runtime import Runtime
from billysync.web import proxies, security, serving
from billysync.web.app import create_app
from tests.support.web_helpers import PUBLIC_URL, csrf_from, make_runtime, set_password


def _wrong_login(client: TestClient | httpx2.Client, token: str, **headers: str) -> int:
    answer = client.post(
        "/login", data={"password": "a guess", "csrf_token": token}, headers=headers
    )
    return answer.status_code


def _hour_long_throttle(rt: Runtime) -> security.LoginThrottle:
    """The service's throttle (5 failures) over an hour, so a slow machine cannot let the
    first failures age out of the window before the test's last attempt."""
    return security.LoginThrottle(rt.db, limit=5, window=3600)


@contextmanager
def _served(rt: Runtime) -> Iterator[str]:
    """The app under uvicorn as `billysync web` and `serve` start it, on a free local port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(rt, login_throttle=_hour_long_throttle(rt))
    server = serving.uvicorn_server(app, "127.0.0.1", port, lifespan="off")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_forwarded_for_from_loopback_is_not_believed_by_default(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    rt.process.public_url = "http://127.0.0.1"  # a plain-http cookie, as served here
    set_password(rt)
    with _served(rt) as url, httpx2.Client(base_url=url) as client:
        token = csrf_from(client.get("/login").text)
        # Each attempt claims to come from another address: all are the one peer.
        for n in range(5):
            assert _wrong_login(client, token, **{"X-Forwarded-For": f"203.0.113.{n}"}) == 401
        assert _wrong_login(client, token, **{"X-Forwarded-For": "198.51.100.7"}) == 429
    rt.db.dispose()


def _client(rt: Runtime, peer: str) -> TestClient:
    return TestClient(
        create_app(rt, login_throttle=_hour_long_throttle(rt)),
        base_url="https://testserver",
        headers={"Accept-Language": "en"},
        client=(peer, 40000),
    )


def test_a_configured_proxy_is_believed_and_only_for_its_own_hop(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    rt.process.trusted_proxies = "10.0.0.0/24"
    set_password(rt)
    with _client(rt, "10.0.0.5") as client:
        token = csrf_from(client.get("/login").text)
        for n in range(5):
            # The left part is the visitor's own invention; the proxy appended the real one.
            spoofed = f"192.0.2.{n}, 203.0.113.9"
            assert _wrong_login(client, token, **{"X-Forwarded-For": spoofed}) == 401
        assert _wrong_login(client, token, **{"X-Forwarded-For": "203.0.113.9"}) == 429
        # Another visitor behind the same proxy is not locked out.
        assert _wrong_login(client, token, **{"X-Forwarded-For": "203.0.113.10"}) == 401
    with _client(rt, "172.16.0.8") as not_a_proxy:
        token = csrf_from(not_a_proxy.get("/login").text)
        for n in range(5):
            header = {"X-Forwarded-For": f"203.0.113.{100 + n}"}
            assert _wrong_login(not_a_proxy, token, **header) == 401
        assert _wrong_login(not_a_proxy, token, **{"X-Forwarded-For": "203.0.113.200"}) == 429
    rt.db.dispose()


def test_two_web_processes_share_one_throttle(database_url: str, tmp_path: Path) -> None:
    settings = ProcessSettings(data_dir=tmp_path, database_url=database_url, public_url=PUBLIC_URL)
    first, second = Runtime.from_settings(settings), Runtime.from_settings(settings)
    first.db.migrate()
    set_password(first)
    with _client(first, "198.51.100.1") as one, _client(second, "198.51.100.1") as other:
        tokens = csrf_from(one.get("/login").text), csrf_from(other.get("/login").text)
        for n in range(5):
            client, token = (one, tokens[0]) if n % 2 else (other, tokens[1])
            assert _wrong_login(client, token) == 401
        assert _wrong_login(one, tokens[0]) == 429
        assert _wrong_login(other, tokens[1]) == 429
    first.db.dispose()
    second.db.dispose()


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("198.51.100.1", ["203.0.113.5"], "198.51.100.1"),  # not a proxy: header ignored
        ("10.0.0.1", [], "10.0.0.1"),  # a proxy that forwards nobody
        ("10.0.0.1", ["203.0.113.5"], "203.0.113.5"),
        ("10.0.0.1", ["1.2.3.4, 203.0.113.5"], "203.0.113.5"),  # left part is the visitor's
        ("10.0.0.1", ["203.0.113.5, 10.0.0.2"], "203.0.113.5"),  # two proxies in a row
        ("10.0.0.1", ["1.2.3.4", "203.0.113.5"], "203.0.113.5"),  # the header twice
        ("10.0.0.1", ["10.0.0.3, 10.0.0.2"], "10.0.0.3"),  # only proxies: the first
        ("::1", ["2001:db8::7"], "2001:db8::7"),
        ("10.0.0.1", ["not-an-ip"], "not-an-ip"),  # the proxy's word, even when odd
    ],
)
def test_client_address_reads_the_header_from_the_right(
    peer: str, header: list[str], expected: str
) -> None:
    trusted = parse_networks("10.0.0.0/24, ::1")
    assert proxies.client_address(peer, header, trusted) == expected


def test_no_trusted_proxies_by_default_and_typos_are_named() -> None:
    assert ProcessSettings().trusted_proxy_networks == ()
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300' is not an IP address"):
        ProcessSettings(trusted_proxies="10.0.0.1, 10.0.0.300")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_web_command_ignores_forwarded_for_and_prints_the_setup_code(tmp_path: Path) -> None:
    """`billysync web` as an operator starts it: a separate process, its own uvicorn."""
    import os
    import subprocess
    import sys

    port = _free_port()
    env = {
        **os.environ,
        "BILLYSYNC_DATA_DIR": str(tmp_path),
        "BILLYSYNC_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("BILLYSYNC_ADMIN_PASSWORD", None)
    env.pop("BILLYSYNC_DATABASE_URL", None)
    console = tmp_path / "console.txt"
    with console.open("w") as out:
        web = subprocess.Popen(
            [sys.executable, "-m", "billysync", "web", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert web.poll() is None, console.read_text()
            try:
                if httpx2.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "billysync web did not answer within 60 s"
            time.sleep(0.2)
        assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", console.read_text())
        with httpx2.Client(base_url=url) as client:
            token = csrf_from(client.get("/setup").text)
            for n in range(5):
                header = {"X-Forwarded-For": f"203.0.113.{n}"}
                answer = client.post(
                    "/setup", data={"code": "WRONG", "csrf_token": token}, headers=header
                )
                assert answer.status_code == 403
            last = client.post(
                "/setup",
                data={"code": "WRONG", "csrf_token": token},
                headers={"X-Forwarded-For": "198.51.100.9"},
            )
            assert last.status_code == 429
    finally:
        web.terminate()
        web.wait(timeout=30)
