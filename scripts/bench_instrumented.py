"""`billysync` (any command) with the benchmark's counters: what a bench starts as a process.

    python -m scripts.bench_instrumented worker      # instead of `billysync worker`

The command runs unchanged. Added: SQL statement and commit counters (bench_counting.py),
written as one JSON line to $BILLYSYNC_BENCH_SNAPSHOTS on each SIGUSR1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from billysync.sync.engine import Engine
from scripts.bench_counting import SqlCounter, snapshot_on_signal
from scripts.bench_processes import SNAPSHOTS_ENV


def instrument() -> None:
    counter = SqlCounter()
    original_start = Engine.start

    def start(engine: Engine) -> Engine:
        counter.ours_is(engine.rt.db.engine)
        return original_start(engine)

    Engine.start = start  # type: ignore[method-assign,assignment]
    snapshot_on_signal(counter, Path(os.environ[SNAPSHOTS_ENV]))


if __name__ == "__main__":
    instrument()
    from billysync.cli import app

    sys.exit(app(prog_name="billysync"))
