"""AnkiConnect's duplicate rule, checked for a whole batch with one query.

Anki's own check (`Note.fields_check`) costs a query per note, and on a collection
without SQLite statistics that query scans every note. Here the existing notes that
share a first-field checksum with any note of the batch are read once, through the
checksum index, whatever the query planner would choose; notes accepted earlier in
the same batch count as existing, so a batch never stores the same note twice.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anki.collection import Collection, StripHtmlMode
from anki.decks import DeckId
from anki.notes import Note
from anki.utils import ids2str, split_fields


@dataclass(frozen=True)
class DuplicateRule:
    """`options` of an AnkiConnect note, resolved against the collection."""

    allowed: bool = False
    # None: anywhere in the collection; else only notes with a card in these decks.
    decks: frozenset[int] | None = None
    all_models: bool = False

    @property
    def default_scope(self) -> bool:
        """Anki's own rule: same note type and the same first field text."""
        return self.decks is None and not self.all_models


def _flag(options: Mapping[str, Any], key: str, label: str) -> bool:
    value = options.get(key, False)
    if type(value) is not bool:
        raise ValueError(f'option parameter "{label}" must be boolean')
    return value


def rule_from_options(col: Collection, options: Any, deck_id: DeckId) -> DuplicateRule:
    """The rule for a note going to `deck_id`, or ValueError with AnkiConnect's text."""
    if not isinstance(options, Mapping):
        return DuplicateRule()
    allowed = _flag(options, "allowDuplicate", "allowDuplicate")
    scope_options = options.get("duplicateScopeOptions") or {}
    if not isinstance(scope_options, Mapping):
        scope_options = {}
    children = _flag(scope_options, "checkChildren", "duplicateScopeOptions.checkChildren")
    all_models = _flag(scope_options, "checkAllModels", "duplicateScopeOptions.checkAllModels")
    if options.get("duplicateScope") != "deck":
        return DuplicateRule(allowed, None, all_models)
    scope_deck: int | None = int(deck_id)
    scope_name = scope_options.get("deckName")
    if scope_name is not None:
        found = col.decks.id_for_name(str(scope_name))
        scope_deck = int(found) if found is not None else None
    if scope_deck is None:  # a deck that does not exist holds no duplicates
        return DuplicateRule(allowed, frozenset(), all_models)
    decks = {scope_deck}
    if children:
        decks.update(int(child) for _, child in col.decks.children(DeckId(scope_deck)))
    return DuplicateRule(allowed, frozenset(decks), all_models)


def first_field_text(col: Collection, note: Note) -> str:
    """The first field as Anki compares and checksums it: NFC, without HTML (media
    names kept), spaces kept."""
    return _stripped(col, note.fields[0] if note.fields else "")


def _stripped(col: Collection, text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if "<" not in text and "&" not in text:
        return text  # nothing to strip: spare a call per note (most notes are plain)
    # The backend directly: anki.utils' helper needs Anki's GUI language set up.
    return str(col._backend.strip_html(text=text, mode=StripHtmlMode.PRESERVE_MEDIA_FILENAMES))


def _checksum(text: str) -> int:
    """Anki's `csum` column: the first 8 hex digits of the stripped text's SHA-1."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


@dataclass
class _Known:
    mid: int
    text: str
    decks: set[int] = field(default_factory=set)


class DuplicateFinder:
    """Existing notes that could be duplicates of `notes`, read in one query."""

    def __init__(self, col: Collection, notes: Iterable[Note]) -> None:
        self._col = col
        self._by_checksum: dict[int, list[_Known]] = {}
        # Each batch note's stripped first field and its checksum, worked out once
        # (the notes do not change while they are checked), by the note object.
        self._keys: dict[int, tuple[str, int]] = {}
        checksums = {self.key_of(note)[1] for note in notes}
        if not checksums:
            return
        assert col.db is not None
        rows = col.db.all(
            "select id, mid, csum, flds from notes indexed by ix_notes_csum"
            f" where csum in {ids2str(checksums)}"
        )
        known: dict[int, _Known] = {}
        for nid, mid, csum, flds in rows:
            entry = _Known(int(mid), _stripped(col, split_fields(flds)[0]))
            known[int(nid)] = entry
            self._by_checksum.setdefault(int(csum), []).append(entry)
        if known:
            for nid, did in col.db.all(f"select nid, did from cards where nid in {ids2str(known)}"):
                known[int(nid)].decks.add(int(did))

    def key_of(self, note: Note) -> tuple[str, int]:
        """The note's first field as Anki compares it, and its checksum."""
        found = self._keys.get(id(note))
        if found is None:
            text = first_field_text(self._col, note)
            found = self._keys[id(note)] = (text, _checksum(text))
        return found

    def is_duplicate(self, note: Note, rule: DuplicateRule) -> bool:
        text, checksum = self.key_of(note)
        for entry in self._by_checksum.get(checksum, ()):
            if not rule.all_models and entry.mid != note.mid:
                continue
            if rule.default_scope and entry.text != text:
                continue
            if rule.decks is None or entry.decks & rule.decks:
                return True
        return False

    def accept(self, note: Note, deck_id: DeckId) -> None:
        """`note` will be added with the batch: later notes are checked against it."""
        text, checksum = self.key_of(note)
        entry = _Known(int(note.mid), text, {int(deck_id)})
        self._by_checksum.setdefault(checksum, []).append(entry)
