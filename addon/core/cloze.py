"""Cloze deletions: `{{c1::answer}}` and `{{c2::answer::hint}}`."""

from __future__ import annotations

import re

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)


def cloze_numbers(text: str) -> list[int]:
    return sorted({int(match.group(1)) for match in CLOZE.finditer(text)})


def has_cloze(text: str) -> bool:
    return any(number > 0 for number in cloze_numbers(text))
