"""Who may use the admin pages: the admin password, the first-run code, throttling, sessions.

- The one admin password is stored as an argon2id hash in `admin_users`. When the process
  is given `BILLYSYNC_ADMIN_PASSWORD` that password is the admin's (set or reset at start);
  otherwise the first visitor chooses it, and must type the one-time setup code the server
  printed on its console when it started, so whoever reaches a fresh server first cannot
  simply take it.
- Failed logins (and wrong setup codes) are counted per client address in the database;
  after `limit` failures inside `window` seconds further attempts are refused with the number
  of seconds to wait.
- A logged-in session is a row in the database (`store.web_access`); the signed cookie
  (Starlette's SessionMiddleware, itsdangerous) carries only its random id. Logging out
  deletes the row, a new password deletes every row. The cookie's key is a file beside the
  secret key (`session.key`, mode 0600), never the database, so a database dump cannot forge
  a session.
- Each session carries a random CSRF token; every state-changing request must send it back in
  the `csrf_token` form field or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import math
import os
import secrets
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.store import web_access
from billysync.store.db import Database
from billysync.store.tables import AdminUser, utcnow

ADMIN_USERNAME = "admin"
MIN_PASSWORD_LENGTH = 10
SESSION_LIFETIME = timedelta(hours=12)  # a working day; then log in again
_hasher = PasswordHasher()


# --- the admin password -----------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def admin_user(session: Session) -> AdminUser | None:
    return session.scalar(select(AdminUser).where(AdminUser.username == ADMIN_USERNAME))


def set_admin_password(session: Session, password: str) -> AdminUser:
    """Create the admin or change its password; either ends every session and setup code."""
    user = admin_user(session)
    if user is None:
        user = AdminUser(username=ADMIN_USERNAME, password_hash=hash_password(password))
        session.add(user)
    else:
        user.password_hash = hash_password(password)
    web_access.end_every_session(session)
    web_access.clear_setup_codes(session)
    session.flush()
    return user


def apply_configured_password(session: Session, password: str | None) -> None:
    """`BILLYSYNC_ADMIN_PASSWORD`, when set, is the admin password (re-hashed only if changed)."""
    if not password:
        return
    user = admin_user(session)
    if user is None or not password_matches(user.password_hash, password):
        set_admin_password(session, password)


def password_problem(password: str, confirm: str) -> str | None:
    """The catalogue key of what is wrong with a new password, or None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password.too_short"
    if password != confirm:
        return "password.mismatch"
    return None


# --- the first-run setup code -----------------------------------------------------------

# Letters and digits that cannot be mistaken for each other when typed from a console.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 12  # ~60 bits; with the throttle, guessing it is hopeless


def open_setup_claim(session: Session) -> str | None:
    """A new one-time setup code when no admin exists yet (None when one does)."""
    if admin_user(session) is not None:
        return None
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    web_access.add_setup_code(session, code)
    return code


def announce_setup_code(code: str) -> None:
    """Print the code where only whoever started the server sees it: its console (stderr)."""
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    print(
        "\nbillysync has no admin password yet. The first visit to the web pages asks for it "
        f"and for this one-time setup code:\n\n    {grouped}\n\n"
        "(Or set BILLYSYNC_ADMIN_PASSWORD and start again.)\n",
        file=sys.stderr,
        flush=True,
    )


def normalised_code(typed: str) -> str:
    """What the visitor typed, as stored: no spaces or dashes, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


# --- admin sessions ---------------------------------------------------------------------


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


# --- login throttling -------------------------------------------------------------------


class LoginThrottle:
    """At most `limit` failed logins per client address inside a sliding `window` (seconds).

    The failures are rows in the database (`store.web_access`), so every web process of an
    installation counts the same attempts: more processes give an attacker no more tries.
    """

    def __init__(
        self,
        db: Database,
        limit: int = 5,
        window: float = 60.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.limit = limit
        self.window = timedelta(seconds=window)
        self._clock = clock

    def wait_seconds(self, address: str) -> int:
        """0 when the address may try now, else the whole seconds until it may."""
        now = self._clock()
        with self.db.session() as session:
            count, oldest = web_access.failures_since(session, address, now - self.window)
        if count < self.limit or oldest is None:
            return 0
        return max(1, math.ceil((oldest + self.window - now).total_seconds()))

    def failed(self, address: str) -> None:
        with self.db.session() as session:
            web_access.record_failure(session, address, self._clock(), self.window)

    def succeeded(self, address: str) -> None:
        with self.db.session() as session:
            web_access.forget_failures(session, address)


# --- the session key and CSRF -----------------------------------------------------------


def session_key_file(secret_key_file: Path) -> Path:
    return secret_key_file.with_name("session.key")


def load_session_key(path: Path) -> str:
    """The key that signs session cookies; created (owner-readable only) the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this installation made it just now
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"the session key in {path} is too short: delete the file to renew it")
    return key


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
