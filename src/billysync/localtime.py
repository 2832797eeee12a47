"""Danish time: the one home of the time zone the books, the shops and the pages use.

Billy keeps the books in Denmark, Danish shops stamp their times in Danish time, and the
merchant reads times on our pages in it. Stored times are UTC; they become Danish only at
these edges.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def local_date(moment: datetime) -> date:
    """A timestamp's date in Denmark, where the books are kept (a naive one is taken as is)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(DANISH_TIME).date()
