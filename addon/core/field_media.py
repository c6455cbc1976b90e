"""Images in fields: Anki's media is one flat folder, the Markdown folder keeps its
images in `media/`. These map one `<img src>` spelling to the other."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from .paths import file_name_problem

FOLDER = "media/"
# Nothing in it can run past the next `<` or `>`: each `<img` is looked at within its
# own tag, so the search is linear however many unclosed tags a field holds.
IMG_SRC = re.compile(r"""(<img\b[^<>]*?\bsrc\s*=\s*)(["'])([^"'<>]*)\2""", re.IGNORECASE)
NOT_LOCAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|\\|#)", re.IGNORECASE)


def replace_sources(html: str, replace: Callable[[str], str]) -> str:
    if "<img" not in html and "<IMG" not in html:
        return html
    return IMG_SRC.sub(lambda m: f"{m.group(1)}{m.group(2)}{replace(m.group(3))}{m.group(2)}", html)


def folder_name(src: str) -> str | None:
    """The file in `media/` an image in Markdown refers to, or None for anything else."""
    return unquote(src[len(FOLDER) :]) or None if src.startswith(FOLDER) else None


def anki_name(src: str) -> str | None:
    """The file in Anki's media folder an image in a field refers to (None for URLs
    and for names that, decoded once, would lead out of that folder)."""
    if not src or NOT_LOCAL.match(src) or "/" in src:
        return None
    name = unquote(src)
    return None if file_name_problem(name) else name
