"""Front matter: the mapping at the top of a deck file or a note, between `---` lines.
Front matter as simple as most notes have it is read without a YAML parser.

A vault holds thousands of notes, each opening with a few `key: value` lines; a YAML
parser spends longer on them than on the rest of the note (inside Anki, where only
PyYAML's pure-Python part is shipped, many times longer). Lines of words, and flow
lists of words, are read here; anything else is YAML's to read.

The shortcut answers exactly what YAML's safe loader answers: a word starts with a
letter, so none of YAML's implicit types (numbers, dates, merge keys, `~`) can claim
it but booleans and null, whose words are left to YAML; it holds no character that
YAML gives a meaning to (`:` `#` `,` brackets, quotes at its start) and no space at
either end, which YAML would trim.
"""

from __future__ import annotations

import re

import yaml

_WORD = r"[^\W\d_](?:[\w .'/-]*[\w.'/-])?"
# YAML refuses a key longer than 1024 characters: the shortcut takes short ones only.
_KEY = r"[^\W\d_][\w-]{0,127}"
_LINE = re.compile(rf"({_KEY}):(?: +(?:({_WORD})|\[((?:{_WORD}(?:, *{_WORD})*)?)\]))?")
_ITEM_SEPARATOR = re.compile(r", *")
# libyaml's loader where PyYAML has it (a vault has thousands of front matters); the
# pure-Python one inside Anki, where only that part is shipped. Both load safely.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Words YAML 1.1 reads as booleans or null (PyYAML's resolver takes three spellings of
# each; any spelling is left to YAML, so that no resolver's fine print matters).
_NOT_WORDS = frozenset(["yes", "no", "true", "false", "on", "off", "null", "y", "n"])


def simple_mapping(text: str) -> dict[str, object] | None:
    """What YAML reads from `text` (a front matter without its `---` lines) when every
    line is `key: word words`, `key: [word, word]` or `key:`; None when it is anything
    else."""
    mapping: dict[str, object] = {}  # a word, a list of words, or None
    # Split at "\n" alone: YAML breaks lines at \x85 and \u2028 as well, which a line
    # of words never holds; str.splitlines breaks at control characters YAML refuses.
    for line in text.removesuffix("\n").split("\n") if text else []:
        found = _LINE.fullmatch(line)
        if found is None:
            return None
        key, word, items = found.groups()
        words = [key] if word is None else [key, word]
        listed = _ITEM_SEPARATOR.split(items) if items else []
        if any(w.lower() in _NOT_WORDS for w in words + listed):
            return None
        mapping[key] = word if word is not None else listed if items is not None else None
    return mapping


class FrontMatterError(ValueError):
    """Front matter that holds no mapping; `line` counts the opening `---` as 1."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def front_matter_mapping(source: str) -> dict[str, object]:
    """The mapping a front matter (without its `---` lines) holds; FrontMatterError
    when it is not valid YAML or not a mapping."""
    simple = simple_mapping(source)
    if simple is not None:
        return simple
    try:
        data = yaml.load(source, Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise FrontMatterError(line, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FrontMatterError(1, "front matter must be a mapping (key: value lines)")
    return data
