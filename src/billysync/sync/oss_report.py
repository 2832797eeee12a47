"""The quarterly OSS report: net sales and VAT per EU country, as Billy has them booked.

What a merchant copies into the OSS return (docs/vat.md): for one calendar quarter, per
country and rate, the net amount and the VAT of every invoice and credit note whose lines
carry one of the shop's OSS rates (sync/oss.py), credit notes subtracted. It is read from
Billy, the books themselves, not from billysync's own notes, so a document booked or
corrected by hand in Billy counts too.

Figures are in each document's own currency, one row per currency: the OSS return converts
foreign-currency sales at the ECB rate of the quarter's last day (docs/vat.md), which is the
merchant's to apply. An invoice's VAT is Billy's own rounded VAT, so the rows add up to the
invoices to the øre.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billysync.billy.client import BillyClient
from billysync.billy.models import Invoice
from billysync.mapping.oss_rates import percent_text
from billysync.money import ZERO
from billysync.store import bindings, shops
from billysync.sync.oss import RATE_KIND
from billysync.sync.runtime import Runtime


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1–4

    def __post_init__(self) -> None:
        if not (1 <= self.number <= 4 and 2021 <= self.year <= 2100):
            raise ValueError("a quarter is 1–4 of a year from 2021 (when OSS began)")

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class OssRow:
    country: str
    rate: Decimal  # fraction
    currency: str
    net: Decimal
    vat: Decimal
    documents: int


@dataclass(frozen=True)
class OssRateInfo:
    country: str
    rate: Decimal


def rate_info(marker: str) -> OssRateInfo:
    """`OSS-DE-19` → DE, 0.19 (the marker sync/oss.py gives each rate)."""
    _, country, percent = marker.split("-", 2)
    return OssRateInfo(country, Decimal(percent) / 100)


def oss_rows(documents: Iterable[Invoice], rates: Mapping[str, OssRateInfo]) -> list[OssRow]:
    """Net and VAT per (country, rate, currency) over approved invoices and credit notes.

    `rates` maps the shop's OSS tax-rate ids to their country and rate. Per document, the
    OSS VAT is Billy's invoice VAT less the VAT of its other lines (none, normally), and the
    net is the OSS lines' amounts less that VAT when the amounts include VAT.
    """
    sums: dict[tuple[str, Decimal, str], list[Decimal]] = {}
    for doc in documents:
        if doc.state != "approved" or not doc.lines:
            continue
        oss_lines = [ln for ln in doc.lines if ln.tax_rate_id in rates]
        if not oss_lines:
            continue
        info = rates[oss_lines[0].tax_rate_id or ""]
        other_vat = sum((ln.tax or ZERO for ln in doc.lines if ln not in oss_lines), ZERO)
        vat = (doc.tax or ZERO) - other_vat
        amounts = sum((ln.amount or ZERO for ln in oss_lines), ZERO)
        net = amounts - vat if doc.tax_mode == "incl" else amounts
        sign = -1 if doc.type == "creditNote" else 1
        key = (info.country, info.rate, doc.currency_id or "DKK")
        entry = sums.setdefault(key, [ZERO, ZERO, ZERO])
        entry[0] += sign * net
        entry[1] += sign * vat
        entry[2] += 1
    return [
        OssRow(country, rate, currency, net, vat, int(count))
        for (country, rate, currency), (net, vat, count) in sorted(sums.items())
    ]


def quarter_report(
    rt: Runtime, shop_id: int, client: BillyClient, quarter: Quarter
) -> list[OssRow]:
    """The quarter's rows, read from Billy with the shop's OSS rates."""
    with rt.db.session() as session:
        rates = {
            row.billy_id: rate_info(row.local_key)
            for row in bindings.bindings_of_kind(session, shop_id, RATE_KIND)
        }
    if not rates:
        return []
    documents = client.invoices.list(
        include_lines=True,
        minEntryDate=quarter.first_day.isoformat(),
        maxEntryDate=quarter.last_day.isoformat(),
    )
    inside = [
        d
        for d in documents
        if d.entry_date and quarter.first_day <= d.entry_date <= quarter.last_day
    ]
    return oss_rows(inside, rates)


def to_csv(rows: Iterable[OssRow], quarter: Quarter) -> str:
    """Semicolon-separated with decimal commas, as Danish spreadsheets open it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kvartal", "land", "momssats", "valuta", "netto", "moms", "bilag"])
    for row in rows:
        writer.writerow(
            [
                quarter.label,
                row.country,
                percent_text(row.rate).replace(".", ","),
                row.currency,
                f"{row.net:.2f}".replace(".", ","),
                f"{row.vat:.2f}".replace(".", ","),
                row.documents,
            ]
        )
    return out.getvalue()


def shop_quarter_report(rt: Runtime, shop_id: int, quarter: Quarter) -> list[OssRow]:
    """The quarter's rows for a shop, with its own Billy key (BillyError when Billy fails)."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
    with rt.billy_client(shop) as client:
        return quarter_report(rt, shop_id, client, quarter)


def parse_quarter(text: str) -> Quarter:
    """'2026-Q4' (or '2026-4') → Quarter(2026, 4); ValueError when it is not one."""
    year, _, number = text.strip().upper().partition("-")
    return Quarter(int(year), int(number.removeprefix("Q")))
