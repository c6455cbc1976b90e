"""Conflict records: a field changed on both sides keeps both versions in the file.

The record sits in the field itself, in the markers every merge tool knows, so the
user resolves it by deleting one side and the marker lines. While a field holds a
record, the sync leaves that note alone on both sides.
"""

from __future__ import annotations

import re

OPEN = "<<<<<<< "
MIDDLE = "======="
CLOSE = ">>>>>>> "
RECORD = re.compile(r"^<<<<<<< .*?^=======$.*?^>>>>>>> ", re.MULTILINE | re.DOTALL)


def record(applied: str, applied_side: str, kept: str, kept_side: str) -> str:
    """Both versions of a field; the first is the one the sync applied."""
    return (
        f"{OPEN}{applied_side} (applied)\n{applied}\n{MIDDLE}\n{kept}\n"
        f"{CLOSE}{kept_side} (not applied): keep one side, delete the other and these lines"
    )


def has_record(value: str) -> bool:
    return OPEN in value and RECORD.search(value) is not None
