"""Who is let into the admin pages, kept in the database so every web process agrees.

- Admin sessions: a row per logged-in session, keyed by the digest of the random id in the
  cookie. Logging out deletes the row, a new admin password deletes them all; a copied cookie
  then opens nothing, in any process.
- Setup codes: while no admin password exists, each server start stores the digest of a
  one-time code it prints on its console; the first visitor must type one of them.
- Login failures: one row per failed attempt and client address; the throttle counts the
  rows inside its window, so several processes share one limit.

Only SHA-256 digests of session ids and codes are stored: a database dump opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from billysync.store.tables import AdminSession, LoginFailure, SetupCode, as_utc, utcnow

ADDRESS_LENGTH = 64  # the column; an IPv6 address with a zone fits


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- admin sessions ---------------------------------------------------------------------


def open_session(session: Session, session_id: str, lifetime: timedelta) -> None:
    now = utcnow()
    session.add(
        AdminSession(id_digest=digest(session_id), created_at=now, expires_at=now + lifetime)
    )
    # Expired rows of sessions nobody logged out of go here, not in a scheduler.
    session.execute(delete(AdminSession).where(AdminSession.expires_at <= now))


def session_is_open(session: Session, session_id: str) -> bool:
    row = session.get(AdminSession, digest(session_id))
    return row is not None and as_utc(row.expires_at) > utcnow()


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(AdminSession).where(AdminSession.id_digest == digest(session_id)))


def end_every_session(session: Session) -> None:
    session.execute(delete(AdminSession))


# --- first-run setup codes --------------------------------------------------------------


def add_setup_code(session: Session, code: str) -> None:
    session.add(SetupCode(code_digest=digest(code)))


def setup_code_matches(session: Session, code: str) -> bool:
    given = digest(code.strip())
    stored = session.scalars(select(SetupCode.code_digest)).all()
    # Compare with each in constant time; there is one row per server start, so few.
    return any(hmac.compare_digest(given, known) for known in stored)


def clear_setup_codes(session: Session) -> None:
    session.execute(delete(SetupCode))


# --- login failures ---------------------------------------------------------------------


def record_failure(session: Session, address: str, at: datetime, window: timedelta) -> None:
    session.add(LoginFailure(address=address[:ADDRESS_LENGTH], failed_at=at))
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= at - window))


def failures_since(session: Session, address: str, since: datetime) -> tuple[int, datetime | None]:
    """How many failures the address had after `since`, and the oldest of them."""
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.failed_at)).where(
            LoginFailure.address == address[:ADDRESS_LENGTH], LoginFailure.failed_at > since
        )
    ).one()
    return int(count), as_utc(oldest) if oldest is not None else None


def forget_failures(session: Session, address: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.address == address[:ADDRESS_LENGTH]))
