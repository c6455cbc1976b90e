"""Three-way reconciliation of one note: its Markdown, its Anki note, and the base
both sides had at the last sync (as fingerprints, so the state stays small).

A field changed on one side is copied to the other; changed on both to the same
content is agreement; changed on both differently is a conflict: the winning side is
applied and the other is kept in a record in the file. Tags merge as sets (a tag
stays unless one side removed it); a deck change on one side moves the note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .conflicts import record
from .deck_text import block_fingerprint
from .note_keys import EMPTY, fingerprint

Side = Literal["markdown", "anki"]
SIDE_NAMES: dict[Side, str] = {"markdown": "Markdown", "anki": "Anki"}


class Convert(Protocol):
    def to_anki(self, markdown: str) -> str: ...

    def to_markdown(self, html: str) -> str: ...


@dataclass(frozen=True)
class MdNote:
    key: str
    file: str  # path relative to the folder
    line: int
    block: int  # index of the note's block in its file
    note_type: str
    deck: str
    fields: Mapping[str, str]  # field name → Markdown (absent = empty)
    tags: tuple[str, ...]
    text: str = ""  # the block as read; "" while it holds a conflict record


@dataclass(frozen=True)
class AnkiNote:
    key: str
    note_id: int
    note_type: str
    deck: str  # the deck of its first card
    fields: Mapping[str, str]  # every field of the note type except the key → HTML
    tags: tuple[str, ...]
    row: str = ""  # row_fingerprint, when read from the collection


def row_fingerprint(
    note_type: str, names: str, values: str, tags: tuple[str, ...], deck: str
) -> str:
    """One fingerprint of everything the sync compares on the Anki side: `names` and
    `values` are the fields' names and contents joined by \\x1f, as Anki stores them."""
    return fingerprint("\x1e".join((note_type, deck, " ".join(sorted(tags)), names, values)))


def fields_fingerprint(
    note_type: str, fields: Mapping[str, str], tags: tuple[str, ...], deck: str
) -> str:
    return row_fingerprint(note_type, "\x1f".join(fields), "\x1f".join(fields.values()), tags, deck)


@dataclass(frozen=True)
class BaseNote:
    key: str
    note_id: int
    note_type: str
    file: str
    deck: str
    md: Mapping[str, str]  # field → fingerprint of its Markdown
    anki: Mapping[str, str]  # field → fingerprint of its HTML
    tags: tuple[str, ...]
    # Whole-note fingerprints: a note whose block and row both match is unchanged on
    # both sides, with nothing parsed or compared field by field.
    block: str = ""
    row: str = ""

    def with_note_id(self, note_id: int) -> BaseNote:
        """The base of a note just added, once Anki gave it its id. Built directly: a
        first import does this for every note, and dataclasses.replace looks up each
        field by name, at twice the cost."""
        return BaseNote(
            self.key, note_id, self.note_type, self.file, self.deck, self.md, self.anki,
            self.tags, self.block, self.row,
        )  # fmt: skip


@dataclass
class Outcome:
    """What one note needs on each side; empty when both sides already agree."""

    md_fields: dict[str, str]  # the note's Markdown after the sync (applied versions)
    anki_fields: dict[str, str]  # the note's HTML after the sync
    tags: tuple[str, ...]
    anki_changes: dict[str, str] = field(default_factory=dict)  # field → HTML to write
    md_changed: bool = False  # the block must be rewritten
    records: dict[str, str] = field(default_factory=dict)  # field → conflict record
    anki_deck: str | None = None  # move the note's cards there
    md_deck: str | None = None  # move the block to that deck's file
    anki_tags_changed: bool = False

    @property
    def anki_changed(self) -> bool:
        return bool(self.anki_changes) or self.anki_tags_changed


def changed_fields(values: Mapping[str, str], base: Mapping[str, str], names: list[str]) -> bool:
    return any(fingerprint(values.get(n, "")) != base.get(n, EMPTY) for n in names)


def md_changed_since(md: MdNote, base: BaseNote, names: list[str]) -> bool:
    return (
        changed_fields(md.fields, base.md, names)
        or set(md.tags) != set(base.tags)
        or md.deck != base.deck
    )


def anki_changed_since(anki: AnkiNote, base: BaseNote) -> bool:
    return (
        changed_fields(anki.fields, base.anki, list(anki.fields))
        or set(anki.tags) != set(base.tags)
        or anki.deck != base.deck
    )


def merge_tags(
    md: tuple[str, ...], anki: tuple[str, ...], base: tuple[str, ...] | None
) -> tuple[str, ...]:
    """A tag stays unless one side removed it; without a base only tags on both sides
    count as old, so a tag on either side is kept."""
    old = set(base) if base is not None else set(md) & set(anki)
    keep = (set(md) & set(anki)) | (set(md) - old) | (set(anki) - old)
    ordered = list(dict.fromkeys([*md, *anki]))
    return tuple(t for t in ordered if t in keep)


def reconcile(
    md: MdNote, anki: AnkiNote, base: BaseNote | None, convert: Convert, winner: Side,
    one_way: frozenset[str] = frozenset(), decks_from_markdown: bool = False,
) -> Outcome:  # fmt: skip
    """Both sides hold the note; `base` is None when the state was lost (every field
    then counts as changed on both sides, and equal content agrees). Fields in
    `one_way` (and, with `decks_from_markdown`, the deck) are Markdown's alone, HTML
    made by the layout: an edit of them in Anki is put back."""
    md_fields = {n: md.fields.get(n, "") for n in anki.fields}
    anki_fields = dict(anki.fields)
    tags = merge_tags(md.tags, anki.tags, base.tags if base else None)
    outcome = Outcome(md_fields, anki_fields, tags)
    for name in anki.fields:
        m, a = md_fields[name], anki_fields[name]
        m_changed = base is None or fingerprint(m) != base.md.get(name, EMPTY)
        a_changed = base is None or fingerprint(a) != base.anki.get(name, EMPTY)
        if name in one_way:
            _to_anki(outcome, name, m)  # the layout's own HTML
        elif m_changed and not a_changed:
            _to_anki(outcome, name, convert.to_anki(m))
        elif a_changed and not m_changed:
            _to_markdown(outcome, name, convert.to_markdown(a))
        elif m_changed and a_changed:
            html = convert.to_anki(m)
            if html == a:
                continue
            text = convert.to_markdown(a)
            if text == m:
                continue
            if winner == "markdown":
                _to_anki(outcome, name, html)
                outcome.records[name] = record(m, SIDE_NAMES["markdown"], text, SIDE_NAMES["anki"])
            else:
                _to_markdown(outcome, name, text)
                outcome.records[name] = record(text, SIDE_NAMES["anki"], m, SIDE_NAMES["markdown"])
            outcome.md_changed = True
    if set(tags) != set(md.tags):
        outcome.md_changed = True
    outcome.anki_tags_changed = set(tags) != set(anki.tags)
    if decks_from_markdown:
        outcome.anki_deck = md.deck if md.deck != anki.deck else None
    else:
        _reconcile_deck(outcome, md.deck, anki.deck, base.deck if base else None, winner)
    return outcome


def _to_anki(outcome: Outcome, name: str, html: str) -> None:
    if html != outcome.anki_fields[name]:
        outcome.anki_fields[name] = html
        outcome.anki_changes[name] = html


def _to_markdown(outcome: Outcome, name: str, text: str) -> None:
    if text != outcome.md_fields[name]:
        outcome.md_fields[name] = text
        outcome.md_changed = True


def _reconcile_deck(
    outcome: Outcome, md_deck: str, anki_deck: str, base_deck: str | None, winner: Side
) -> None:
    if md_deck == anki_deck:
        return
    md_moved = base_deck is None or md_deck != base_deck
    anki_moved = base_deck is not None and anki_deck != base_deck
    if md_moved and (not anki_moved or winner == "markdown"):
        outcome.anki_deck = md_deck
    else:
        outcome.md_deck = anki_deck


def new_base(
    key: str, note_id: int, note_type: str, file: str, deck: str,
    md_fields: Mapping[str, str], anki_fields: Mapping[str, str], tags: tuple[str, ...],
    block_text: str,
) -> BaseNote:  # fmt: skip
    """The base after a sync; `block_text` is the note's block as the file now has it."""
    md = {n: fingerprint(v) for n, v in md_fields.items() if v}
    # Most fields read the same on both sides (plain text, the layout's own HTML).
    anki = {
        n: md[n] if md_fields.get(n) == v else fingerprint(v) for n, v in anki_fields.items() if v
    }
    return BaseNote(
        key,
        note_id,
        note_type,
        file,
        deck,
        md,
        anki,
        tags,
        block_fingerprint(block_text),
        fields_fingerprint(note_type, anki_fields, tags, deck),
    )
