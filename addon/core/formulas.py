"""MathJax formulas in text: `\\(...\\)` inline and `\\[...\\]` display, found in one
pass. (A pattern like `\\\\\\(.+?\\\\\\)` rescans to the end of the text from every
unclosed opener: quadratic in a field of repeated `\\(`.) Markdown fields also take
`$...$` and `$$...$$`, outside code."""

from __future__ import annotations

import re
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


# `$...$` and `$$...$$` (Obsidian, GitHub), by Pandoc's rule, so prices stay text: no
# space just inside the dollars, no digit right after the closing one. (Linear: an
# inline opener looks no further than the next dollar or line end, and any display
# opener is also a closer for the one before it, so at most one scans to the end.)
DOLLARS = re.compile(
    r"(?<![\\$])\$\$(?!\$)(.+?)(?<![\\$])\$\$"
    r"|(?<![\\$\w])\$(?=[^\s$])([^$\n]*?[^\s$\\])\$(?![\d$])",
    re.DOTALL,
)
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
BACKTICKS = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of fenced code blocks and backtick code spans, in one pass: what
    is code shows as written, dollars and all."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    fence_start = prose_start = offset = 0
    for line in text.splitlines(keepends=True):
        found = FENCE.match(line)
        if fence is None:
            if found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
                spans += _backtick_spans(text, prose_start, offset)
                fence, fence_start = found.group(1), offset
        elif (
            found
            and found.group(1)[0] == fence[0]
            and len(found.group(1)) >= len(fence)
            and not found.group(2).strip()
        ):
            spans.append((fence_start, offset + len(line)))
            fence, prose_start = None, offset + len(line)
        offset += len(line)
    if fence is not None:
        spans.append((fence_start, len(text)))  # an unclosed fence runs to the end
    else:
        spans += _backtick_spans(text, prose_start, len(text))
    return spans


def _backtick_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run of backticks opens a code span closed by the next run of the same length;
    without one it is text. Runs by length, each list walked once."""
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(text, start, end)]
    by_length: dict[int, list[int]] = {}
    for index, (run_start, run_end) in enumerate(runs):
        by_length.setdefault(run_end - run_start, []).append(index)
    next_of = {length: 0 for length in by_length}
    spans: list[tuple[int, int]] = []
    position = start
    for index, (run_start, run_end) in enumerate(runs):
        if run_start < position or (run_start > start and text[run_start - 1] == "\\"):
            continue
        same = by_length[run_end - run_start]
        cursor = next_of[run_end - run_start]
        while cursor < len(same) and same[cursor] <= index:
            cursor += 1
        next_of[run_end - run_start] = cursor
        if cursor < len(same):
            spans.append((run_start, runs[same[cursor]][1]))
            position = runs[same[cursor]][1]
    return spans
