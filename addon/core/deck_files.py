"""Deck file names: one Markdown file per deck, `__` between subdecks.

`Anatomy__Heart.md` is `Anatomy::Heart`. Characters a file name cannot hold on any
of Windows, macOS or Linux, and underscores that would read as a separator, are
written as `%XX`, so every deck name maps to exactly one file name and back.
"""

from __future__ import annotations

import re

SUFFIX = ".md"
FILE_SEPARATOR = "__"
DECK_SEPARATOR = "::"
_UNSAFE = set('<>:"/\\|?*%') | {chr(c) for c in range(32)}
_ESCAPE = re.compile(r"%([0-9A-F]{2})")


def _escape_part(part: str) -> str:
    out: list[str] = []
    for index, char in enumerate(part):
        # An underscore next to another, or at either end, could merge with a separator.
        loose_underscore = char == "_" and (
            index == 0 or index == len(part) - 1 or part[index - 1] == "_" or part[index + 1] == "_"
        )
        if char in _UNSAFE or loose_underscore:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    escaped = "".join(out)
    # Windows drops trailing dots and spaces from file names.
    if escaped.endswith((".", " ")):
        escaped = escaped[:-1] + f"%{ord(escaped[-1]):02X}"
    return escaped


def _unescape_part(part: str) -> str:
    raw = _ESCAPE.sub(lambda m: "\0" + m.group(1), part)
    if "\0" not in raw:
        return part
    data = bytearray()
    pieces = raw.split("\0")
    data += pieces[0].encode("utf-8")
    for piece in pieces[1:]:
        data.append(int(piece[:2], 16))
        data += piece[2:].encode("utf-8")
    return data.decode("utf-8", errors="replace")


def file_name_for_deck(deck: str) -> str:
    return FILE_SEPARATOR.join(_escape_part(p) for p in deck.split(DECK_SEPARATOR)) + SUFFIX


def deck_for_file_name(name: str) -> str:
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    return DECK_SEPARATOR.join(_unescape_part(p) for p in stem.split(FILE_SEPARATOR))
