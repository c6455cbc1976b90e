"""Every parser that reads request or file input takes time linear in it: each is
timed on adversarial input against the same function on ordinary input of the same
size, and the ratio must stay small (a quadratic one was 100 to 10,000 times slower
at these sizes, and a pure-Python regex holds Anki's window meanwhile)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addon.core.ankiops_render import render_ankiops
from addon.core.cloze import cloze_numbers
from addon.core.conflicts import has_record
from addon.core.deck_text import parse_deck_text
from addon.core.field_media import replace_sources
from addon.core.highlight import highlight
from addon.core.html_markdown import to_markdown
from addon.core.markdown import render
from addon.core.media import extract_inline_images
from addon.core.templates import marker_fields
from addon.sync.folder import load_note_types, write_starter_note_types

MAX_RATIO = 5


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _seconds(parse: Callable[[str], Any], text: str) -> float:
    start = time.perf_counter()
    parse(text)
    return time.perf_counter() - start


def ratio(parse: Callable[[str], Any], adversarial: str, ordinary: str) -> float:
    """Best of three each, interleaved, so a busy machine slows both alike."""
    assert len(adversarial) == len(ordinary)
    bad, good = [], []
    for _ in range(3):
        bad.append(_seconds(parse, adversarial))
        good.append(_seconds(parse, ordinary))
    return min(bad) / max(min(good), 1e-4)


def _deck_parser(tmp: Path) -> Callable[[str], Any]:
    write_starter_note_types(tmp)
    types = load_note_types(tmp)
    return lambda text: parse_deck_text(text, types, ())


CASES: dict[str, tuple[Callable[[str], Any], str, str, str, int]] = {
    # name: (parser, adversarial unit, ordinary unit, prefix, size)
    "img src in fields": (
        lambda t: replace_sources(t, str.upper),
        "<img src=",
        '<img src="a.png"> text ',
        "",
        72_000,
    ),
    "inline images in requests": (
        extract_inline_images,
        "<img src=",
        '<img src="a.png"> text ',
        "",
        72_000,
    ),
    "cloze numbers": (cloze_numbers, "{{c1::", "{{c1::a}} b ", "", 96_000),
    "conflict records": (has_record, "<<<<<<< a\n=======\n", "some line\n", "<<<<<<< a\n", 36_000),
    "Markdown: unclosed formulas": (render, "\\(a", "\\*a", "", 40_000),
    "Markdown: image sizes": (render, "![", "![a](b){width=3} ", "{width=3}", 40_000),
    "AnkiOps Markdown: unclosed formulas": (render_ankiops, "\\(a", "\\*a", "", 20_000),
    "AnkiOps Markdown: escaped formulas": (render_ankiops, "\\\\[a", "\\*a", "", 20_000),
    "AnkiOps Markdown: links": (render_ankiops, "[a](b(", "[a](b) ", "", 20_000),
    "HTML: unclosed formulas": (to_markdown, "\\(a", "a \\(x\\) b ", "", 40_000),
    "HTML: unclosed tags": (to_markdown, "<a\n", "some <b>bold</b> text\n", "", 40_000),
    "HTML: unclosed comments": (to_markdown, "<!--", "some <b>bold</b> text\n", "", 40_000),
    "HTML: emphasis runs": (to_markdown, "<b>a</b> ", "<u>a</u> ", "", 200_000),
    "template markers": (lambda t: list(marker_fields(t)), "{{", "{{Front}} x ", "", 40_000),
    "code: unclosed strings": (lambda t: highlight(t, "js"), "`\\", "x = `a`;\n", "", 40_000),
    "code: unclosed comments": (lambda t: highlight(t, "c"), "/*a", "x; /* c */\n", "", 40_000),
}


@pytest.mark.parametrize("name", list(CASES))
def test_parsers_are_linear(name: str) -> None:
    parse, bad_unit, good_unit, prefix, size = CASES[name]
    adversarial = prefix + _fill(bad_unit, size - len(prefix))
    ordinary = prefix + _fill(good_unit, size - len(prefix))
    assert ratio(parse, adversarial, ordinary) < MAX_RATIO


@pytest.mark.parametrize(
    ("bad_unit", "prefix"),
    [("-->-->x", "<!-- tags:"), ("a\n", "---\n"), ("{{c1::", "T: "), ("Q: a\n```\n", "")],
)
def test_deck_files_parse_in_linear_time(tmp_path: Path, bad_unit: str, prefix: str) -> None:
    parse = _deck_parser(tmp_path)
    size = 60_000
    adversarial = prefix + _fill(bad_unit, size - len(prefix))
    ordinary = _fill("Q: a question\nA: an answer\n\n---\n\n", size)
    assert ratio(parse, adversarial, ordinary) < MAX_RATIO
