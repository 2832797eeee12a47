"""Who may use the admin pages: the admin password, login throttling, the session key, CSRF.

- The one admin password is stored as an argon2id hash in `admin_users`. When the process
  is given `BILLYSYNC_ADMIN_PASSWORD` that password is the admin's (set or reset at start);
  otherwise the first visit chooses it.
- Failed logins are counted per client address; after `limit` failures inside `window`
  seconds further attempts are refused with the number of seconds to wait.
- Sessions live in a signed cookie (Starlette's SessionMiddleware, itsdangerous). Its key is a
  file beside the secret key (`session.key`, mode 0600), never the database, so a database
  dump cannot forge a session.
- Each session carries a random CSRF token; every state-changing request must send it back in
  the `csrf_token` form field or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.store.tables import AdminUser

ADMIN_USERNAME = "admin"
MIN_PASSWORD_LENGTH = 10
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
    """Create the admin or change its password (which ends every existing session)."""
    user = admin_user(session)
    if user is None:
        user = AdminUser(username=ADMIN_USERNAME, password_hash=hash_password(password))
        session.add(user)
    else:
        user.password_hash = hash_password(password)
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


def password_fingerprint(password_hash: str) -> str:
    """Kept in the session: a changed password no longer matches, so old sessions end."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


# --- login throttling -------------------------------------------------------------------


class LoginThrottle:
    """At most `limit` failed logins per client address inside a sliding `window` (seconds).

    In memory, per process: with several web processes an attacker gets `limit` tries per
    process per window, which still makes guessing an argon2-hashed password hopeless.
    """

    def __init__(
        self, limit: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(address, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def wait_seconds(self, address: str) -> int:
        """0 when the address may try now, else the whole seconds until it may."""
        with self._lock:
            now = self._clock()
            failures = self._recent(address, now)
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[0] + self.window - now + 0.999))

    def failed(self, address: str) -> None:
        with self._lock:
            now = self._clock()
            self._recent(address, now).append(now)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


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
