"""How every merchant command answers: words or JSON, an exit code, and never a traceback.

A command builds a `Door` (its language and whether `--json` was asked), prints its result
through it, and stops with `Refused(exit_code, key, **params)` when it cannot do what was
asked. `@answers` turns anything a command raises into a clear message and one of the
documented exit codes (docs/cli.md), in words on stderr or as JSON on stdout.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer

from billysync.console.texts import CLI_TEXTS

if TYPE_CHECKING:
    from billysync.store.tables import Shop
    from billysync.sync.runtime import Runtime

P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(IntEnum):
    """The exit codes of the merchant commands (docs/cli.md)."""

    OK = 0
    FAILED = 1  # findings to fix, an order that failed (again), a preview that failed
    BAD_INPUT = 2  # a refused option or setting (Typer's own usage errors use 2 too)
    NOT_FOUND = 3  # no such shop, order or return
    UNFINISHED = 4  # still working when the wait ran out
    UNREACHABLE = 5  # Billy or the shop did not answer: try again later
    UNEXPECTED = 6  # a defect in billysync: report it


class Refused(Exception):
    """The command stops with this exit code and message (a catalogue key and its params)."""

    def __init__(self, exit_code: ExitCode, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.exit_code = exit_code
        self.key = key
        self.params = params


def language() -> str:
    """BILLYSYNC_LANGUAGE: `da` for Danish; anything else (or unset) is English.

    A command line has no browser to ask, and the shops' stored `language` is not a choice
    the merchant ever made, so the process setting decides.
    """
    from billysync.config import ProcessSettings

    try:
        chosen = ProcessSettings().language.strip().lower()
    except ValueError:  # a bad BILLYSYNC_* value: the command itself will say which
        chosen = ""
    return "da" if chosen.startswith("da") else "en"


def say(lang: str, key: str, /, **params: Any) -> str:
    """A command-line text, or (for state and finding names) the pages' text of that key."""
    texts = CLI_TEXTS.get(key)
    if texts is None:
        from billysync.web import i18n

        return i18n.translate(lang, key, **params)
    text = texts[1] if lang == "da" else texts[0]
    return text.format(**params) if params else text


@dataclass
class Door:
    """One command's way of answering."""

    as_json: bool = False
    lang: str = "en"

    def t(self, key: str, /, **params: Any) -> str:
        return say(self.lang, key, **params)

    def reason(self, stored: str | None) -> str:
        """A reason the engine stored (sync/reasons.py), in this command's language."""
        from billysync.web.i18n import translator
        from billysync.web.texts_reasons import render_stored

        return render_stored(stored, translator(self.lang))

    def result(self, data: dict[str, Any], lines: list[str]) -> None:
        """The command's result: `data` as JSON with --json, else `lines` in words."""
        if self.as_json:
            typer.echo(json.dumps({"ok": True, **data}, ensure_ascii=False, default=str))
        else:
            for line in lines:
                typer.echo(line)

    def stop(
        self, exit_code: ExitCode, message: str, data: dict[str, Any] | None = None
    ) -> NoReturn:
        """End the command with `exit_code`: the message on stderr, or JSON on stdout."""
        if self.as_json:
            body = {"ok": False, "exit_code": int(exit_code), "error": message, **(data or {})}
            typer.echo(json.dumps(body, ensure_ascii=False, default=str))
        else:
            typer.echo(message, err=True)
        raise typer.Exit(int(exit_code))


def answers(command: Callable[P, R]) -> Callable[P, R]:
    """Run a merchant command so that it ends with a documented exit code and clear words.

    The command's `as_json` parameter (the `--json` option) decides the form of an error.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        door = Door(as_json=bool(kwargs.get("as_json")), lang=language())
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except Refused as refused:
            door.stop(refused.exit_code, door.t(refused.key, **refused.params))
        except Exception as exc:
            exit_code, message = _explain(door, exc)
            door.stop(exit_code, message)

    return run


def _explain(door: Door, exc: Exception) -> tuple[ExitCode, str]:
    """An exception nobody expected here, in words: never SQL, parameters or a stack trace."""
    from pydantic import ValidationError

    from billysync.billy.errors import BillyError
    from billysync.shop.errors import ShopError
    from billysync.sync.classify import classify
    from billysync.sync.runtime import NotConfigured

    if isinstance(exc, NotConfigured):
        return ExitCode.FAILED, door.t("not_configured", reason=str(exc))
    if isinstance(exc, ValidationError) and exc.title == "ProcessSettings":
        names = ", ".join(f"BILLYSYNC_{'_'.join(map(str, e['loc'])).upper()}" for e in exc.errors())
        return ExitCode.BAD_INPUT, door.t("bad_setting", names=names)
    if isinstance(exc, ShopError):  # reading the shop (reconcile, backfill, preview)
        failure = classify(exc)
        said = door.reason(failure.reason.encode())
        if failure.kind == "transient":
            return ExitCode.UNREACHABLE, door.t("shop_unreachable", reason=said)
        return ExitCode.FAILED, said
    if isinstance(exc, BillyError):
        failure = classify(exc)
        if failure.kind == "transient":
            said = door.reason(failure.reason.encode())
            return ExitCode.UNREACHABLE, door.t("billy_unreachable", reason=said)
        return ExitCode.FAILED, door.reason(failure.reason.encode())
    # The merchant gets words; whoever runs billysync can ask for the details.
    if os.environ.get("BILLYSYNC_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    return ExitCode.UNEXPECTED, door.t("unexpected", error=type(exc).__name__)


def runtime() -> Runtime:
    """The process's runtime from BILLYSYNC_* (the database, the secret box, Billy)."""
    from billysync.config import ProcessSettings
    from billysync.sync.runtime import Runtime

    return Runtime.from_settings(ProcessSettings())


def load_shop(rt: Runtime, shop_id: int) -> Shop:
    """The shop, or the command stops with "not found" (exit code 3)."""
    from billysync.store import shops

    rt.db.migrate()
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
    if shop is None:
        raise Refused(ExitCode.NOT_FOUND, "no_shop", shop_id=shop_id)
    return shop
