"""Rendering the admin pages: one Jinja2 environment, the shared context, flash messages.

Every page gets `t` (the catalogue in the merchant's language), `lang`, `csrf` (for forms and
htmx's `X-CSRF-Token`), the flash messages of the last redirect and, on a shop's pages, the
`shop`. Money is shown from integer øre with its currency; secrets never reach a template
except through `store.secrets.mask`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from billysync.localtime import DANISH_TIME
from billysync.money import from_ore
from billysync.web import chain, guards, i18n
from billysync.web.texts_reasons import render_stored, render_stored_html, stored_place

# Times are stored in UTC; the merchant reads them in Danish time, where the books are kept.
LOCAL_TIME = DANISH_TIME
TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))


def language(request: Request) -> str:
    chosen = guards.session_data(request).get("lang")
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    return i18n.pick_language(request.headers.get("accept-language"))


def flash(request: Request, key: str, level: str = "ok", /, **params: Any) -> None:
    """A message shown once on the next page (kept in the signed session cookie)."""
    messages = list(guards.session_data(request).get("flash", []))
    messages.append({"key": key, "level": level, "params": params})
    guards.session_data(request)["flash"] = messages[-5:]


def _take_flashes(request: Request) -> list[dict[str, Any]]:
    data = guards.session_data(request)
    messages = data.pop("flash", [])
    return messages if isinstance(messages, list) else []


def format_money(ore: int | None, currency: str | None, lang: str) -> str:
    """1234550 øre, DKK → "12.345,50 DKK" (Danish) or "12,345.50 DKK" (English)."""
    if ore is None:
        return "—"
    return format_amount(from_ore(ore), currency, lang)


def format_amount(
    amount: Decimal | float | int | str | None, currency: str | None, lang: str
) -> str:
    if amount is None or amount == "":
        return "—"
    text = f"{Decimal(str(amount)):,.2f}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} {currency}" if currency else text


def format_time(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return "—"
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(LOCAL_TIME)
    return moment.strftime("%d-%m-%Y %H:%M" if lang == "da" else "%Y-%m-%d %H:%M")


def format_quantity(quantity: Decimal | int | str, lang: str) -> str:
    """2 → "2", 1.5 → "1,5" (Danish) or "1.5" (English): no trailing zeros."""
    text = format(Decimal(str(quantity)).normalize(), "f")
    return text.replace(".", ",") if lang == "da" else text


def format_date(moment: date | datetime | None, lang: str) -> str:
    if moment is None:
        return "—"
    return moment.strftime("%d-%m-%Y" if lang == "da" else "%Y-%m-%d")


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    lang = language(request)
    t = i18n.translator(lang)
    full: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "t": t,
        # a stored reason or step-log line, in the merchant's language (`reason_text`: as
        # plain text, for a place inside another text)
        "reason": lambda stored: render_stored_html(stored, t),
        "reason_text": lambda stored: render_stored(stored, t),
        "fix_place": lambda stored: (lambda key: t(key) if key else "")(stored_place(stored)),
        "csrf": guards.csrf_token(request),
        "flashes": _take_flashes(request),
        "money": lambda ore, currency=None: format_money(ore, currency, lang),
        "amount": lambda value, currency=None: format_amount(value, currency, lang),
        "when": lambda moment: format_time(moment, lang),
        "day": lambda moment: format_date(moment, lang),
        "qty": lambda quantity: format_quantity(quantity, lang),
        "step_name": lambda step: i18n.translate_or(lang, f"step.{step}", step),
        "written_key": chain.written_key,
        "is_htmx": request.headers.get("HX-Request") == "true",
    }
    full.update(context or {})
    return templates.TemplateResponse(request, template, full, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """After a POST: 303 so the browser GETs the page (reload never re-posts)."""
    return RedirectResponse(url, status_code=303)
