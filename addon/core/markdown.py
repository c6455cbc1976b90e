"""Markdown → HTML for fields, with mistune 3.

Cloze markup and MathJax delimiters pass through as text; a one-paragraph field is
not wrapped in `<p>`, matching what Anki's editor produces.
"""

from __future__ import annotations

import re
from functools import lru_cache

import mistune

PLUGINS = ["strikethrough", "table", "url", "task_lists", "superscript", "subscript", "mark"]
SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p>).)*)</p>\n?$", re.DOTALL)
# Text with none of these characters renders to itself (after HTML escaping).
MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]!|~^=<&\\\n]|^\s*(?:[-+]|\d+[.)])\s", re.MULTILINE)


@lru_cache(maxsize=1)
def _renderer() -> mistune.Markdown:
    return mistune.create_markdown(escape=False, hard_wrap=False, plugins=PLUGINS)


def render(text: str) -> str:
    if not MARKDOWN_SYNTAX.search(text):
        return text  # nothing to do: skip the parser
    html = str(_renderer()(text)).rstrip("\n")
    single = SINGLE_PARAGRAPH.match(html)
    return single.group(1) if single else html
