"""The benchmark's one table: rows of figure, billysync, bare DBOS and target.

Each section runs in a process of its own (DBOS is one per process) and hands its rows to
`python3 dev.py bench` as one line `BENCH-ROWS [...]` on stdout; the bench prints them all
together at the end, as a Markdown table, ready for the README.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

ROWS_PREFIX = "BENCH-ROWS "
PROGRESS_PREFIX = "· "  # a section's progress line, shown by the bench as it runs


@dataclass(frozen=True)
class Row:
    figure: str
    billysync: str
    bare: str = ""
    target: str = ""


def emit(rows: list[Row]) -> None:
    """Hand a section's rows to the bench (and show them to whoever runs it directly)."""
    print(ROWS_PREFIX + json.dumps([asdict(r) for r in rows]), flush=True)


def progress(text: str) -> None:
    print(PROGRESS_PREFIX + text, flush=True)


def rows_in(output: str) -> list[Row]:
    rows: list[Row] = []
    for text in output.splitlines():
        if text.startswith(ROWS_PREFIX):
            rows += [Row(**r) for r in json.loads(text[len(ROWS_PREFIX) :])]
    return rows


def markdown(rows: list[Row]) -> str:
    header = Row("figure", "billysync", "bare DBOS", "target")
    cells = [header, *rows]
    widths = [
        max(len(getattr(r, f)) for r in cells) for f in ("figure", "billysync", "bare", "target")
    ]

    def line(r: Row) -> str:
        values = (r.figure, r.billysync, r.bare, r.target)
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def ratio(ours: float, other: float) -> str:
    return f"{ours / other:.2f}" if other else "—"
