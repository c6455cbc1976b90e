"""What card templates refer to, read from their `{{...}}` markers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_MARKER = re.compile(r"{{([^}]+)}}")
# Names Anki fills in itself; a template may use them without a field of that name.
SPECIAL_FIELDS = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"}


def marker_fields(template: str, sections: bool = True) -> Iterator[str]:
    """The field each `{{...}}` marker names, filters (`cloze:`, `type:`, `hint:`)
    peeled off; with `sections`, also the fields section markers (`#`, `^`, `/`) test.
    Comments (`{{!...}}`) name none."""
    for match in _MARKER.finditer(template):
        inner = match.group(1).strip()
        if inner.startswith("!") or (not sections and inner[:1] in "#^/"):
            continue
        name = inner.lstrip("#^/").split(":")[-1].strip()
        if name:
            yield name


def referenced_fields(template: str, field_names: Sequence[str]) -> list[str]:
    """Fields a template shows, in order of first use (a section only tests a field)."""
    known = set(field_names)
    found: list[str] = []
    for name in marker_fields(template, sections=False):
        if name in known and name not in found:
            found.append(name)
    return found


def fields_on_sides(qfmt: str, afmt: str, field_names: Sequence[str]) -> list[list[str]]:
    """[question fields, answer fields]; the answer side leaves out what the question
    side already shows (it is usually included there through {{FrontSide}})."""
    question = referenced_fields(qfmt, field_names)
    answer = [name for name in referenced_fields(afmt, field_names) if name not in question]
    return [question, answer]
