"""Note actions."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection
from anki.notes import NoteId

from ...store import foreign_notes
from ..context import ApiContext
from .registry import action


def _label(name: str) -> str:
    return f"AnkiConnect: {name}"


@action
def addNote(ctx: ApiContext, note: dict[str, Any]) -> int:
    def write(col: Collection) -> int:
        new = foreign_notes.build_note(col, note)
        col.add_note(new.note, new.deck_id)
        return int(new.note.id)

    return ctx.runner.write(_label("addNote"), write)


@action
def addNotes(ctx: ApiContext, notes: list[Any]) -> list[int | None]:
    return ctx.runner.write(_label("addNotes"), lambda col: foreign_notes.add_notes(col, notes))


@action
def canAddNotes(ctx: ApiContext, notes: list[Any]) -> list[bool]:
    def read(col: Collection) -> list[bool]:
        lookups = foreign_notes.Lookups(col)
        return [foreign_notes.can_add(col, n, lookups) is None for n in notes]

    return ctx.runner.read(read)


@action
def canAddNotesWithErrorDetail(ctx: ApiContext, notes: list[Any]) -> list[dict[str, Any]]:
    def read(col: Collection) -> list[dict[str, Any]]:
        lookups = foreign_notes.Lookups(col)
        reasons = [foreign_notes.can_add(col, n, lookups) for n in notes]
        return [
            {"canAdd": True} if reason is None else {"canAdd": False, "error": reason}
            for reason in reasons
        ]

    return ctx.runner.read(read)


@action
def findNotes(ctx: ApiContext, query: str) -> list[int]:
    return [int(n) for n in ctx.runner.read(lambda col: col.find_notes(query))]


@action
def findCards(ctx: ApiContext, query: str) -> list[int]:
    return [int(c) for c in ctx.runner.read(lambda col: col.find_cards(query))]


@action
def notesInfo(
    ctx: ApiContext, notes: list[int] | None = None, query: str | None = None
) -> list[Any]:
    def read(col: Collection) -> list[dict[str, Any]]:
        ids = notes if notes is not None else list(col.find_notes(query or ""))
        return foreign_notes.notes_info(col, ids)

    return ctx.runner.read(read)


@action
def updateNoteFields(ctx: ApiContext, note: dict[str, Any]) -> None:
    ctx.runner.write(
        _label("updateNoteFields"),
        lambda col: foreign_notes.update_fields(col, note["id"], note.get("fields", {})),
    )


@action
def deleteNotes(ctx: ApiContext, notes: list[int]) -> None:
    ctx.runner.write(
        _label("deleteNotes"), lambda col: col.remove_notes([NoteId(n) for n in notes])
    )


@action
def getTags(ctx: ApiContext) -> list[str]:
    return ctx.runner.read(lambda col: sorted(col.tags.all()))


@action
def addTags(ctx: ApiContext, notes: list[int], tags: str) -> None:
    ctx.runner.write(
        _label("addTags"), lambda col: col.tags.bulk_add([NoteId(n) for n in notes], tags)
    )


@action
def removeTags(ctx: ApiContext, notes: list[int], tags: str) -> None:
    ctx.runner.write(
        _label("removeTags"), lambda col: col.tags.bulk_remove([NoteId(n) for n in notes], tags)
    )
