"""Record ids that look like Billy's: opaque 22-character strings, reproducible from a seed.

Billy's ids are URL-safe base64 of 16 random bytes (e.g. `cSHBqWWITexZvQy29lqpYg`). The
emulator draws them from a seeded `random.Random`, so two runs with the same seed and the
same requests hand out the same ids, and a failing test can be replayed exactly.
"""

from __future__ import annotations

import random
import string

ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 22


class IdFactory:
    """Hands out fresh ids from its own seeded stream."""

    def __init__(self, seed: str) -> None:
        self._random = random.Random(seed)
        self._given: set[str] = set()

    def new(self) -> str:
        while True:
            candidate = "".join(self._random.choice(ALPHABET) for _ in range(ID_LENGTH))
            if candidate not in self._given:
                self._given.add(candidate)
                return candidate
