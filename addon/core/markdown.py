"""Markdown → HTML for fields, with mistune 3.

MathJax (`\\(...\\)`, `\\[...\\]`) is set aside before parsing and put back as written,
so Markdown never touches a formula; `$...$` and `$$...$$` (Obsidian and GitHub style)
become MathJax inside `<span class="cc-tex">`, which tells the way back to write the
dollars again; cloze markup (`{{c1::answer::hint}}`) is plain
text to Markdown and passes through everywhere. Fenced code is highlighted into
static HTML. A one-paragraph field is not wrapped in `<p>`, as Anki's editor writes it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import mistune

from .formulas import DOLLARS, code_spans, formula_spans
from .highlight import highlight

# No bare-URL autolinks: text that merely mentions a URL must stay text both ways.
PLUGINS = ["strikethrough", "table", "task_lists", "superscript", "subscript", "mark"]
SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p>).)*)</p>\n?$", re.DOTALL)
# Text with none of these characters is kept as written, never parsed (mistune would
# trim its ends and escape its quotes).
MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]!|~^=<&$\\\n]|^\s*(?:[-+]|\d+[.)])\s|^\s*$", re.MULTILINE)
TEX_CLASS = "cc-tex"
# Bracketed by punctuation, as the formula it stands for is, so emphasis next to it
# opens and closes exactly as it would next to the formula.
PLACEHOLDER = re.compile(r"\u3014CCMATH(\d+)\u3015")
# `![alt](src){width=700}`, the image size in the syntax AnkiOps folders use: marked in
# the source (where an escaped "&#123;width=" cannot match), applied to the <img>.
# (Neither part can run past the next bracket, so unclosed ones cost linear time.)
IMAGE_WIDTH_SOURCE = re.compile(r"(!\[[^\[\]\n]*\]\([^()\s]*\))\{width=(\d+)\}")
IMAGE_WIDTH = re.compile(r"(<img [^<>]*?) ?/?>\u3014W(\d+)\u3015")


class _CardRenderer(mistune.HTMLRenderer):
    def block_code(self, code: str, info: Any = None) -> str:
        return highlight(code, info) + "\n"


@lru_cache(maxsize=1)
def _renderer() -> mistune.Markdown:
    return mistune.create_markdown(
        renderer=_CardRenderer(escape=False), hard_wrap=False, plugins=PLUGINS
    )


# One line of words, `**strong**`, `*emphasis*` and `code` spaced as in prose, which
# mistune's inline parser (emphasis rules and all) takes fifty times as long to read.
# Emphasis holds words, starts and ends with a letter or digit, opens after a space
# and closes before one or before plain punctuation, so no rule can read it otherwise.
# (Neither can run past the next `*` or backtick: linear time.)
_TEXT = r'[^\s*_`#>\[\]!|~^=<&$\\"]'  # no meaning to Markdown, nothing to escape
_EMPHASIS = rf"(?<![^ ])(\*\*?)([A-Za-z0-9](?:(?:{_TEXT}| )*[A-Za-z0-9])?)\1(?=[ .,;:?)]|$)"
_CODE = r'(?<!`)`([^\s`&<>"\\](?:[^`\n\r&<>"\\]*[^\s`&<>"\\])?)`(?!`)'
SIMPLE_LINE = re.compile(rf'(?:{_TEXT}|[ "]|{_EMPHASIS}|{_CODE})*')
SIMPLE_MARKUP = re.compile(rf"{_EMPHASIS}|{_CODE}")
TAGS = {"*": "em", "**": "strong"}


def _simple_markup(match: re.Match[str]) -> str:
    delimiter, inner, code = match.groups()
    if code is not None:
        return f"<code>{code}</code>"
    tag = TAGS[delimiter]
    return f"<{tag}>{inner}</{tag}>"


def _simple_inline(line: str) -> str | None:
    """The HTML of a line of plain prose (see SIMPLE_LINE), or None for anything else."""
    if not SIMPLE_LINE.fullmatch(line):
        return None
    return SIMPLE_MARKUP.sub(_simple_markup, line).replace('"', "&quot;")


def _simple_list(source: str) -> str | None:
    """A tight bullet list of one-line prose items, `- one` under `- two *three*` (the
    usual list in a field), as mistune writes it; None for any other text. Every line is
    an item: no line can continue, nest or end the list, or be a heading's underline."""
    lines = source.split("\n")
    if lines[-1] == "":
        lines.pop()
    items = []
    for line in lines:
        # Only a letter can start the item's text: no marker, number, quote or heading.
        if not line.startswith("- ") or not line[2:3].isalpha():
            return None
        inline = _simple_inline(line[2:].rstrip(" "))
        if inline is None:
            return None
        items.append(f"<li>{inline}</li>\n")
    return "<ul>\n" + "".join(items) + "</ul>"


def _html(source: str) -> str:
    """mistune's HTML for `source`, without the line break at its end."""
    if "\r" in source:
        return _parsed(source)
    if "\n" not in source and source[:1].isalpha():
        # One line that starts with a letter can only be a paragraph: its inline
        # Markdown is all there is to parse.
        line = source.strip(" \r\n\t\f")
        inline = _simple_inline(line)
        if inline is not None:
            return "<p>" + inline + "</p>"
        markdown = _renderer()
        state = markdown.block.state_cls()
        tokens = markdown.inline(line, state.env)
        assert markdown.renderer is not None  # _renderer gives it one
        return "<p>" + markdown.renderer(tokens, state) + "</p>"
    if source.startswith("- "):
        listed = _simple_list(source)
        if listed is not None:
            return listed
    return _parsed(source)


def _parsed(source: str) -> str:
    """`_html` the long way: the whole parser, no shortcut."""
    return str(_renderer()(source)).rstrip("\n")


def _set_aside_formulas(text: str, formulas: list[str]) -> str:
    """Each formula replaced by a placeholder; `formulas` gets its HTML."""
    pieces: list[str] = []
    position = 0
    for start, end in formula_spans(text, escapable=True):
        formulas.append(html.escape(text[start:end], quote=False))
        pieces += [text[position:start], f"\u3014CCMATH{len(formulas) - 1}\u3015"]
        position = end
    return "".join(pieces) + text[position:]


def _set_aside_dollars(text: str, formulas: list[str]) -> str:
    """Dollar formulas outside code, as MathJax in a span that remembers the dollars."""

    def set_aside(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        tex = f"\\[{display}\\]" if display is not None else f"\\({inline}\\)"
        formulas.append(f'<span class="{TEX_CLASS}">{html.escape(tex, quote=False)}</span>')
        return f"\u3014CCMATH{len(formulas) - 1}\u3015"

    pieces: list[str] = []
    position = 0
    for start, end in code_spans(text):
        pieces += [DOLLARS.sub(set_aside, text[position:start]), text[start:end]]
        position = end
    return "".join(pieces) + DOLLARS.sub(set_aside, text[position:])


def render(text: str) -> str:
    if not text or not MARKDOWN_SYNTAX.search(text):
        return text  # nothing to do (most notes leave some fields empty): skip the parser
    return _rendered(text, _html)


def _rendered(text: str, html_of: Callable[[str], str]) -> str:
    """`text` as HTML, its Markdown made HTML by `html_of` (`_parsed`, the long way, is
    what the shortcuts must agree with)."""
    formulas: list[str] = []
    source = _set_aside_formulas(text, formulas) if "\\" in text else text
    if "$" in source:
        source = _set_aside_dollars(source, formulas)
    sized = "{width=" in source
    if sized:
        source = IMAGE_WIDTH_SOURCE.sub("\\1\u3014W\\2\u3015", source)
    rendered = html_of(source)
    if formulas:
        rendered = PLACEHOLDER.sub(lambda m: formulas[int(m.group(1))], rendered)
    if sized:
        rendered = IMAGE_WIDTH.sub(r'\1 width="\2" />', rendered)
    single = SINGLE_PARAGRAPH.match(rendered)
    return single.group(1) if single else rendered
