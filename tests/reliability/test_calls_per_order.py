"""Billy calls per paid order stay within docs/invariants.md §4's targets, whatever the line count.

Counts, not timing: `scripts/calls_per_order.py` measures them in the Billy emulator's
journal with the real engine; this test asserts the figures it prints.
"""

from __future__ import annotations

import pytest

from scripts.calls_per_order import (
    LINE_COUNTS,
    REFERENCE_PATHS,
    TARGETS,
    Measurement,
    measure,
    table,
)


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Measurement:
    result = measure(tmp_path_factory.mktemp("calls"))
    print("\n" + table(result))
    return result


@pytest.mark.parametrize("who", list(TARGETS))
def test_calls_per_order_within_target_and_independent_of_lines(
    measured: Measurement, who: str
) -> None:
    counts = {n: len(measured.orders[who, n]) for n in LINE_COUNTS}
    assert all(count <= TARGETS[who] for count in counts.values()), counts
    assert len(set(counts.values())) == 1, f"calls grow with the lines: {counts}"


def test_each_measured_order_wrote_its_documents(measured: Measurement) -> None:
    # A cheap order that wrote nothing would pass the bounds; each must have its invoice
    # and payment in Billy, and a new customer its contact.
    for (who, _), calls in measured.orders.items():
        assert calls.count("POST /v2/invoices") == 1
        assert calls.count("POST /v2/bankPayments") == 1
        assert calls.count("POST /v2/contacts") == (1 if who == "new customer" else 0)
    expected = 1 + len(measured.orders)  # the warm-up order too
    assert (measured.invoices, measured.payments) == (expected, expected)


def test_reference_data_is_read_once_per_process(measured: Measurement) -> None:
    assert {c.split(" ", 1)[1] for c in measured.reference_reads} == REFERENCE_PATHS
    assert len(measured.reference_reads) == len(REFERENCE_PATHS)
    for calls in measured.orders.values():
        assert not [c for c in calls if c.split(" ", 1)[1] in REFERENCE_PATHS]


def test_product_pass_with_nothing_changed_costs_nothing(measured: Measurement) -> None:
    assert measured.product_sync, "the warm-up synced no products"
    assert measured.unchanged_product_pass == []
