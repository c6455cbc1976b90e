"""Conflict records: a field changed on both sides keeps both versions in the file.

The record sits in the field itself, in the markers every merge tool knows, so the
user resolves it by deleting one side and the marker lines. While a field holds a
record, the sync leaves that note alone on both sides.
"""

from __future__ import annotations

OPEN = "<<<<<<< "
MIDDLE = "======="
CLOSE = ">>>>>>> "


def record(applied: str, applied_side: str, kept: str, kept_side: str) -> str:
    """Both versions of a field; the first is the one the sync applied."""
    return (
        f"{OPEN}{applied_side} (applied)\n{applied}\n{MIDDLE}\n{kept}\n"
        f"{CLOSE}{kept_side} (not applied): keep one side, delete the other and these lines"
    )


def has_record(value: str) -> bool:
    """An opening marker line, then a middle line, then a closing one: one pass over
    the lines (a pattern searching for them is quadratic in unclosed records)."""
    if OPEN not in value:
        return False
    wanted = 0
    for line in value.split("\n"):
        if wanted == 0 and line.startswith(OPEN):
            wanted = 1
        elif wanted == 1 and line == MIDDLE:
            wanted = 2
        elif wanted == 2 and line.startswith(CLOSE):
            return True
    return False
