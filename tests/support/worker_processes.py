"""`billysync worker` and `billysync recover` as real processes, for the kill tests.

Each process gets the environment a merchant's would (data directory, database URL, secret
key file, executor id) and its own log file, which a failing test prints. Processes are
ended only by their own pid; `Processes.close()` kills whatever a test left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

READY = "running; Ctrl-C stops it"  # what `billysync worker` prints once DBOS is launched
SERVING = "billysync is running"  # what `billysync serve` prints once its engine runs
# How long a test waits for a process to make progress (start, reach a request, finish,
# stop gracefully). A deadline that a loaded machine (2 cores, other test runs) still
# meets, not a measure of speed: an idle machine passes it in a fraction of the time.
PROGRESS = 180.0


@dataclass
class Setup:
    """Where an installation keeps its data: shared by the test and every process."""

    data_dir: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. BILLYSYNC_STOP_GRACE_SECONDS

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"

    def env(self, executor_id: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BILLYSYNC_")}
        env.update(
            BILLYSYNC_DATA_DIR=str(self.data_dir),
            BILLYSYNC_DATABASE_URL=self.database_url,
            BILLYSYNC_SECRET_KEY_FILE=str(self.secret_key_file),
            BILLYSYNC_EXECUTOR_ID=executor_id,
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last commit, exactly what a crash gives."""
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def terminate(self) -> None:
        """SIGTERM, as a deploy or `docker stop` sends it; does not wait."""
        if self.alive():
            os.kill(self.popen.pid, signal.SIGTERM)

    def stop(self) -> None:
        if self.alive():
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=PROGRESS)  # the stop grace, then exit
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Processes:
    setup: Setup
    started: list[Process] = field(default_factory=list)

    def _spawn(self, name: str, executor_id: str, *args: str, die_at: str | None = None) -> Process:
        log = self.setup.data_dir / f"{name}-{len(self.started)}.log"
        program = [sys.executable, "-m", "billysync"]
        env = self.setup.env(executor_id)
        if die_at is not None:  # billysync with a planned SIGKILL at one database commit
            program = [sys.executable, str(Path(__file__).with_name("dying_billysync.py"))]
            env["BILLYSYNC_TEST_DIE_AT"] = die_at
        with log.open("wb") as sink:
            popen = subprocess.Popen(
                [*program, *args],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=self.setup.data_dir,
            )
        process = Process(name, popen, log)
        self.started.append(process)
        return process

    def worker(self, executor_id: str) -> Process:
        """Start `billysync worker` and wait until it runs workflows."""
        process = self._spawn(executor_id, executor_id, "worker")
        wait_for(
            lambda: READY in process.output(), PROGRESS, f"worker {executor_id} to start", self
        )
        return process

    def serve(self, executor_id: str, port: int) -> Process:
        """Start `billysync serve` (no demo) on `port` and wait until it runs."""
        process = self._spawn("serve", executor_id, "serve", "--no-demo", "--port", str(port))
        wait_for(lambda: SERVING in process.output(), PROGRESS, "serve to start", self)
        return process

    def dying_worker(self, executor_id: str, die_at: str) -> Process:
        """`billysync worker` that SIGKILLs itself at a commit (dying_billysync.py); no wait."""
        return self._spawn(executor_id, executor_id, "worker", die_at=die_at)

    def command(self, executor_id: str, *args: str) -> Process:
        """Start another `billysync` command (e.g. recover) without waiting for it."""
        return self._spawn(args[0], executor_id, *args)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name} (pid {p.popen.pid}, exit {p.popen.poll()}) ---\n{p.output()[-4000:]}"
            for p in self.started
        )

    def close(self) -> None:
        for process in self.started:
            process.kill()


def wait_for(
    condition: Callable[[], bool], timeout: float, what: str, processes: Processes | None = None
) -> None:
    """Poll until `condition()` holds; fail with the processes' logs if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = processes.logs() if processes else ""
    raise AssertionError(f"gave up waiting {timeout:g} s for {what}\n{logs}")
