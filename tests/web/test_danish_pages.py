"""Danish all the way: every page a merchant can open, rendered in Danish, must not show a text
from the English catalogue, nor a catalogue key the catalogue lacks.

The check reads the rendered pages, not the templates: each English text of the catalogue that
no Danish text contains (split at its placeholders) is looked for in the page's visible text
and in its placeholders and tooltips. Texts the engine writes (failure reasons, step logs:
marked `data-from="engine"` in the templates) are stored as codes (sync/reasons.py) and
rendered from the same catalogue; the second test holds them to the same rule, with the
reasons and step lines the engine really writes for a refusal, an outage and a booking.
Billy's own words kept with a reason are shown apart, quoted and marked `data-from="billy"`
(they are Billy's English, not ours): they are kept out of both checks, and only there.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from billysync.billy.errors import error_for_response
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.shop.errors import ShopDataError
from billysync.store import audit, bindings
from billysync.sync.classify import classify
from billysync.sync.reasons import Reason, encode_retrying
from billysync.sync.runtime import Runtime
from billysync.web import i18n
from tests.support.pages_world import ORDER, book_in_billy, configure_shop, put_transfer
from tests.support.web_helpers import PASSWORD, add_shop, client_for, csrf_from

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "value")
# English words that do not occur in Danish sentences: the sign of an untranslated text.
ENGLISH_WORDS = re.compile(
    r"\b(?:the|could not|was|were|with|will|created|updated|invoiced|try again|retrying|"
    r"order|invoice|payment|refused|should|please)\b",
    re.IGNORECASE,
)


class PageText(HTMLParser):
    """The text a reader sees, with the engine's own texts kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.engine: list[str] = []
        self.quoted: list[str] = []  # Billy's own words, quoted apart from a reason
        self._stack: list[tuple[str, str]] = []  # (tag, "shown" | "engine" | "quoted")

    def _where(self) -> str:
        return self._stack[-1][1] if self._stack else "shown"

    def _in_engine(self) -> bool:
        return self._where() == "engine"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = self._where()
        if values.get("data-from") == "billy":
            where = "quoted"
        elif values.get("data-from") == "engine" and where == "shown":
            where = "engine"
        for name in SHOWN_ATTRIBUTES:
            # A form field's value is the merchant's own data; a button's is its label.
            if values.get(name) and (name != "value" or tag == "button"):
                self.shown.append(values[name] or "")
        if tag not in VOID:
            self._stack.append((tag, where))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] in ("script", "style"):
            return
        if data.strip():
            buckets = {"shown": self.shown, "engine": self.engine, "quoted": self.quoted}
            buckets[self._where()].append(data.strip())


def read(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    return parser


def english_only_fragments() -> list[str]:
    """Every piece of an English catalogue text that no Danish catalogue text contains."""
    danish = "\n".join(da for _, da in i18n.MESSAGES.values())
    found = set()
    for english, da in i18n.MESSAGES.values():
        if english == da:
            continue
        for piece in re.split(r"\{[^}]*\}", english):
            piece = piece.strip(" .,:;()—–-“”\"'→←…")
            if len(piece) >= 3 and re.search(r"[A-Za-z]{3}", piece) and piece not in danish:
                found.add(piece)
    return sorted(found, key=len, reverse=True)


def _english_in(text: str, fragments: list[str]) -> list[str]:
    hits = []
    for piece in fragments:
        # Whole words only: "Name" is English, "Navnet" is not a hit for "Na…".
        if re.search(rf"(?<![\w]){re.escape(piece)}(?![\w])", text):
            hits.append(piece)
    return hits


# A catalogue key shown as itself (what a missing key looks like); not a part of an address.
KEY_LIKE = re.compile(r"(?<![/\w.:@-])([a-z_]+)\.[a-z_]+(?:\.[a-z_]+)*\b(?![/.\w])")


def _refused_order() -> Exception:
    """The JSON API's order model refusing a payload with several of its own checks."""
    from pydantic import ValidationError

    from billysync.shop.models import Order

    bad = {
        **ORDER,
        "currency": "XYZ",
        "created_at": "1970-01-01T10:00:00+01:00",
        "lines": [{**ORDER["lines"][0], "quantity": "0", "unit_price": "-5"}],
        "surprise": 1,
    }
    try:
        Order.model_validate(bad)
    except ValidationError as exc:
        return exc
    raise AssertionError("the order model took a bad order")


@pytest.fixture
def danish_pages(anonymous: TestClient, rt: Runtime, billy: BillyEmulator) -> dict[str, str]:
    """Every page, in Danish, of a shop with booked, failed, skipped, returned orders and
    products, plus a fresh Shoporama shop and the pages around them."""
    client = anonymous
    pages: dict[str, str] = {}
    pages["login"] = client.get("/login", headers={"Accept-Language": "da"}).text
    with client_for(rt) as danish:
        token = csrf_from(danish.get("/login").text)
        danish.post("/login", data={"password": PASSWORD, "csrf_token": token})
        csrf = csrf_from(danish.get("/shops").text)
        danish.post("/language", data={"lang": "da", "back": "/", "csrf_token": csrf})
        shop_id, api_token = add_shop(danish, csrf, "Krusbutikken", "generic")
        configure_shop(rt, billy, shop_id)
        danish.put(
            "/api/v1/orders/A-1", json=ORDER, headers={"Authorization": f"Bearer {api_token}"}
        )
        book_in_billy(billy, rt, shop_id)
        # An order whose total its lines do not give: its preview lists the problem.
        mismatched = {**ORDER, "key": "T-9", "number": "1009", "total": "150.00", "payment": None}
        pushed = danish.put(
            "/api/v1/orders/T-9", json=mismatched, headers={"Authorization": f"Bearer {api_token}"}
        )
        assert pushed.status_code < 300, pushed.text
        refused = error_for_response(
            status=422,
            body={
                "errorCode": "INVALID_RECORD",
                "validationErrors": {
                    "bankPayment": {"attributes": {"cashAccountId": "Not a payment account"}}
                },
            },
            method="POST",
            path="/bankPayments",
            safe=False,
        )
        reason = classify(refused).reason.encode()
        vat_refused = error_for_response(
            status=400,
            body={
                "errorCode": "INVALID_RECORD",
                "validationErrors": {
                    "invoice": {"attributes": {"taxRateId": "The tax rate was deactivated"}}
                },
            },
            method="POST",
            path="/invoices",
            safe=False,
        )
        down = error_for_response(status=503, body={}, method="POST", path="/invoices", safe=False)
        retrying = encode_retrying(
            classify(down).reason, Reason("wait.retry_at", {"at": "14:05", "attempt": "2"})
        )
        with rt.db.session() as session:
            put_transfer(
                session,
                shop_id,
                "order",
                "A-1",
                number="1001",
                snapshot=__import__("json").dumps(ORDER),
            )
            put_transfer(
                session,
                shop_id,
                "order",
                "B-2",
                number="1002",
                state="failed",
                error_kind="data",
                reason=reason,
            )
            for step, message in (
                ("reference", Reason("log.reference").encode()),
                ("contact", Reason("log.created", {"document": "contact"}).encode()),
                ("invoice", Reason("log.adopted", {"document": "invoice"}).encode()),
                ("retry", retrying),
                ("failed", reason),
            ):
                audit.record(
                    session,
                    shop_id=shop_id,
                    kind="order",
                    object_key="B-2",
                    step=step,
                    message=message,
                )
            put_transfer(
                session,
                shop_id,
                "order",
                "E-5",
                number="1005",
                state="failed",
                error_kind="transient",
                reason=encode_retrying(
                    classify(down).reason, Reason("wait.gave_up", {"attempt": "8"})
                ),
            )
            put_transfer(
                session,
                shop_id,
                "order",
                "C-3",
                number="1003",
                state="skipped",
                reason=Reason("log.cancelled").encode(),
            )
            put_transfer(session, shop_id, "order", "D-4", number="1004", state="waiting")
            # Billy's refusal of a VAT rate (its words kept as a quote) and a payload with no
            # code of its own (its English kept as a technical detail).
            put_transfer(
                session,
                shop_id,
                "order",
                "F-6",
                number="1006",
                state="failed",
                error_kind="data",
                reason=classify(vat_refused).reason.encode(),
            )
            put_transfer(
                session,
                shop_id,
                "order",
                "G-7",
                number="1007",
                state="failed",
                error_kind="data",
                reason=classify(
                    ShopDataError("the order was refused with a detail")
                ).reason.encode(),
            )
            put_transfer(session, shop_id, "order", "T-9", number="1009")
            # The canonical model's refusals, each said by its code (shop/problems.py).
            put_transfer(
                session,
                shop_id,
                "order",
                "H-8",
                number="1008",
                state="failed",
                error_kind="data",
                reason=classify(_refused_order()).reason.encode(),
            )
            put_transfer(
                session,
                shop_id,
                "return",
                "R-1",
                number="1001-R1",
                state="credited",
                amount_ore=8900,
                currency="DKK",
            )
            bindings.bind(session, shop_id, "product", "MUG-01", "bp-1")
            audit.record(
                session,
                shop_id=shop_id,
                kind="product",
                object_key="p-9",
                step="product",
                message=f"product TEA-03: {classify(refused).reason.encode()}",
            )
        new_shop, _ = add_shop(danish, csrf, "Ny Shoporama-butik", "shoporama")
        base = f"/shops/{shop_id}"
        for name, url in {
            "shops": "/shops",
            "overview": f"{base}/orders",
            "overview no match": f"{base}/orders?q=zzz",
            "overview empty": f"/shops/{new_shop}/orders",
            "order": f"{base}/orders/A-1",
            "order document": f"{base}/orders/A-1/document",
            "failed order": f"{base}/orders/B-2",
            "order refused by billy": f"{base}/orders/F-6",
            "order refused with a detail": f"{base}/orders/G-7",
            "order the shop sent wrong": f"{base}/orders/H-8",
            "return": f"{base}/returns/R-1",
            "failed": f"{base}/failed",
            "products": f"{base}/products",
            "products no match": f"{base}/products?q=zzz",
            "preview": f"{base}/preview",
            "preview 1001": f"{base}/preview?order=1001",
            "preview unknown": f"{base}/preview?order=4711",
            "preview with a problem": f"{base}/preview?order=1009",
            "settings": f"{base}/settings",
            "settings shoporama": f"/shops/{new_shop}/settings",
            "check": f"{base}/check",
            "check shoporama": f"/shops/{new_shop}/check",
            "remove": f"{base}/remove",
            "token": f"{base}/token",
            "not found": "/shops/999/orders",
        }.items():
            answer = danish.get(url)
            assert answer.status_code in (200, 404), (name, answer.status_code)
            pages[name] = answer.text
        pages["new shop token"] = danish.post(
            "/shops", data={"name": "JSON-butik", "platform": "generic", "csrf_token": csrf}
        ).text
        pages["settings refused key"] = danish.post(
            f"/shops/{new_shop}/settings",
            data={"csrf_token": csrf, "api_key": "not-a-key", "trigger": "paid"},
        ).text
    return pages


def test_no_danish_page_shows_english_catalogue_text(danish_pages: dict[str, str]) -> None:
    fragments = english_only_fragments()
    assert len(fragments) > 150  # the catalogue was read
    groups = {key.split(".")[0] for key in i18n.MESSAGES}
    found = {}
    for name, html in danish_pages.items():
        assert '<html lang="da">' in html or name == "order document", name
        text = "\n".join(read(html).shown)
        hits = _english_in(text, fragments)
        raw_keys = [m.group(0) for m in KEY_LIKE.finditer(text) if m.group(1) in groups]
        if hits or raw_keys:
            found[name] = hits + raw_keys
    assert found == {}


def test_the_engine_texts_on_danish_pages_are_danish(danish_pages: dict[str, str]) -> None:
    """Reasons and step logs: no English word, and nothing from the English catalogue (the
    reasons' English texts are in it, as `reason.<code>`)."""
    fragments = english_only_fragments()
    assert any(key.startswith("reason.") for key in i18n.MESSAGES)
    english = {}
    for name, html in danish_pages.items():
        text = " ".join(read(html).engine)
        words = ENGLISH_WORDS.findall(text) + _english_in(text, fragments)
        if words:
            english[name] = words
    assert english == {}
    failed = " ".join(read(danish_pages["failed"]).engine)
    assert "Billy afviste betalingskontoen. Vælg en konto" in failed
    assert "Vi gav op efter 8 forsøg" in failed
    steps = " ".join(read(danish_pages["failed order"]).engine)
    assert "Oprettede kontakten i Billy." in steps and "Vi prøver igen kl. 14:05" in steps
    # Billy's words and a technical detail are shown, but apart and marked as quoted.
    billy_page = read(danish_pages["order refused by billy"])
    assert "Billy afviste momssatsen på en linje i fakturaen." in " ".join(billy_page.engine)
    assert "Billy svarede:" in " ".join(billy_page.engine)
    assert billy_page.quoted == ["invoice.taxRateId: The tax rate was deactivated"]
    detail_page = read(danish_pages["order refused with a detail"])
    assert "Teknisk detalje:" in " ".join(detail_page.engine)
    assert detail_page.quoted == ["the order was refused with a detail"]
    invalid = " ".join(read(danish_pages["order the shop sent wrong"]).engine)
    assert "er ikke en ISO 4217-valutakode" in invalid and "ligger uden for årene" in invalid
    assert "fjern det: feltet findes ikke" in invalid, invalid
    problem = " ".join(read(danish_pages["preview with a problem"]).engine)
    assert "Butikkens total er 150.00 DKK, men fakturaen ville give 178.00 DKK" in problem
    failed_list = read(danish_pages["failed"])
    assert "invoice.taxRateId: The tax rate was deactivated" in failed_list.quoted


def test_the_check_finds_english_when_it_is_there() -> None:
    """The check itself can fail: an English text on a Danish page is found."""
    fragments = english_only_fragments()
    page = '<html lang="da"><p>Ordrer</p><button>Retry all</button><p>Intet er ændret</p></html>'
    assert _english_in("\n".join(read(page).shown), fragments) == ["Retry all", "Retry"]
    engine = '<p data-from="engine">Billy rejected the data<br>twice</p><p>Gem</p>'
    parsed = read(engine)
    assert parsed.shown == ["Gem"] and parsed.engine == ["Billy rejected the data", "twice"]
