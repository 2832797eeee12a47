"""The emulated shop's fixed material: products, shipping, vouchers, and Danish people.

A small Danish lifestyle shop ("Nordisk Hjem"): products with and without variants, the
usual carriers, a few voucher codes, and names, streets and towns to draw customers from.
Company customers get CVR numbers that pass the modulus-11 check; public institutions get
EAN (GLN) numbers with a valid check digit, so validators downstream see realistic data.
All people and companies are invented; e-mail addresses use example.* domains.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

EUR_RATE = Decimal("7.46")  # DKK per EUR, close to the peg


@dataclass(frozen=True)
class CatalogueItem:
    own_id: str
    name: str
    price: Decimal
    attribute: str | None = None  # the variant dimension ("Størrelse", "Farve")
    variants: tuple[tuple[str, str, Decimal | None], ...] = ()  # (value, SKU suffix, price)


PRODUCTS: tuple[CatalogueItem, ...] = (
    CatalogueItem(
        "TSHIRT-OKO",
        "Økologisk T-shirt",
        Decimal("199.95"),
        "Størrelse",
        (("S", "S", None), ("M", "M", None), ("L", "L", None), ("XL", "XL", Decimal("219.95"))),
    ),
    CatalogueItem(
        "KOP-STEN",
        "Kaffekop i stentøj",
        Decimal("129.00"),
        "Farve",
        (("Hvid", "HVID", None), ("Blå", "BLAA", None), ("Grøn", "GROEN", None)),
    ),
    CatalogueItem(
        "SOK-ULD",
        "Uldsokker, 2 par",
        Decimal("89.95"),
        "Størrelse",
        (("36-38", "36", None), ("39-41", "39", None), ("42-44", "42", None)),
    ),
    CatalogueItem("HUE-STRIK", "Strikket hue", Decimal("149.00")),
    CatalogueItem("MULE-01", "Mulepose i lærred", Decimal("79.00")),
    CatalogueItem(
        "BRAET-EG",
        "Skærebræt i eg",
        Decimal("349.00"),
        "Størrelse",
        (("Lille", "LILLE", None), ("Stor", "STOR", Decimal("449.00"))),
    ),
    CatalogueItem("LYS-SKOV", "Duftlys, skovbund", Decimal("119.00")),
    CatalogueItem(
        "TERMO-1L",
        "Termokande 1 l",
        Decimal("299.00"),
        "Farve",
        (("Sort", "SORT", None), ("Sand", "SAND", None), ("Salvie", "SALVIE", None)),
    ),
    CatalogueItem("NOTE-A5", "Notesbog A5, linjeret", Decimal("59.95")),
    CatalogueItem("VISK-HOER", "Viskestykke i hør", Decimal("69.00")),
    CatalogueItem("9788702312345", "Danske fugle i haven (bog)", Decimal("249.95")),
    CatalogueItem(
        "PLAID-ULD",
        "Uldplaid",
        Decimal("599.00"),
        "Farve",
        (("Grå", "GRAA", None), ("Okker", "OKKER", None)),
    ),
)

# Values a product may gain later ("new variant" activity), per attribute.
NEW_VARIANT_VALUES = {
    "Størrelse": (("XXL", "XXL"), ("XS", "XS"), ("45-47", "45"), ("Ekstra stor", "XSTOR")),
    "Farve": (("Rød", "ROED"), ("Gul", "GUL"), ("Lyseblå", "LYSEBLAA"), ("Antracit", "ANTRACIT")),
}

# (id, name, price in DKK, price in EUR); id 6 is the only one for customers abroad.
SHIPPING_METHODS = (
    (1, "GLS Pakkeshop", Decimal("39.00"), Decimal("5.95")),
    (2, "PostNord Privatpakke", Decimal("49.00"), Decimal("6.95")),
    (3, "DAO Pakkeshop", Decimal("35.00"), Decimal("4.95")),
    (4, "Afhentning i butikken", Decimal("0.00"), Decimal("0.00")),
    (5, "GLS Erhvervspakke", Decimal("59.00"), Decimal("7.95")),
    (6, "GLS Europa", Decimal("119.00"), Decimal("14.95")),
)
DOMESTIC_SHIPPING = (1, 2, 3, 4)

# (id, code, percent off or None, fixed DKK off or None)
VOUCHERS = (
    (11, "VELKOMMEN10", Decimal("10"), None),
    (12, "SOMMER15", Decimal("15"), None),
    (13, "RABAT50", None, Decimal("50")),
)
GIFT_CARD_VALUES_DKK = (Decimal("100"), Decimal("200"), Decimal("250"), Decimal("500"))
GIFT_CARD_VALUES_EUR = (Decimal("15"), Decimal("25"), Decimal("50"))

FIRST_NAMES = (
    "Anne", "Mette", "Jens", "Lars", "Sofie", "Freja", "Mads", "Søren", "Ida", "Emma",
    "Niels", "Karen", "Peter", "Camilla", "Rasmus", "Line", "Frederik", "Astrid", "Mikkel",
)  # fmt: skip
LAST_NAMES = (
    "Hansen", "Nielsen", "Jensen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen",
)  # fmt: skip
STREETS = (
    "Vestergade", "Nørregade", "Søndergade", "Østergade", "Algade", "Skolevej", "Kirkevej",
    "Møllevej", "Parkvej", "Strandvejen", "Birkevej", "Engvej", "Åboulevarden",
)  # fmt: skip
TOWNS = (
    ("8000", "Aarhus C"), ("2100", "København Ø"), ("5000", "Odense C"), ("9000", "Aalborg"),
    ("7100", "Vejle"), ("6700", "Esbjerg"), ("4000", "Roskilde"), ("2800", "Kongens Lyngby"),
    ("8600", "Silkeborg"), ("3000", "Helsingør"), ("6000", "Kolding"), ("8900", "Randers C"),
)  # fmt: skip
COMPANY_PATTERNS = (
    "{last} ApS", "Tømrerfirmaet {last} I/S", "Café Kronen ApS", "Nordlys Design A/S",
    "Blomsterhuset {town} ApS", "{last} & Søn A/S", "Klinik {last} ApS",
)  # fmt: skip
INSTITUTIONS = (
    "Aarhus Kommune, Børn og Unge", "Region Midtjylland", "Odense Kommune, Skoler",
    "Københavns Kommune, Kultur og Fritid", "Vejle Bibliotekerne",
)  # fmt: skip
# Customers abroad pay in EUR: (country, zip, town, street, first names, last names).
ABROAD = (
    ("DE", "10115", "Berlin", "Invalidenstraße", ("Lena", "Jonas", "Paul"), ("Müller", "Becker")),
    ("DE", "20095", "Hamburg", "Mönckebergstraße", ("Anna", "Felix"), ("Wagner", "Hoffmann")),
    ("NL", "1012", "Amsterdam", "Kerkstraat", ("Sanne", "Daan"), ("de Vries", "Jansen")),
    ("FI", "00100", "Helsinki", "Mannerheimintie", ("Aino", "Eero"), ("Virtanen", "Korhonen")),
)
COUNTRY_IDS = {"DK": 1, "SE": 2, "DE": 3, "NL": 4, "FI": 5}  # invented: Shoporama's are unknown
RETURN_REASONS = ("For lille", "For stor", "Fortrudt køb", "Forkert farve", "Defekt vare", "")


def in_shop_currency(dkk: Decimal, currency: str) -> Decimal:
    """A catalogue price (in DKK) in the shop's own currency, to the cent."""
    if currency.upper() == "EUR":
        return (dkk / EUR_RATE).quantize(Decimal("0.01"))
    return dkk


def ascii_slug(text: str) -> str:
    """For e-mail addresses: 'Søren Ørsted' → 'soeren.oersted'."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ü": "ue", "ö": "oe", "ä": "ae"})
    return ".".join(text.lower().translate(table).replace("&", "").split())


def cvr_number(rng: random.Random) -> str:
    """An 8-digit CVR number that passes the modulus-11 check (weights 2,7,6,5,4,3,2,1)."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        check = (11 - rest) % 11
        if check < 10:
            return "".join(map(str, [*digits, check]))


def ean_number(rng: random.Random) -> str:
    """A 13-digit EAN location number of the Danish public sector (5798…), GS1 check digit."""
    body = "5798" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def phone_number(rng: random.Random) -> str:
    return str(rng.choice((2, 3, 4, 5, 6, 7, 8, 9))) + "".join(
        str(rng.randint(0, 9)) for _ in range(7)
    )
