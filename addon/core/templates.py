"""What card templates refer to, read from their `{{...}}` markers."""

from __future__ import annotations

import re
from collections.abc import Sequence

_MARKER = re.compile(r"{{([^}]+)}}")
SPECIAL_FIELDS = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"}


def referenced_fields(template: str, field_names: Sequence[str]) -> list[str]:
    """Fields a template shows, in order of first use. Filters (`cloze:`, `type:`,
    `hint:`) are peeled off; section markers (`#`, `^`, `/`) only test a field."""
    known = set(field_names)
    found: list[str] = []
    for match in _MARKER.finditer(template):
        inner = match.group(1).strip()
        if inner[:1] in "#^/!":
            continue
        name = inner.split(":")[-1].strip()
        if name in known and name not in found:
            found.append(name)
    return found


def fields_on_sides(qfmt: str, afmt: str, field_names: Sequence[str]) -> list[list[str]]:
    """[question fields, answer fields]; the answer side leaves out what the question
    side already shows (it is usually included there through {{FrontSide}})."""
    question = referenced_fields(qfmt, field_names)
    answer = [name for name in referenced_fields(afmt, field_names) if name not in question]
    return [question, answer]
