"""MathJax formulas in text: `\\(...\\)` inline and `\\[...\\]` display, found in one
pass. (A pattern like `\\\\\\(.+?\\\\\\)` rescans to the end of the text from every
unclosed opener: quadratic in a field of repeated `\\(`.)"""

from __future__ import annotations

from collections.abc import Iterator

CLOSERS = {"(": "\\)", "[": "\\]"}


def formula_spans(text: str, escapable: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each formula, left to right, not overlapping; the first closer
    after an opener ends it, and a formula holds at least one character. With
    `escapable`, an opener right after a backslash (`\\\\(`) is text."""
    unclosed: set[str] = set()  # openers with no closer after them: none later has one
    position = 0
    while (start := text.find("\\", position)) != -1:
        kind = text[start + 1 : start + 2]
        position = start + 1
        if kind not in CLOSERS or kind in unclosed:
            continue
        if escapable and start > 0 and text[start - 1] == "\\":
            continue
        end = text.find(CLOSERS[kind], start + 3)
        if end == -1:
            unclosed.add(kind)
            continue
        yield start, end + 2
        position = end + 2
