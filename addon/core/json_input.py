"""JSON request bodies, decoded with bounds: a body any client can send must never
crash the server, echo back as text that cannot be encoded, or nest deeper than
the code that walks it can follow."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Real requests nest a handful of levels (a multi of notes with fields); far deeper
# nesting only exhausts the stack of whatever walks the value.
MAX_DEPTH = 64

# json.loads joins an escaped pair (\ud83d\ude00) into one character, so a surrogate
# left in a string is a lone one: no UTF-8 encoding exists for it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# orjson reads an integer past 64 bits as a float, so a float this large may have been
# an integer in the body.
_LONG_FLOAT = 2.0**63
_SCANNED = {dict, list, float}


class JsonInputError(ValueError):
    """A body that is not acceptable JSON; the message says where and why. `decoder`
    is the decoder's own message, which AnkiConnect answers for a body it cannot parse."""

    def __init__(self, message: str, decoder: str | None = None) -> None:
        super().__init__(message)
        self.decoder = decoder or message


def decode_json(body: bytes) -> Any:
    """The decoded body, or JsonInputError."""
    # orjson, which Anki depends on, reads a body three times faster than json. Where
    # it refuses a body, json decides: it reads some of those (NaN, 1e400, a lone
    # surrogate, refused below) and its messages are the ones AnkiConnect answers.
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    else:
        if not _json_must_decide(value):
            return value
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonInputError(f"request body is not UTF-8 (byte {exc.start})", str(exc)) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", str(exc)
        ) from None
    except RecursionError:
        raise JsonInputError(f"JSON is nested deeper than {MAX_DEPTH} levels") from None
    if problem := value_problem(value):
        raise JsonInputError(problem)
    return value


def _json_must_decide(value: Any) -> bool:
    """Whether orjson's value is to be read again by json: it nests too deep (json's
    walk names where) or holds a float that may have been a long integer. orjson
    refuses lone surrogates, so its strings need no look. Breadth first, over the
    containers only."""
    level = [value] if type(value) in _SCANNED else []
    depth = 0
    while level:
        below: list[Any] = []
        keep = below.append
        for item in level:
            if type(item) is float:
                if abs(item) >= _LONG_FLOAT:
                    return True
            elif depth >= MAX_DEPTH:
                return True
            else:
                for child in item.values() if type(item) is dict else item:
                    if type(child) in _SCANNED:
                        keep(child)
        level = below
        depth += 1
    return False


def value_problem(value: Any) -> str | None:
    """Why a decoded JSON value is refused (too deep, a lone surrogate), naming the
    JSON path, or None. Iterative, so no depth can exhaust the stack here."""
    # Each entry: the value, its depth and a link to its parent's entry with its key,
    # so the path is built only for the value that is refused.
    stack: list[tuple[Any, int, Any]] = [(value, 0, None)]
    while stack:
        item, depth, link = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                return f"{_path(link)}: a string holds a lone surrogate (not valid Unicode)"
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                return f"{_path(link)}: JSON is nested deeper than {MAX_DEPTH} levels"
            entry = (item, depth, link)
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and not key.isascii() and _SURROGATE.search(key):
                    return f"{_path(link)}: a key holds a lone surrogate (not valid Unicode)"
                stack.append((child, depth + 1, (entry, key)))
    return None


def _path(link: Any) -> str:
    keys: list[Any] = []
    while link is not None:
        (_, _, parent), key = link
        keys.append(key)
        link = parent
    shown = "$"
    for key in reversed(keys):
        shown += (
            f"[{key}]"
            if isinstance(key, int)
            else f".{key.encode('utf-8', 'backslashreplace').decode('utf-8')}"
        )
    return shown
