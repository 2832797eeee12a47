"""A stateful Billy API v2 emulator for tests and the embedded demo.

`BillyEmulator` holds one Danish organization per access token and answers like Billy:
envelopes, validation, VAT and totals (with `billysync.billy.totals`), numbering,
payments and credit notes. Reach it in-process through `emu.transport()` (an httpx2
transport) or over sockets with `server.start_background_server` / `server.run_server`.
Faults, a journal, a rate limit and a control API under `/_emulator/` make failures
reproducible. What had to be assumed about Billy is listed in docs/billy-emulator.md.
"""

from .emulator import BillyEmulator
from .faults import KINDS as FAULT_KINDS
from .faults import FaultEngine, FaultRule
from .journal import Journal, JournalEntry
from .ledger import Ledger
from .server import run_server, start_background_server

__all__ = [
    "FAULT_KINDS",
    "BillyEmulator",
    "FaultEngine",
    "FaultRule",
    "Journal",
    "JournalEntry",
    "Ledger",
    "run_server",
    "start_background_server",
]
