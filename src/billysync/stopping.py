"""Graceful stops of the long-running commands (`serve`, `worker`) on SIGTERM or Ctrl-C.

Every deploy is a graceful stop, so it must not leave work half done: the process stops
taking new work, gives running workflows the configured grace to finish
(`BILLYSYNC_STOP_GRACE_SECONDS`, `Engine.stop`) and then exits, whatever is still running.
Work that did not finish in time is durable in DBOS and resumes on the next start (or is
taken over by a live worker), so ending those threads is safe.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from types import FrameType


def interrupt_on_sigterm() -> None:
    """Make SIGTERM behave like Ctrl-C: a `KeyboardInterrupt` in the main thread.

    uvicorn catches SIGTERM while it serves, shuts the web down and then raises the signal
    again with the handler it found. The default handler would end the process on the
    spot, before the engine's stop runs; this one lets `finally` blocks run.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def wait_for_stop_signal() -> None:
    """Block the main thread until SIGTERM or Ctrl-C."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):  # a timed wait, so Ctrl-C is delivered promptly
            pass
    except KeyboardInterrupt:
        pass


def exit_now(code: int = 0) -> None:
    """End the process after the engine's stop, even if a workflow thread still runs.

    DBOS's worker threads are not daemons: Python would wait for a hung Billy call at
    exit, which breaks the bound on a graceful stop. Their work is durable (see above).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
