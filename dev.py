#!/usr/bin/env python3
"""The two commands of billysync, needing nothing but python3.

    python3 dev.py run    set everything up and run the service (embedded demo by default)
    python3 dev.py test   set everything up and run every check: lint, types, layers, tests

Setting up means: a virtual environment in .venv, the pinned dependencies of
requirements.lock, billysync itself in editable mode and, for the browser tests,
Debian's chromium when it is missing and we are allowed to install it. The set-up
is skipped when nothing changed since the last time (a stamp holds the lock's hash).

Anything after the command is passed on: `python3 dev.py run --port 8080`,
`python3 dev.py test tests/billy -x`. `python3 dev.py bench` runs the benchmarks;
`python3 dev.py soak` the long reliability runs (thousands of orders under faults and
kills, 100,000 fuzzed payloads), printing their figures.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".billysync-installed"


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def _must(*cmd: str | Path) -> None:
    code = _run(*cmd)
    if code != 0:
        sys.exit(f"dev.py: `{' '.join(str(c) for c in cmd)}` failed with exit code {code}")


def setup() -> None:
    """Create .venv and install the locked dependencies, once per lock change."""
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        _must(sys.executable, "-m", "venv", VENV)
    _must(BIN / "python", "-m", "pip", "install", "--quiet", "-r", LOCK)
    _must(BIN / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it when we may (root, apt)."""
    if shutil.which("chromium") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    _run("apt-get", "update", "-qq")
    _run("apt-get", "install", "-y", "-qq", "chromium")


def cmd_run(args: list[str]) -> int:
    setup()
    return _run(BIN / "billysync", "serve", *args)


def cmd_test(args: list[str]) -> int:
    setup()
    ensure_chromium()
    checks: list[tuple[str | Path, ...]] = [
        (BIN / "ruff", "check", "src", "tests", "scripts", "dev.py"),
        (BIN / "ruff", "format", "--check", "src", "tests", "scripts", "dev.py"),
        (BIN / "mypy",),
        (BIN / "lint-imports",),
    ]
    if args:  # a focused run (`dev.py test tests/x`): those tests only, in one process
        return _run(BIN / "python", "-m", "pytest", *args)
    for check in checks:
        if _run(*check) != 0:
            print(f"dev.py: {check[0]} found problems; fix them and run again", file=sys.stderr)
            return 1
    return _run(BIN / "python", "-m", "pytest", *_test_processes())


def _test_processes() -> list[str]:
    """The whole suite runs in several pytest processes (pytest-xdist).

    Most of its time is spent waiting (on servers, subprocesses, PostgreSQL), so even two
    cores finish it in about half the time; every test keeps its own databases, ports and
    directories, so they may run side by side. BILLYSYNC_TEST_PROCESSES=1 runs them in one
    process, in order. "worksteal" lets an idle process take queued tests from a busy one,
    so the few long tests do not leave the others waiting at the end.
    """
    wanted = os.environ.get("BILLYSYNC_TEST_PROCESSES")
    count = int(wanted) if wanted else max(2, min(4, os.cpu_count() or 2))
    return [] if count <= 1 else ["-n", str(count), "--dist", "worksteal"]


def cmd_bench(args: list[str]) -> int:
    setup()
    return _run(BIN / "python", "-m", "scripts.bench", *args)


SOAK_TESTS = (
    "tests/reliability/test_faults.py",  # ≥5,000 orders at ~20 % injected Billy faults
    "tests/reliability/test_serve_kills.py",  # ≥5,000 orders, ≥20 SIGKILLs of serve/workers
    "tests/reliability/test_commit_kills.py",  # a SIGKILL before and after every commit
    "tests/shop/test_shoporama_fuzz.py",  # 100,000 fuzzed payloads and webhook bodies each
)


def cmd_soak(args: list[str]) -> int:
    """The long runs of quality.md §2 (BILLYSYNC_SOAK=1); each prints its figures."""
    setup()
    env = {**os.environ, "BILLYSYNC_SOAK": "1"}
    tests = args or list(SOAK_TESTS)
    print(f"dev.py soak: {' '.join(tests)} (this takes a while)", flush=True)
    return _run(
        BIN / "python",
        "-m",
        "pytest",
        "-s",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
        "-o",
        "timeout=10800",  # each test has its own progress deadlines; this only stops a hang
        *tests,
        env=env,
    )


def main() -> int:
    commands = {
        "run": cmd_run,
        "test": cmd_test,
        "bench": cmd_bench,
        "soak": cmd_soak,
        "setup": lambda _: setup() or 0,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
