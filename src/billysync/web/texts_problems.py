"""What is wrong with an order the shop sent, in Danish: the problems of shop/problems.py.

Keys: `problem.<code>`, English from `PROBLEM_TEXTS`, Danish here. A code without its Danish
fails at import, so the two stay in step. A reason that lists an order's problems
(`shop.invalid`) is rendered through these (web/texts_reasons.py).
"""

from __future__ import annotations

from billysync.shop.problems import PROBLEM_TEXTS

_DATE_TIME = "send en dato og et klokkeslæt, fx 2025-03-04T14:05:49+01:00"
_DATE = "send en dato, fx 2025-03-04"
_OBJECT = "send et JSON-objekt {…}"
_LIST = "send en JSON-liste […]"

_DANISH: dict[str, str] = {
    "missing": "tilføj det: feltet skal udfyldes",
    "extra_forbidden": "fjern det: feltet findes ikke",
    "string_too_short": "angiv en værdi: feltet må ikke være tomt",
    "string_too_long": "forkort det til højst {max_length} tegn",
    "too_short": "angiv mindst {min_length}",
    "too_long": "send højst {max_length}",
    "string_type": "send tekst i anførselstegn",
    "int_type": "send et helt tal",
    "int_parsing": "send et helt tal",
    "string_unicode": "send gyldig tekst: den indeholder en ødelagt \\ud800-\\udfff-escape",
    "bool_type": "send true eller false",
    "bool_parsing": "send true eller false",
    "datetime_type": _DATE_TIME,
    "datetime_parsing": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "datetime_object_invalid": _DATE_TIME,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE + " (uden klokkeslæt)",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "tuple_type": _LIST,
    "list_type": _LIST,
    "iterable_type": _LIST,
    "literal_error": "send en af {expected}",
    "enum": "send en af {expected}",
    "unknown": "er ikke en værdi, billysync kan bruge her; se eksemplerne i API-dokumentationen",
    "control_character": "indeholder kontroltegnet U+{char}; fjern det",
    "control_nul": "indeholder kontroltegnet U+0000; fjern det (PostgreSQL kan ikke gemme NUL)",
    "country": "{value} er ikke en ISO 3166-landekode; send to bogstaver som DK, SE eller DE",
    "currency": "{value} er ikke en ISO 4217-valutakode; send tre bogstaver som DKK eller EUR",
    "amount_negative": (
        "skal være 0 eller mere (fik {value}); et fradrag sendes som en positiv rabat eller et "
        "gavekort, og penge tilbage er en returnering"
    ),
    "amount_too_large": "er større end {limit}; tjek beløbet (fik {value})",
    "quantity_not_positive": "skal være over 0 (fik {value})",
    "quantity_too_large": "er større end {limit}; tjek antallet (fik {value})",
    "line_too_large": "antal × stykpris giver {value}, mere end {limit}; tjek beløbene",
    "order_too_large": "linjerne og fragten giver {value}, mere end {limit}; tjek beløbene",
    "date_out_of_range": "{day} ligger uden for årene {first}–{last}; tjek datoen",
    "no_lines": "angiv mindst én linje",
    "too_many_lines": (
        "har {count} linjer; billysync bogfører højst {limit} på ét dokument i Billy: tjek, "
        "hvad butikken sendte"
    ),
    "fee_too_large": "gebyret skal være mindre end det betalte beløb",
    "return_empty": "en returnering skal have mindst én linje eller tilbagebetalt fragt",
}

# key: (English, Danish)
PROBLEM_CATALOGUE: dict[str, tuple[str, str]] = {
    f"problem.{code}": (text, _DANISH[code]) for code, text in PROBLEM_TEXTS.items()
}
