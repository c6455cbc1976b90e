"""Anki's stock note types under their English names.

Clients written for English Anki send "Basic" and "Front"; in a German collection
those are "Einfach" and "Vorderseite". Stock note types remember their kind
(`originalStockKind`), and their fields keep their positions, so both can be found
in any language.
"""

from __future__ import annotations

# originalStockKind values, as Anki stores them.
STOCK_KINDS = {
    "Basic": 1,
    "Basic (and reversed card)": 2,
    "Basic (optional reversed card)": 3,
    "Basic (type in the answer)": 4,
    "Cloze": 5,
    "Image Occlusion": 6,
}

_BASIC_FIELDS = ("Front", "Back")
STOCK_FIELDS: dict[int, tuple[str, ...]] = {
    1: _BASIC_FIELDS,
    2: _BASIC_FIELDS,
    3: (*_BASIC_FIELDS, "Add Reverse"),
    4: _BASIC_FIELDS,
    5: ("Text", "Back Extra"),
    6: ("Occlusion", "Image", "Header", "Back Extra", "Comments"),
}


def stock_kind(english_name: str) -> int | None:
    return STOCK_KINDS.get(english_name)


def stock_field_position(kind: int, english_field: str) -> int | None:
    fields = STOCK_FIELDS.get(kind, ())
    return fields.index(english_field) if english_field in fields else None
