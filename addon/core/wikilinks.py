"""Obsidian's links in card text: `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`,
`[[Note#^block]]`, `[[folder/Note]]`, and the note embed `![[Note]]`.

In Anki each is a link that opens the note in Obsidian. The link keeps the wikilink it
was made from in an attribute, so it is written back exactly as it was while its text
is the one it was given, and as `[[target|new text]]` once that text is edited in Anki.
Wikilinks inside code and formulas are text. Every pattern here stops at the next
bracket, tag or line end, so unclosed `[[` or `<a` cost linear time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .formulas import DOLLARS, code_spans, formula_spans

# (A backslash before it makes it text, as `\!` before a link keeps it from being an
# embed.)
WIKILINK = re.compile(r"(?<!\\)(!?)\[\[([^\[\]\n]+)\]\]")
ATTRIBUTE = "data-wikilink"
# An `<a>` made by `anchor`, and its content up to its `</a>` (no other link inside).
MARKED = re.compile(
    rf'<a\s[^<>]*?\b{ATTRIBUTE}="([^"<>]*)"[^<>]*>((?:[^<]|<(?!/?a[\s>]))*)</a>',
    re.IGNORECASE,
)
TAG = re.compile(r"<[^<>]*>")
# What an attribute value cannot hold as it is, nor a cloze (`::`, `}}`) around it.
UNSAFE_IN_ATTRIBUTE = re.compile(r'^!|[%&"<>:{}\x00-\x1f\x7f-\x9f\xa0]')
OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: no text has them
HELD = re.compile(f"(!?){OPEN}(\\d+){CLOSE}")
SEPARATOR = " › "


@dataclass(frozen=True)
class Wikilink:
    source: str  # as written: `[[Note#Heading|alias]]`, `![[Note]]`
    embed: bool
    note: str  # the note's name or path as written; "" for a heading of the note itself
    fragment: str  # what follows the first `#`: heading path or `^block`
    alias: str | None

    @property
    def target(self) -> str:
        """What the link points at: the note and fragment, without the alias."""
        return f"{self.note}#{self.fragment}" if self.fragment else self.note

    @property
    def text(self) -> str:
        """What the card shows: the alias, else `Note › Heading` or the note's name."""
        if self.alias is not None:
            return self.alias
        name = self.note.rsplit("/", 1)[-1]
        if name.lower().endswith(".md"):
            name = name[:-3]
        parts = [p for p in self.fragment.split("#") if p]
        return SEPARATOR.join([part for part in (name, *parts) if part])  # `[[#H]]`: "H"


def parse(source: str) -> Wikilink:
    """A wikilink (`[[…]]` or `![[…]]`, as WIKILINK found it)."""
    embed = source.startswith("!")
    inner = source[3:-2] if embed else source[2:-2]
    target, bar, alias = inner.partition("|")
    # In a table, Obsidian's alias follows `\|` (a bare `|` would end the cell).
    note, _, fragment = target.removesuffix("\\").partition("#")
    shown = alias if bar and alias.strip() else None  # (an empty alias would hide the link)
    return Wikilink(source, embed, note.strip(), fragment.strip(), shown)


def replace_wikilinks(markdown: str, replace: Callable[[Wikilink], str | None]) -> str:
    """Each wikilink outside code and formulas replaced by `replace(link)`, or kept as
    written where that is None."""
    if "[[" not in markdown or OPEN in markdown:  # (no text has a placeholder's character)
        return markdown
    text_spans = _outside(markdown, _code_and_formulas(markdown))
    pieces: list[str] = []
    position = 0
    for start, end in text_spans:
        for match in WIKILINK.finditer(markdown, start, end):
            new = replace(parse(match.group(0)))
            if new is not None:
                pieces += [markdown[position : match.start()], new]
                position = match.end()
    return "".join(pieces) + markdown[position:]


def _code_and_formulas(text: str) -> list[tuple[int, int]]:
    """Where text is code or a formula, as markdown.render sets them apart: `\\(…\\)`
    anywhere, `$…$` outside code."""
    code = code_spans(text) if "`" in text or "~~~" in text else []
    spans = list(code)
    if "\\" in text:
        spans += formula_spans(text, escapable=True)
    if "$" in text:
        for start, end in _outside(text, code):
            spans += [m.span() for m in DOLLARS.finditer(text, start, end)]
    return sorted(spans)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `text` outside the sorted (possibly overlapping) spans."""
    parts: list[tuple[int, int]] = []
    position = 0
    for start, end in spans:
        if start > position:
            parts.append((position, start))
        position = max(position, end)
    parts.append((position, len(text)))
    return parts


def open_uri(vault: str, file: str, fragment: str = "") -> str:
    """A link that opens `file` (a path in the vault; `.md` left out for notes) in
    Obsidian, at a heading or `^block` when given; `vault` is URL-quoted already."""
    at = "%23" + quote(fragment, safe="") if fragment else ""
    return f"obsidian://open?vault={vault}&file={quote(file, safe='')}{at}"


def anchor(link: Wikilink, href: str) -> str:
    """The link in Anki, marked with the wikilink it stands for."""
    inner = link.source[3:-2] if link.embed else link.source[2:-2]
    # The wikilink without its brackets (in a link that stays HTML in Markdown they
    # would read as a wikilink again), `!` first for an embed.
    marked = ("!" if link.embed else "") + UNSAFE_IN_ATTRIBUTE.sub(_encode, inner)
    shown = html.escape(link.text, quote=False)
    return f'<a href="{html.escape(href)}" {ATTRIBUTE}="{marked}">{shown}</a>'


def _encode(match: re.Match[str]) -> str:
    return quote(match.group(0), safe="")


def replace_marked(field: str, replace: Callable[[Wikilink, str], str | None]) -> str:
    """Each link `anchor` made, replaced by `replace(link, the text it shows now)`, or
    kept as it is where that is None."""
    if ATTRIBUTE not in field or OPEN in field:
        return field

    def one(match: re.Match[str]) -> str:
        marked = html.unescape(match.group(1))
        embed = marked.startswith("!")
        source = f"{'!' if embed else ''}[[{unquote(marked[1:] if embed else marked)}]]"
        if not WIKILINK.fullmatch(source):
            return match.group(0)
        shown = html.unescape(TAG.sub("", match.group(2))).replace("\xa0", " ")
        new = replace(parse(source), shown)
        return match.group(0) if new is None else new

    return MARKED.sub(one, field)


def written_back(link: Wikilink, shown: str) -> str | None:
    """The wikilink a link in Anki stands for: as it was written while it shows the
    text it was given, `[[target|shown]]` after an edit of that text, "" when its text
    was deleted. None when the new text cannot be a wikilink's (it holds brackets): the
    link then stays HTML."""
    if shown.strip() == link.text.strip():
        return link.source
    if not shown.strip():
        return ""
    if "[" in shown or "]" in shown or "\n" in shown:
        return None
    bar = "\\|" if "\\|" in link.source else "|"  # (kept as a table needs it)
    return f"{'!' if link.embed else ''}[[{link.target}{bar}{shown}]]"


class Held:
    """Pieces set aside behind placeholders while Markdown is rendered or written, so
    that neither touches them."""

    def __init__(self) -> None:
        self._pieces: list[str] = []

    def hold(self, piece: str) -> str:
        self._pieces.append(piece)
        return f"{OPEN}{len(self._pieces) - 1}{CLOSE}"

    def restore(self, text: str) -> str:
        if not self._pieces:
            return text

        def one(match: re.Match[str]) -> str:
            bang, piece = match.group(1), self._pieces[int(match.group(2))]
            # A `!` typed before a link in Anki is not an embed.
            return ("\\" + bang if bang and piece.startswith("[[") else bang) + piece

        return HELD.sub(one, text)
