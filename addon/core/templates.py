"""What card templates refer to, read from their `{{...}}` markers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_MARKER = re.compile(r"{{([^{}]+)}}")  # stops at the next brace: linear
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


def front_problem(front: str, field_names: Sequence[str], is_cloze: bool) -> str | None:
    """Why Anki would refuse this front side, as far as its markers tell: it must show
    a field (a cloze note type's, through `{{cloze:...}}`)."""
    example = "{{" + ("cloze:" if is_cloze else "") + field_names[0] + "}}"
    if not any(name in field_names for name in marker_fields(front)):
        return f"the front shows no field: Anki needs at least one, like {example}"
    markers = [m.group(1).replace(" ", "") for m in _MARKER.finditer(front)]
    if is_cloze and not any("cloze:" in marker for marker in markers):
        return f"the front of a cloze note type needs {example}"
    return None
