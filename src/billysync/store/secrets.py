"""Secrets at rest: Billy keys, shop tokens and webhook secrets are stored encrypted.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key kept in a file outside
the database (`BILLYSYNC_SECRET_KEY_FILE`, default `<data dir>/secret.key`, mode 0600),
so a database dump alone reveals nothing. Only the last four characters of a secret are
ever shown back (`mask`).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class SecretKeyError(RuntimeError):
    """The secret key is missing or does not match the stored secrets."""


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_key_file(cls, path: Path, *, create: bool = True) -> SecretBox:
        """Load the key, creating a new one (readable by the owner only) the first time."""
        if not path.exists():
            if not create:
                raise SecretKeyError(
                    f"no secret key at {path}: restore the key file of this installation "
                    "or set BILLYSYNC_SECRET_KEY_FILE to where it is"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError(
                "a stored secret cannot be decrypted with this key: the secret key file "
                "is not the one it was saved with; restore it or enter the secret again"
            ) from exc

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"


def mask(secret: str | None) -> str:
    """What a page may show of a secret: its last four characters at most."""
    if not secret:
        return ""
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"
