"""Cloze deletions: `{{c1::answer}}` and `{{c2::answer::hint}}`."""

from __future__ import annotations

import re

CLOZE_OPEN = re.compile(r"\{\{c(\d+)::")


def cloze_numbers(text: str) -> list[int]:
    """Numbers of the clozes that are closed somewhere after they open (nested ones
    included). One pass: searching for each cloze's end would be quadratic."""
    last_close = text.rfind("}}")
    return sorted({int(m.group(1)) for m in CLOZE_OPEN.finditer(text) if m.end() <= last_close})


def has_cloze(text: str) -> bool:
    return any(number > 0 for number in cloze_numbers(text))
