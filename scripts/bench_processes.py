"""Processes a bench starts (workers, `serve`), each with its log and its counter snapshots.

Ended only by their own pid: SIGTERM (the graceful stop), SIGKILL if that hangs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench_counting import Snapshot, ask_snapshot

SNAPSHOTS_ENV = "BILLYSYNC_BENCH_SNAPSHOTS"


@dataclass
class Spawned:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    snapshots: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, text: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not print {text!r}:\n{self.output()[-3000:]}")
            time.sleep(0.05)

    def wait_for_port(self, port: int, timeout: float = 180) -> None:
        """Until the process accepts connections on 127.0.0.1:port."""
        import socket

        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                if self.popen.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{self.name} never answered:\n{self.output()[-3000:]}"
                    ) from None
                time.sleep(0.05)

    def snapshot(self) -> Snapshot:
        return ask_snapshot(self.popen.pid, self.snapshots)

    def rss_mb(self) -> float:
        for text in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if text.startswith("VmRSS:"):
                return int(text.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)


def spawn(name: str, module: str, args: list[str], env: dict[str, str], folder: Path) -> Spawned:
    """`python -m module args…` with its output in folder/name.log."""
    log = folder / f"{name}.log"
    snapshots = folder / f"{name}.snapshots"
    env = {**env, SNAPSHOTS_ENV: str(snapshots), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        popen = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parent.parent,
        )
    return Spawned(name, popen, log, snapshots)
