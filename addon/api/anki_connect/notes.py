"""Note actions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from anki.collection import Collection
from anki.notes import NoteId

from ...store import foreign_notes
from ...store.foreign_notes import Attachment
from ..context import ApiContext
from . import media_sources
from .registry import action


def _label(name: str) -> str:
    return f"AnkiConnect: {name}"


def _media(ctx: ApiContext, note: Any) -> list[Attachment]:
    return media_sources.attachments(note, ctx.config.max_body_bytes, ctx.browser)


def _media_or_reason(ctx: ApiContext, note: Any) -> list[Attachment] | str:
    try:
        return _media(ctx, note)
    except ValueError as exc:
        return str(exc)


def add_each(ctx: ApiContext, notes: list[Any], label: str) -> list[int | str]:
    """Add `notes` in one batch: each the new id, or AnkiConnect's reason it was not
    added. Serves addNote, addNotes, and runs of addNote in a multi."""
    if not isinstance(notes, list):
        raise ValueError("notes must be a list")
    media = [_media_or_reason(ctx, note) for note in notes]
    return ctx.runner.run(lambda col: foreign_notes.add_notes(col, notes, media, _label(label)))


@action
def addNote(ctx: ApiContext, note: dict[str, Any]) -> int:
    result = add_each(ctx, [note], "addNote")[0]
    if isinstance(result, str):
        raise ValueError(result)
    return result


@action
def addNotes(ctx: ApiContext, notes: list[Any]) -> list[int | None]:
    return [r if isinstance(r, int) else None for r in add_each(ctx, notes, "addNotes")]


def _reasons(ctx: ApiContext, notes: list[Any]) -> list[str | None]:
    return ctx.runner.read(lambda col: foreign_notes.Batch.draft(col, notes).reasons(col, notes))


def _detail(reason: str | None) -> dict[str, Any]:
    return {"canAdd": True} if reason is None else {"canAdd": False, "error": reason}


@action
def canAddNote(ctx: ApiContext, note: dict[str, Any]) -> bool:
    return _reasons(ctx, [note])[0] is None


@action
def canAddNoteWithErrorDetail(ctx: ApiContext, note: dict[str, Any]) -> dict[str, Any]:
    return _detail(_reasons(ctx, [note])[0])


@action
def canAddNotes(ctx: ApiContext, notes: list[Any]) -> list[bool]:
    return [reason is None for reason in _reasons(ctx, notes)]


@action
def canAddNotesWithErrorDetail(ctx: ApiContext, notes: list[Any]) -> list[dict[str, Any]]:
    return [_detail(reason) for reason in _reasons(ctx, notes)]


@action
def findNotes(ctx: ApiContext, query: str | None = None) -> list[int]:
    if query is None:  # AnkiConnect: no query finds nothing (not everything)
        return []
    found: Sequence[int] = ctx.runner.read(lambda col: col.find_notes(query))
    return list(found)


@action
def findCards(ctx: ApiContext, query: str | None = None) -> list[int]:
    if query is None:
        return []
    found: Sequence[int] = ctx.runner.read(lambda col: col.find_cards(query))
    return list(found)


@action
def notesInfo(
    ctx: ApiContext, notes: list[int] | None = None, query: str | None = None
) -> list[Any]:
    if notes is None and query is None:
        raise ValueError('Must provide either "notes" or a "query"')
    profile = ctx.runner.profile_name() or ""

    def read(col: Collection) -> list[dict[str, Any]]:
        ids = notes if query is None else list(col.find_notes(query))
        return foreign_notes.notes_info(col, ids or [], profile)

    return ctx.runner.read(read)


@action
def notesModTime(ctx: ApiContext, notes: list[int]) -> list[dict[str, int]]:
    ids = [int(n) for n in notes]
    return ctx.runner.read(lambda col: foreign_notes.notes_mod_time(col, ids))


def _update(ctx: ApiContext, label: str, note: Any, fields: Any, tags: Any) -> None:
    if not isinstance(note, dict) or "id" not in note:
        raise ValueError("note must be an object with an id")
    attachments = _media(ctx, note) if fields is not None else []
    ctx.runner.write(
        _label(label),
        lambda col: foreign_notes.update_note(col, note["id"], fields, tags, attachments),
    )


@action
def updateNoteFields(ctx: ApiContext, note: dict[str, Any]) -> None:
    _update(ctx, "updateNoteFields", note, note.get("fields") or {}, None)


@action
def updateNote(ctx: ApiContext, note: dict[str, Any]) -> None:
    _update(ctx, "updateNote", note, note.get("fields"), note.get("tags"))


@action
def updateNoteModel(ctx: ApiContext, note: dict[str, Any]) -> None:
    ctx.runner.write(
        _label("updateNoteModel"), lambda col: foreign_notes.change_note_type(col, note)
    )


@action
def updateNoteTags(ctx: ApiContext, note: int, tags: list[str] | str) -> None:
    ctx.runner.write(
        _label("updateNoteTags"), lambda col: foreign_notes.update_note(col, note, None, tags)
    )


@action
def getNoteTags(ctx: ApiContext, note: int) -> list[str]:
    return ctx.runner.read(lambda col: list(foreign_notes.existing_note(col, note).tags))


@action
def deleteNotes(ctx: ApiContext, notes: list[int]) -> None:
    # Unknown ids are ignored, as in AnkiConnect: a sync tool deleting a note the user
    # already deleted in Anki must not fail.
    ids = [NoteId(int(n)) for n in notes]
    ctx.runner.write(_label("deleteNotes"), lambda col: col.remove_notes(ids))


@action
def removeEmptyNotes(ctx: ApiContext) -> None:
    def write(col: Collection) -> None:
        empty = [
            NoteId(nid)
            for nid in col.find_notes("")
            if not any(value.strip() for value in col.get_note(NoteId(nid)).fields)
        ]
        col.remove_notes(empty)

    ctx.runner.write(_label("removeEmptyNotes"), write)


@action
def getTags(ctx: ApiContext) -> list[str]:
    return ctx.runner.read(lambda col: sorted(col.tags.all()))


@action
def addTags(ctx: ApiContext, notes: list[int], tags: str) -> None:
    ctx.runner.write(
        _label("addTags"),
        lambda col: col.tags.bulk_add(foreign_notes.require_notes(col, notes), tags),
    )


@action
def removeTags(ctx: ApiContext, notes: list[int], tags: str) -> None:
    ctx.runner.write(
        _label("removeTags"),
        lambda col: col.tags.bulk_remove(foreign_notes.require_notes(col, notes), tags),
    )


@action
def clearUnusedTags(ctx: ApiContext) -> None:
    ctx.runner.write(_label("clearUnusedTags"), lambda col: col.tags.clear_unused_tags())


def _rename_tag(col: Collection, ids: list[NoteId], old: str, new: str) -> None:
    """Only notes carrying the tag change; a tag that merely contains it stays."""
    if ids:
        col.tags.find_and_replace(ids, f"^{re.escape(old)}$", new, regex=True, match_case=False)


@action
def replaceTags(
    ctx: ApiContext, notes: list[int], tag_to_replace: str, replace_with_tag: str
) -> None:
    ctx.runner.write(
        _label("replaceTags"),
        # AnkiConnect's replaceTags skips notes that do not exist.
        lambda col: _rename_tag(
            col, foreign_notes.existing_note_ids(col, notes), tag_to_replace, replace_with_tag
        ),
    )


@action
def replaceTagsInAllNotes(ctx: ApiContext, tag_to_replace: str, replace_with_tag: str) -> None:
    ctx.runner.write(
        _label("replaceTagsInAllNotes"),
        lambda col: _rename_tag(col, list(col.find_notes("")), tag_to_replace, replace_with_tag),
    )
