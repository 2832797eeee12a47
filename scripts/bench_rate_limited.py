"""Billy's rate limit: ok calls per second and share answered 429 under an emulator limit R.

    python -m scripts.bench_rate_limited --limits 10,40 --orders 300 --workers 2

The Billy emulator answers 429 (with Retry-After) above R requests/s for the organization;
billysync runs in `billysync worker` processes on PostgreSQL, several of them booking into
the one organization, the shop's ceiling set to 2 R (too high: the shared, adaptive budget
must find R by itself). From the
emulator's journal, over the span from the first call to the last: calls answered 2xx per
second, against R, and the share of all calls answered 429. Target: ≥ 0.9 R, < 1 % 429.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.bench_postgres import billysync_workers
from scripts.bench_table import Row, emit, progress


def under_limit(folder: Path, limit: float, orders: int, workers: int) -> Row:
    result = billysync_workers(folder, orders, workers, billy_rate_limit=limit)
    calls: list[dict[str, Any]] = result["calls"]
    ok = [c for c in calls if isinstance(c["status"], int) and 200 <= c["status"] < 300]
    refused = [c for c in calls if c["status"] == 429]
    span = float(calls[-1]["at"]) - float(calls[0]["at"]) if len(calls) > 1 else 0.0
    rate = len(ok) / span if span else 0.0
    share = 100 * len(refused) / len(calls) if calls else 0.0
    states = ", ".join(f"{n} {s}" for s, n in sorted(result["states"].items()))
    progress(f"Billy limit {limit:g}/s: {rate:.1f} ok calls/s, {share:.1f} % 429")
    return Row(
        f"Billy rate limit R = {limit:g} req/s, {workers} workers, {orders} orders ({states})",
        f"{rate:.1f} ok calls/s ({rate / limit:.2f} R), {share:.1f} % answered 429",
        "",
        "≥ 0.9 R, < 1 % 429",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limits", default="10,40", help="values of R, comma-separated")
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            under_limit(Path(tmp), float(limit), args.orders, args.workers)
            for limit in args.limits.split(",")
        ]
    emit(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
