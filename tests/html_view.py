"""What a field's HTML shows: its text, each piece with its formatting, and its block
structure. Two fields that look the same to a reader have the same view, whatever
spelling of the same formatting they use (`<b>`/`<strong>`, `<br>`/`<br />`, a lone
`<p>` or none, collapsed whitespace)."""

from __future__ import annotations

import re
from collections.abc import Callable

from addon.core.html_markdown import Node, parse_html

SAME = {"b": "strong", "i": "em", "s": "del", "strike": "del"}
BOUNDARY = {"p", "div", "br"}
TRANSPARENT = {"thead", "tbody", "tfoot"}
STRUCTURE = {"li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
             "td", "th", "table", "hr", "tr"}  # fmt: skip
IGNORED_ATTRS = {"class", "data-lang"}
BREAK = ("¶",)

Run = tuple[str, tuple[str, ...]]


def _describe(node: Node) -> str:
    tag = SAME.get(node.tag, node.tag)
    attrs = sorted(
        (k, v or "") for k, v in node.attrs if k not in IGNORED_ATTRS and not (k == "alt" and not v)
    )
    return tag + "".join(f" {k}={v}" for k, v in attrs)


def _with(formats: tuple[str, ...], more: str) -> tuple[str, ...]:
    """Nesting order does not show: <b><i>x</i></b> looks like <i><b>x</b></i>."""
    return tuple(sorted({*formats, more}))


def view(field_html: str) -> list[Run]:
    runs: list[Run] = []

    def emit(text: str, formats: tuple[str, ...], pre: bool = False) -> None:
        if runs and runs[-1][1] == formats and text != "¶" and runs[-1][0] != "¶":
            joined = runs[-1][0] + text
            # Spaces collapse across elements too: "<b> </b><b> 1</b>" shows " 1".
            runs[-1] = (joined if pre else re.sub(" {2,}", " ", joined), formats)
        else:
            runs.append((text, formats))

    def walk(node: Node, formats: tuple[str, ...], pre: bool) -> None:
        for child in node.children:
            if child.tag == "":
                text = child.text if pre else re.sub(r"[ \t\r\n]+", " ", child.text)
                if text:
                    emit(text, formats, pre)
            elif child.tag == "#comment":
                continue
            elif child.tag in TRANSPARENT:
                walk(child, formats, pre)
            elif child.tag in BOUNDARY:
                emit("¶", BREAK)
                walk(child, formats, pre)
                emit("¶", BREAK)
            elif child.tag in STRUCTURE:
                emit("¶", (f"<{_describe(child)}>",))
                walk(child, _with(formats, _describe(child)), pre or child.tag == "pre")
                emit("¶", (f"</{child.tag}>",))
            elif child.tag in ("img", "input"):
                emit("□", _with(formats, _describe(child)))
            else:
                walk(child, _with(formats, _describe(child)), pre)

    walk(parse_html(field_html), (), False)
    return _tidy(runs)


def _tidy(runs: list[Run]) -> list[Run]:
    """Spaces next to block boundaries and repeated boundaries are not visible."""
    cleaned = _strip_edges(list(reversed(_strip_edges(runs, str.lstrip))), str.rstrip)
    cleaned.reverse()
    cleaned = [
        run
        for index, run in enumerate(cleaned)
        if not (index and run == cleaned[index - 1] == ("¶", BREAK))
    ]
    # A plain break next to a block's own start or end adds nothing visible.
    cleaned = [
        run
        for index, run in enumerate(cleaned)
        if run != ("¶", BREAK)
        or not any(
            0 <= j < len(cleaned) and cleaned[j][0] == "¶" and cleaned[j][1] != BREAK
            for j in (index - 1, index + 1)
        )
    ]
    merged: list[Run] = []
    for text, formats in cleaned:
        if merged and merged[-1][1] == formats and (text != "¶" or formats == BREAK):
            if text != "¶":
                merged[-1] = (merged[-1][0] + text, formats)
            continue
        merged.append((text, formats))
    while merged and merged[0] == ("¶", BREAK):
        merged.pop(0)
    while merged and merged[-1] == ("¶", BREAK):
        merged.pop()
    return merged


def _strip_edges(runs: list[Run], strip: Callable[[str, str], str]) -> list[Run]:
    """Whitespace right after a block boundary (or before one: run on the reversed
    list with rstrip) is not shown."""
    out: list[Run] = []
    at_edge = True
    for text, formats in runs:
        if text == "¶":
            at_edge = True
        elif at_edge:
            text = strip(text, " \n")
            if not text:
                continue
            at_edge = False
        out.append((text, formats))
    return out
