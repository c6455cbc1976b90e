"""Markdown → HTML as AnkiOps 0.6 writes fields, for folders in its format: a note
that `ankiops` put into Anki then reads as unchanged, and both tools keep agreeing.

AnkiOps' field HTML differs from ours: no `<p>`; blocks are joined with `<br>` (a blank
line adds one); line breaks are `<br>`; text is not escaped; `-->` `==>` `=/=` become
arrows; `media/` is dropped from image sources and `{width=N}` becomes a style; math
between `\\(`/`\\)` and `\\[`/`\\]` is left alone; fenced code is highlighted with
Pygments when it is installed (without it, such fields differ once and are kept as a
conflict, never lost).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import mistune

ARROWS = (("==>", "\u21d2"), ("-->", "\u2192"), ("=/=", "\u2260"))
# [text](url(with)parens) → [text](<url(with)parens>), so the parser keeps the URL whole.
# (No part can run past the next bracket or parenthesis: linear in unclosed ones.)
PARENTHESISED_URL = re.compile(r"\[([^\[\]]*)\]\(([^()<>]*\([^()]*\)[^()<>]*)\)")
SIZED_IMAGE = re.compile(r'(<img src="[^"]*" alt="[^"]*")>\{width=(\d+)\}')
BREAKS_AFTER_HEADING = re.compile(r"(</h[1-6]>)(?:<br>)+")
MANY_BREAKS = re.compile(r"(?:<br>){3,}")
LIST_THEN_BREAK = re.compile(r"(</(?:ol|ul)>)\n(<br>)")
MATH_HINT = re.compile(r"\\[A-Za-z]+|[_^{}]")
MEDIA_PREFIX = "media/"


def _escaped_math(text: str, opener: str, closer: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, body start, body end) of each `\\+(` ... `\\+)` (or `[` ... `]`): the
    body runs to the backslashes before the first closer and is not empty. One pass:
    a pattern rescans the rest of the text from every unclosed opener (quadratic)."""
    position = search = 0
    while (at := text.find("\\" + opener, search)) != -1:
        start = at
        while start > position and text[start - 1] == "\\":
            start -= 1
        body = at + 2
        close = text.find("\\" + closer, body)
        if close == -1:
            return  # no later opener has a closer either
        body_end = close
        while body_end > body and text[body_end - 1] == "\\":
            body_end -= 1
        if body_end == body:
            search = body
            continue
        yield start, close + 2, body, body_end
        position = search = close + 2


def _single_escaped_math(text: str) -> str:
    """`\\\\(x^2\\\\)` written with doubled (or more) backslashes means `\\(x^2\\)` when its
    body looks like math (a command, _ ^ { or })."""
    for left, right in (("(", ")"), ("[", "]")):
        pieces: list[str] = []
        position = 0
        for start, end, body_start, body_end in _escaped_math(text, left, right):
            body = text[body_start:body_end]
            if MATH_HINT.search(body):
                pieces += [text[position:start], f"\\{left}{body}\\{right}"]
                position = end
        text = "".join(pieces) + text[position:]
    return text


def _math(md: mistune.Markdown) -> None:
    """`\\(...\\)` and `\\[...\\]` pass through untouched, inline or as a block line."""

    # mistune names each rule's whole match after the rule: the bodies need other names.
    def inline(kind: str) -> Any:
        def parse(_inline: Any, match: re.Match[str], state: Any) -> int:
            state.append_token({"type": kind, "raw": match.group(f"{kind}_body")})
            return match.end()

        return parse

    def block(_block: Any, match: re.Match[str], state: Any) -> int:
        state.append_token({"type": "math_block", "raw": match.group("math_block_body")})
        return match.end() + 1

    # A body never holds another opener, so an unclosed one is given up at the next:
    # searching to the end from each would be quadratic.
    md.inline.register("math_paren", r"\\\((?P<math_paren_body>(?:[^\\]|\\(?!\())+?)\\\)",
                       inline("math_paren"), before="escape")  # fmt: skip
    md.inline.register("math_bracket", r"\\\[(?P<math_bracket_body>(?:[^\\]|\\(?!\[))+?)\\\]",
                       inline("math_bracket"), before="escape")  # fmt: skip
    md.block.register("math_block", r"^\\\[(?P<math_block_body>(?:[^\\]|\\(?!\[))+?)\\\][ \t]*$",
                      block, before="list")  # fmt: skip
    renderer = md.renderer
    assert renderer is not None  # create_markdown always gives one
    renderer.register("math_paren", lambda _r, raw: f"\\({raw}\\)")
    renderer.register("math_bracket", lambda _r, raw: f"\\[{raw}\\]")
    renderer.register("math_block", lambda _r, raw: f"\\[{raw}\\]")


def _highlighted(code: str, language: str) -> str | None:
    try:
        # Optional: Anki does not ship it, and the .ankiaddon does not carry it.
        from pygments import highlight  # type: ignore[import-untyped]
        from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]
        from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]
        from pygments.util import ClassNotFound  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True)))


class _FieldRenderer(mistune.HTMLRenderer):
    def __init__(self) -> None:
        super().__init__(escape=False, allow_harmful_protocols=True)

    def __call__(self, tokens: Any, state: Any) -> str:
        out: list[str] = []
        for part in self.iter_tokens(tokens, state):
            if not part:
                out.append("<br>")  # a blank line
            else:
                out += ["<br>", part] if out else [part]
        joined = BREAKS_AFTER_HEADING.sub(r"\1", "".join(out))
        return MANY_BREAKS.sub("<br><br>", joined)

    def text(self, text: str) -> str:
        return text

    def paragraph(self, text: str) -> str:
        return text

    def softbreak(self) -> str:
        return "<br>"

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return f"<h{level}>{text}</h{level}>"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return f'<img src="{url.removeprefix(MEDIA_PREFIX)}" alt="{text}">'

    def block_code(self, code: str, info: str | None = None) -> str:
        code = code.rstrip("\n")
        if not code.strip():
            return ""
        language = info.strip().split(None, 1)[0] if info and info.strip() else ""
        coloured = _highlighted(code, language) if language else None
        if coloured is not None:
            return f'<pre><code class="language-{language}">{coloured}</code></pre>'
        return f"<pre><code>{html.escape(code, quote=True)}</code></pre>"


@lru_cache(maxsize=1)
def _markdown() -> mistune.Markdown:
    plugins: list[Any] = ["mark", "table", "strikethrough", "superscript", "subscript", _math]
    return mistune.create_markdown(renderer=_FieldRenderer(), plugins=plugins)


def render_ankiops(text: str) -> str:
    if not text.strip():
        return ""
    text = _single_escaped_math(text.replace("\u00a0", " "))
    for written, arrow in ARROWS:
        text = text.replace(written, arrow)
    text = PARENTHESISED_URL.sub(r"[\1](<\2>)", text)
    rendered = SIZED_IMAGE.sub(r'\1 style="width: \2px;">', str(_markdown()(text)))
    rendered = LIST_THEN_BREAK.sub("\\1\n<br>\\2", rendered)
    return rendered.replace("\\+", "+").replace("\\#", "#").replace("\\*", "*")
