"""Notes of any note type, as AnkiConnect clients create and read them.

Batches use one `add_notes` / `update_notes` call each; errors keep AnkiConnect's
wording, which clients match on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anki.collection import AddNoteRequest, Collection, OpChanges
from anki.consts import MODEL_CLOZE
from anki.decks import DeckId
from anki.errors import NotFoundError
from anki.models import NotetypeDict
from anki.notes import Note, NoteFieldsCheckResult, NoteId
from anki.utils import ids2str

from ..core.tags import normalise
from .decks import existing_deck_id
from .duplicates import DuplicateFinder, rule_from_options
from .new_notes import BlankNotes
from .notetypes import field_name, find_notetype
from .runner import UndoStep

# AnkiConnect's texts, which clients match on (Yanki creates a missing deck only when
# addNote fails with exactly "deck was not found: <name>").
EMPTY = "cannot create note because it is empty"
DUPLICATE = "cannot create note because it is a duplicate"
# AnkiConnect reports Anki's cloze problems with this one text.
UNKNOWN = "cannot create note for unknown reason"
CLOZE = re.compile(r"\{\{c\d+::")


@dataclass(frozen=True)
class Attachment:
    """A media file to store and show in some fields of a note."""

    filename: str
    content: bytes
    fields: tuple[str, ...]
    picture: bool


@dataclass
class NewNote:
    note: Note
    deck_id: DeckId


def _require(spec: Any, key: str, kind: type) -> Any:
    if not isinstance(spec, dict):
        raise ValueError("note must be an object")
    value = spec.get(key)
    if not isinstance(value, kind):
        raise ValueError(
            f"note is missing '{key}'" if value is None else f"'{key}' has the wrong type"
        )
    return value


class Lookups:
    """Note types, decks and field names looked up once per batch, not once per note."""

    def __init__(self, col: Collection) -> None:
        self.col = col
        self._notetypes: dict[str, NotetypeDict | None] = {}
        self._decks: dict[str, DeckId] = {}
        self._fields: dict[tuple[int, str], str | None] = {}
        self.blanks = BlankNotes(col)

    def notetype(self, name: str) -> NotetypeDict:
        if name not in self._notetypes:
            self._notetypes[name] = find_notetype(self.col, name)
        found = self._notetypes[name]
        if found is None:
            raise ValueError(f"model was not found: {name}")
        return found

    def deck(self, name: str) -> DeckId:
        if name not in self._decks:
            self._decks[name] = existing_deck_id(self.col, name)
        return self._decks[name]

    def field(self, notetype: NotetypeDict, name: str) -> str | None:
        key = (int(notetype["id"]), name)
        if key not in self._fields:
            self._fields[key] = field_name(self.col, notetype, name)
        return self._fields[key]


def attach(
    col: Collection, note: Note, attachments: Sequence[Attachment], lookups: Lookups
) -> None:
    notetype = note.note_type()
    assert notetype is not None
    for item in attachments:
        name = col.media.write_data(item.filename, item.content)
        reference = f'<img src="{html.escape(name)}">' if item.picture else f"[sound:{name}]"
        for field in item.fields:
            own = lookups.field(notetype, field)
            if own is not None:
                note[own] += reference


def draft_note(col: Collection, spec: Any, lookups: Lookups) -> NewNote:
    """The note an AnkiConnect note spec describes, not yet checked or stored."""
    deck_name = _require(spec, "deckName", str)
    model_name = _require(spec, "modelName", str)
    fields = _require(spec, "fields", dict)
    notetype = lookups.notetype(model_name)
    deck_id = lookups.deck(deck_name)
    note = lookups.blanks.new(notetype)
    for name, value in fields.items():
        own = lookups.field(notetype, name)
        if own is not None:
            note[own] = str(value)
    tags = spec.get("tags") or []
    if not isinstance(tags, list):
        raise ValueError("'tags' must be a list")
    note.tags = normalise([str(tag) for tag in tags])
    return NewNote(note, deck_id)


def problem(col: Collection, draft: NewNote, options: Any, finder: DuplicateFinder) -> str | None:
    """Why the drafted note cannot be added (AnkiConnect's text), or None."""
    rule = rule_from_options(col, options, draft.deck_id)
    note = draft.note
    if not finder.key_of(note)[0].strip():
        return EMPTY
    notetype = note.note_type()
    assert notetype is not None
    if notetype["type"] == MODEL_CLOZE or any(CLOZE.search(value) for value in note.fields):
        # Anki's cloze rules, from Anki; its duplicate answer is ignored (ours is the
        # batch-wide one below). Plain notes skip this call and its per-note query.
        state = note.fields_check()
        if state not in (NoteFieldsCheckResult.NORMAL, NoteFieldsCheckResult.DUPLICATE):
            return UNKNOWN
    if not rule.allowed and finder.is_duplicate(note, rule):
        return DUPLICATE
    return None


def _options(spec: Any) -> Any:
    return spec.get("options") if isinstance(spec, dict) else None


@dataclass
class Batch:
    """Notes drafted from specs, each a NewNote or the reason it cannot be added."""

    drafts: list[NewNote | str]
    finder: DuplicateFinder

    @classmethod
    def draft(cls, col: Collection, specs: Sequence[Any]) -> Batch:
        lookups = Lookups(col)
        drafts: list[NewNote | str] = []
        for spec in specs:
            try:
                drafts.append(draft_note(col, spec, lookups))
            except ValueError as exc:
                drafts.append(str(exc))
        notes = [d.note for d in drafts if isinstance(d, NewNote)]
        return cls(drafts, DuplicateFinder(col, notes))

    def reasons(self, col: Collection, specs: Sequence[Any]) -> list[str | None]:
        """Each note checked against the collection alone, as canAddNotes does."""
        return [
            d if isinstance(d, str) else _problem_or_error(col, d, _options(spec), self.finder)
            for d, spec in zip(self.drafts, specs)
        ]


def _problem_or_error(
    col: Collection, draft: NewNote, options: Any, finder: DuplicateFinder
) -> str | None:
    try:
        return problem(col, draft, options, finder)
    except ValueError as exc:
        return str(exc)


def add_notes(
    col: Collection, specs: Sequence[Any], media: Sequence[Sequence[Attachment] | str], label: str
) -> tuple[list[int | str], OpChanges]:
    """Add every valid note in one call, one undo step named `label` (none when no note
    is added). Each answer is the new note's id or why it was not added (AnkiConnect's
    text; a `media` entry that is a string is why its media could not be fetched). A
    note repeating one earlier in the batch is a duplicate of it, under the same rule
    as for the collection. Media is stored only for notes that are added."""
    batch = Batch.draft(col, specs)
    lookups = Lookups(col)
    built: list[NewNote | str] = []
    for draft, spec, attachments in zip(batch.drafts, specs, media):
        if isinstance(draft, str) or isinstance(attachments, str):
            built.append(draft if isinstance(draft, str) else str(attachments))
            continue
        reason = _problem_or_error(col, draft, _options(spec), batch.finder)
        if reason is not None:
            built.append(reason)
            continue
        batch.finder.accept(draft.note, draft.deck_id)
        attach(col, draft.note, attachments, lookups)
        built.append(draft)
    requests = [AddNoteRequest(b.note, b.deck_id) for b in built if isinstance(b, NewNote)]
    step = UndoStep(col, label)
    if requests:
        step.open()
        col.add_notes(requests)
    return [int(b.note.id) if isinstance(b, NewNote) else b for b in built], step.close()


def note_info(col: Collection, note: Note, card_ids: list[int], profile: str) -> dict[str, Any]:
    notetype = note.note_type()
    assert notetype is not None
    names = col.models.field_names(notetype)
    return {
        "noteId": note.id,
        "profile": profile,
        "modelName": notetype["name"],
        "tags": note.tags,
        "fields": {name: {"value": note.fields[i], "order": i} for i, name in enumerate(names)},
        "cards": card_ids,
        "mod": note.mod,
    }


def card_ids_of_notes(col: Collection, note_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each note's card ids in template order, for the whole batch in one query."""
    assert col.db is not None
    cards: dict[int, list[int]] = {}
    if note_ids:
        for nid, cid in col.db.all(
            f"select nid, id from cards where nid in {ids2str(note_ids)} order by nid, ord"
        ):
            cards.setdefault(int(nid), []).append(int(cid))
    return cards


def notes_info(col: Collection, note_ids: Sequence[int], profile: str) -> list[dict[str, Any]]:
    """In the order asked; `{}` for a note that does not exist, as AnkiConnect."""
    ids = [int(n) for n in note_ids]
    cards = card_ids_of_notes(col, ids)
    result: list[dict[str, Any]] = []
    for note_id in ids:
        try:
            note = col.get_note(NoteId(note_id))
        except NotFoundError:
            result.append({})
            continue
        result.append(note_info(col, note, cards.get(note_id, []), profile))
    return result


def notes_mod_time(col: Collection, note_ids: Sequence[int]) -> list[dict[str, int]]:
    """In the order asked, `{}` for a note that does not exist (as AnkiConnect)."""
    assert col.db is not None
    rows = col.db.all(f"select id, mod from notes where id in {ids2str(note_ids)}")
    mods = {int(row[0]): int(row[1]) for row in rows}
    return [{"noteId": n, "mod": mods[n]} if n in mods else {} for n in note_ids]


def existing_note(col: Collection, note_id: Any) -> Note:
    try:
        return col.get_note(NoteId(int(note_id)))
    except (NotFoundError, TypeError, ValueError):
        raise missing_note(note_id) from None


def missing_note(note_id: Any) -> ValueError:
    return ValueError(f"Note was not found: {note_id}")


def existing_note_ids(col: Collection, notes: Any) -> list[NoteId]:
    """The notes of `notes` that exist."""
    if not isinstance(notes, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in notes
    ):
        raise ValueError("notes must be a list of note ids")
    assert col.db is not None
    return [NoteId(n) for n in col.db.list(f"select id from notes where id in {ids2str(notes)}")]


def require_notes(col: Collection, notes: Any) -> list[NoteId]:
    """Every note of a change must exist, or nothing is changed (AnkiConnect's text)."""
    present = set(existing_note_ids(col, notes))
    for nid in notes:
        if nid not in present:
            raise missing_note(nid)
    return [NoteId(n) for n in dict.fromkeys(notes)]


def tag_list(tags: Any) -> list[str]:
    """AnkiConnect also takes a single tag as a string."""
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("Must provide tags as a list of strings")
    return normalise(tags)


def update_note(
    col: Collection,
    note_id: Any,
    fields: dict[str, Any] | None,
    tags: list[str] | str | None,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Fields and/or tags of one note, checked completely before it is saved."""
    if fields is None and tags is None:
        raise ValueError('Must provide a "fields" or "tags" property.')
    note = existing_note(col, note_id)
    notetype = note.note_type()
    assert notetype is not None
    lookups = Lookups(col)
    new_tags = tag_list(tags) if tags is not None else None
    for name, value in (fields or {}).items():
        own = lookups.field(notetype, name)
        if own is not None:  # AnkiConnect skips fields the note type lacks
            note[own] = str(value)
    if fields is not None:
        attach(col, note, attachments, lookups)
    if new_tags is not None:
        note.tags = new_tags
    col.update_note(note)


def change_note_type(col: Collection, spec: Any) -> None:
    """AnkiConnect's updateNoteModel: the note gets another note type, `fields` (the
    others empty) and `tags`, in place: its id, cards and review history stay (cards
    keep their template position, as Anki's Change Note Type does by default)."""
    if not isinstance(spec, dict) or not spec.get("id"):
        raise ValueError("Note ID is required")
    model_name = spec.get("modelName")
    if not model_name:
        raise ValueError("Model name is required")
    fields = spec.get("fields")
    if not fields or not isinstance(fields, dict):
        raise ValueError("Fields must be provided as a dictionary")
    tags = tag_list(spec.get("tags", []))
    note = existing_note(col, spec["id"])
    notetype = find_notetype(col, str(model_name))
    if notetype is None:
        raise ValueError(f"Model '{model_name}' not found")
    if int(notetype["id"]) != int(note.mid):
        change = col.models.change_notetype_info(
            old_notetype_id=note.mid, new_notetype_id=notetype["id"]
        ).input
        change.note_ids.extend([note.id])
        col.models.change_notetype_of_notes(change)
        note = col.get_note(note.id)
    names = col.models.field_names(notetype)
    note.fields = [""] * len(names)
    lookups = Lookups(col)
    for name, value in fields.items():
        own = lookups.field(notetype, str(name))
        if own is not None:
            note[own] = str(value)
    note.tags = tags
    col.update_note(note)
