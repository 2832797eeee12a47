"""Bad input that passed validation is a data failure: stopped at once, a reason in words.

An order whose content breaks something deeper (a database value error, an amount no
decimal can hold) used to be classified transient and retried for minutes, and its reason
carried raw SQL with the customer's data as bound parameters. Now it stops as `failed`
(kind `data`) on its first attempt, nothing is sent to Billy after the error, and the
reason names what to correct, never SQL, parameters or a stack trace.
"""

from __future__ import annotations

import decimal
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, OperationalError, StatementError
from sqlalchemy.orm import Session

from billysync.store import audit, transfers
from billysync.sync.classify import classify
from tests.support.shop_builders import line, order, person
from tests.support.sync_harness import Harness

CUSTOMER = "Mette Jensen"  # the customer's data must not reach a reason
LEAKS = ("SELECT", "INSERT", "[SQL", "parameters", CUSTOMER, "Traceback", "99999")


def assert_stopped_as_data(h: Harness, key: str) -> str:
    row = h.transfer(key=key)
    assert (row["state"], row["error_kind"]) == ("failed", "data"), row
    reason = str(row["reason"])
    for leak in LEAKS:
        assert leak not in reason, f"{leak!r} in the reason {reason!r}"
    with h.rt.db.session() as session:
        lines = audit.chain(session, h.shop_id, "order", key)
    assert not [ln for ln in lines if ln.step == "retry"], "retried as if transient"
    for ln in lines:
        for leak in LEAKS:
            assert leak not in (ln.message or ""), f"{leak!r} in the chain: {ln.message!r}"
    return reason


def test_a_database_value_error_inside_a_transfer_stops_it_with_a_reason_in_words(
    database_url: str, harness_for: Callable[..., Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness_for(database_url)
    real_note_read = transfers.note_read

    def note_read_failing(session: Session, *args: Any, **kwargs: Any) -> Any:
        row = real_note_read(session, *args, **kwargs)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            # A real one: PostgreSQL refuses 99999 as a smallint (SQLSTATE 22003).
            session.execute(
                text("SELECT CAST(:n AS smallint), :who"), {"n": 99999, "who": CUSTOMER}
            )
        else:  # SQLite has no such error: the one its driver would raise, as SQLAlchemy wraps it
            raise DataError(
                "INSERT INTO transfers (number) VALUES (?)",
                (CUSTOMER,),
                sqlite3.DataError("string or blob too big"),
            )
        return row

    monkeypatch.setattr(transfers, "note_read", note_read_failing)
    h.push("order", order("1", customer=person("c1", name=CUSTOMER)))
    h.settle()
    reason = assert_stopped_as_data(h, "1")
    assert "correct it in the shop" in reason or "cannot be stored" in reason
    assert h.emu.ledger(h.token).invoices() == []


@pytest.mark.postgres
@pytest.mark.parametrize("number", ["7" * 150, "10\x0042"], ids=["too-long", "nul-byte"])
def test_an_order_number_postgres_cannot_hold_is_data_not_transient_postgres(
    postgres_url: str, harness_for: Callable[..., Harness], number: str
) -> None:
    # The edge's bounds (shop/models.py) or, behind them, the database refuse it: either
    # way a data failure on the first attempt, in words.
    h = harness_for(postgres_url)
    h.push("order", order("1").model_copy(update={"number": number}))
    h.settle()
    assert_stopped_as_data(h, "1")
    assert h.emu.ledger(h.token).invoices() == []


def test_an_amount_no_decimal_can_hold_is_data_not_transient(
    database_url: str, harness_for: Callable[..., Harness]
) -> None:
    h = harness_for(database_url)
    good = order("1", lines=(line("MUG-1", "Krus", "1", "89.00"),))
    huge = good.lines[0].model_copy(update={"unit_price": Decimal("1e308")})
    h.push("order", good.model_copy(update={"lines": (huge,)}))
    h.settle()
    assert_stopped_as_data(h, "1")
    assert h.emu.ledger(h.token).invoices() == []


def test_database_errors_are_described_by_kind_never_by_their_sql() -> None:
    bound = StatementError(
        "(builtins.OverflowError) Python int too large to convert to SQLite INTEGER",
        "INSERT INTO transfers (amount_ore) VALUES (?)",
        (10**30,),
        OverflowError("Python int too large to convert to SQLite INTEGER"),
    )
    locked = OperationalError(
        "UPDATE transfers SET reason=? WHERE id=?",
        (CUSTOMER, 1),
        sqlite3.OperationalError("database is locked"),
    )
    for exc, kind in ((bound, "data"), (locked, "transient")):
        failure = classify(exc)
        assert failure.kind == kind
        for leak in (*LEAKS, "10000000000"):
            assert leak not in failure.reason.encode(), failure.reason
    assert classify(ValueError("year 10000 is out of range")).kind == "data"
    assert classify(decimal.Overflow()).kind == "data"
    assert classify(decimal.InvalidOperation()).kind == "data"
