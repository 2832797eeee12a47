"""The benchmark still runs: `python3 dev.py bench --quick`'s smallest section, end to end.

Only that it prints its table is checked, never a figure (the bench measures; CI does not
time anything). The section runs as the bench runs it: its own process, the Billy emulator
in another, billysync and a bare DBOS workflow on embedded SQLite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_quick_bench_prints_its_table() -> None:
    command = [sys.executable, "-m", "scripts.bench", "--quick", "--only", "sqlite"]
    command += ["--orders", "5"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout[done.stdout.index("| figure ") :].splitlines()
    table = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines if line]
    assert table[0] == ["figure", "billysync", "bare DBOS", "target"]
    rows = table[2:]
    assert all(len(row) == 4 and row[1] for row in rows), done.stdout
    figures = [row[0] for row in rows]
    assert any(f.startswith("orders/s, embedded SQLite") for f in figures), done.stdout
    assert any(f.startswith("our own commits per order") for f in figures), done.stdout
    assert not any("the section failed" in f for f in figures), done.stdout
