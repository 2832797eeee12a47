"""`billysync preview` in words: the invoice as it would be booked, and what would stop it.

Reads the plain data of `billysync.mapping.preview` (what `--json` prints whole): the order,
the invoice's lines with VAT and totals, the payment, and `problems` — anything that would
stop the booking, which makes the preview fail (exit code 1).
"""

from __future__ import annotations

from typing import Any

from billysync.console.door import Door


def preview_lines(door: Door, documents: dict[str, Any], invoice_no: str | None) -> list[str]:
    from billysync.web.render import format_amount

    order = documents.get("order") or {}
    currency = order.get("currency") or None

    def money(amount: Any, with_currency: bool = True) -> str:
        return format_amount(amount, currency if with_currency else None, door.lang)

    lines = [
        door.t("preview_order", number=order.get("number", "?"), total=money(order.get("total")))
    ]
    if invoice_no:
        lines.append(door.t("preview_in_billy", invoice=invoice_no))
    invoice = documents.get("invoice")
    if invoice:
        lines.append(door.t("preview_invoice"))
        for line in invoice.get("lines", []):
            amount, vat = money(line.get("amount"), False), money(line.get("vat"), False)
            label = door.t("preview_vat")
            lines.append(
                f"  {line.get('quantity')} × {line.get('description')}  {amount} ({label} {vat})"
            )
        totals = invoice.get("totals") or {}
        lines.append(
            door.t(
                "preview_totals",
                net=money(totals.get("net"), False),
                vat=money(totals.get("vat"), False),
                gross=money(totals.get("gross")),
            )
        )
    payment = documents.get("payment")
    if payment:
        lines.append(door.t("preview_payment", amount=money(payment.get("cashAmount"))))
    new_products = documents.get("new_products") or []
    if new_products:
        lines.append(door.t("preview_new_products", items=", ".join(new_products)))
    return lines


def problems_of(door: Door, documents: dict[str, Any]) -> list[str]:
    """What would stop the booking, in the command's language when each says it by code."""
    reasons, plain = documents.get("problem_reasons") or [], documents.get("problems") or []
    if len(reasons) == len(plain):
        return [door.reason(str(r)) for r in reasons]
    return [str(p) for p in plain]
