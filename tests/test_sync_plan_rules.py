"""The sync's rules (docs/sync-contract.md) checked on the plan itself: random
three-sided histories of a few notes — each note's base, its block in a deck file and
its note in Anki, each kept, edited or deleted — go through the load phase's reading of
the file and the pure plan, and every rule is checked on what the plan decides.

No collection is needed: the plan reads neither the disk nor Anki."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from addon.core.deck_text import format_note, parse_deck_text
from addon.core.sync_plan import AnkiNote, BaseNote, new_base
from addon.sync.deck_folder import DeckFolder
from addon.sync.folder import DeckFile, load_note_types, write_starter_note_types
from addon.sync.markdown_side import MarkdownReader
from addon.sync.media import FieldConverter
from addon.sync.options import SyncOptions
from addon.sync.plan import Plan, Sides, make_plan
from addon.sync.plan_files import MIN_GUARDED_DELETIONS
from addon.sync.summary import SyncSummary

_FOLDER = Path(tempfile.mkdtemp(prefix="cc-plan-rules-"))
write_starter_note_types(_FOLDER)
TYPES = load_note_types(_FOLDER)
QA = next(t for t in TYPES if t.name == "MarkdownQA")
FIRST, SECOND = QA.fields[0].name, QA.fields[1].name
FILE, DECK = "Deck.md", "Deck"

# What became of a note on one side since the last sync.
KEPT, EDITED, DELETED, COPIED = "kept", "edited", "deleted", "copied"
WINNERS = ["markdown", "anki"]


class _Media:
    def read(self, name: str) -> bytes | None:
        return None

    def add(self, name: str, data: bytes) -> str:
        return name


@dataclass(frozen=True)
class History:
    had_base: bool
    markdown: str  # KEPT, EDITED, DELETED, or COPIED (its block twice in the file)
    anki: str  # KEPT, EDITED or DELETED

    def md_value(self, i: int) -> str:
        return f"markdown {i}" if self.markdown == EDITED else f"base {i}"

    def anki_value(self, i: int) -> str:
        return f"anki {i}" if self.anki == EDITED else f"base {i}"


histories = st.builds(
    History,
    st.booleans(),
    st.sampled_from([KEPT, EDITED, DELETED, COPIED]),
    st.sampled_from([KEPT, EDITED, DELETED]),
)


def _fields(first: str) -> dict[str, str]:
    return {FIRST: first, SECOND: "extra"}


def _sides(notes: list[History], moved_back: bool) -> tuple[Sides, SyncSummary, list[str]]:
    summary = SyncSummary()
    keys = [f"k{i}" for i in range(len(notes))]
    blocks: list[str] = []
    anki: dict[str, AnkiNote] = {}
    bases: dict[str, BaseNote] = {}
    for i, note in enumerate(notes):
        key = keys[i]
        if note.had_base:
            block = format_note(key, [], QA, _fields(f"base {i}"))
            bases[key] = new_base(
                key, 100 + i, QA.name, FILE, DECK, _fields(f"base {i}"),
                _fields(f"base {i}"), (), block,
            )  # fmt: skip
        if note.markdown != DELETED:
            block = format_note(key, [], QA, _fields(note.md_value(i)))
            blocks += [block, block] if note.markdown == COPIED else [block]
        if note.anki != DELETED:
            values = _fields(note.anki_value(i))
            anki[key] = AnkiNote(key, 100 + i, QA.name, DECK, values, ())
    raw = "\n---\n\n".join(blocks)
    text = parse_deck_text(raw, TYPES)
    files = {FILE: DeckFile(_FOLDER / FILE, DECK, text, raw.encode())}
    layout = DeckFolder(_FOLDER)
    markdown = MarkdownReader(layout, TYPES, files, summary).notes({}, bases)
    sides = Sides(
        files=files, skipped={}, unreadable=set(), deck_files={DECK: FILE},
        definitions={t.name: t for t in TYPES}, markdown=markdown, anki=anki, unkeyed=[],
        bases=bases, synced=len(bases), moved_back=moved_back,
        head_keys=frozenset(bases) if moved_back else frozenset(),
    )  # fmt: skip
    return sides, summary, keys


def _plan(
    notes: list[History], moved_back: bool, winner: str = "markdown", confirmed: bool = True
) -> tuple[Plan, SyncSummary, list[str]]:
    sides, summary, keys = _sides(notes, moved_back)
    options = SyncOptions(winner=winner, confirmed=confirmed)  # type: ignore[arg-type]
    convert = FieldConverter(_FOLDER, _Media(), set())
    return make_plan(sides, DeckFolder(_FOLDER), options, convert, summary), summary, keys


def _decided(plan: Plan, key: str) -> set[tuple[str, str]]:
    return {(d.side, d.action) for d in plan.decisions if d.key == key}


@settings(max_examples=300, deadline=None)
@given(st.lists(histories, min_size=1, max_size=6), st.booleans(), st.sampled_from(WINNERS))
def test_each_note_gets_what_the_contract_says(
    notes: list[History], moved_back: bool, winner: str
) -> None:
    plan, summary, keys = _plan(notes, moved_back, winner)
    updated = {u.note_id: u for u in plan.updates}
    for i, note in enumerate(notes):
        key = keys[i]
        decided = _decided(plan, key)
        md_there, anki_there = note.markdown != DELETED, note.anki != DELETED
        if note.markdown == COPIED:
            # A key used twice: reported, and the note is left alone on both sides.
            assert decided == set()
            assert any(f"note_key {key} is also used" in e for e in summary.errors)
            if note.had_base:
                assert plan.bases[key] is not None
            continue
        if not md_there and not anki_there:
            assert decided == set() and key not in plan.bases  # gone from both: forgotten
            continue
        if md_there and not anki_there:
            if note.had_base and not moved_back and note.markdown == KEPT:
                assert decided == {("markdown", "delete")}  # deleted in Anki
            else:  # new, edited since, or the collection moved back: never lost
                assert decided == {("anki", "create")}
            continue
        if anki_there and not md_there:
            if note.had_base and not moved_back and note.anki == KEPT:
                assert decided == {("anki", "delete")}  # deleted from the file
            else:
                assert decided == {("markdown", "create")}
            continue
        md_value, anki_value = note.md_value(i), note.anki_value(i)
        if md_value == anki_value:
            assert decided == set()  # both sides agree: nothing to do
        elif not note.had_base or (note.markdown == EDITED and note.anki == EDITED):
            # Changed on both sides (without a base every field counts as changed):
            # the winner is applied, and both versions are kept in the file.
            assert ("markdown", "conflict") in decided
            replaced = plan.edits[FILE].replace.values()
            assert any(md_value in text and anki_value in text for text in replaced)
            if winner == "markdown":
                assert updated[100 + i].fields == {FIRST: md_value}
            else:
                assert ("markdown", "update") in decided and 100 + i not in updated
        elif note.markdown == EDITED:
            assert decided == {("anki", "update")}
            assert updated[100 + i].fields == {FIRST: md_value}
        else:
            assert decided == {("markdown", "update")}
            edit = plan.edits[FILE]
            assert any(anki_value in text for text in edit.replace.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(histories, min_size=1, max_size=8))
def test_a_moved_back_collection_deletes_nothing(notes: list[History]) -> None:
    plan, summary, _ = _plan(notes, moved_back=True)
    assert not plan.removals
    assert not any(edit.remove for edit in plan.edits.values())
    assert not any(d.action == "delete" for d in plan.decisions)
    assert summary.anki.deleted == summary.markdown.deleted == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(histories, min_size=1, max_size=8), st.booleans())
def test_every_change_has_a_decision_and_a_reason(notes: list[History], moved_back: bool) -> None:
    plan, summary, _ = _plan(notes, moved_back)
    actions = [(d.side, d.action) for d in plan.decisions]
    assert all(d.reason for d in plan.decisions)
    assert actions.count(("anki", "create")) == len(plan.adds) == summary.anki.created
    assert actions.count(("anki", "delete")) == len(plan.removals) == summary.anki.deleted
    assert actions.count(("anki", "update")) == len(plan.updates) == summary.anki.updated
    assert actions.count(("markdown", "delete")) == summary.markdown.deleted
    assert actions.count(("markdown", "create")) == summary.markdown.created
    assert actions.count(("markdown", "update")) == summary.markdown.updated
    assert actions.count(("markdown", "conflict")) == summary.anki.conflicts
    removed = {d.key for d in plan.decisions if d.action == "delete"}
    assert not removed & {a.key for a in plan.adds}


@settings(max_examples=200, deadline=None)
@given(st.lists(histories, min_size=1, max_size=10))
def test_the_guard_stops_a_mass_deletion_until_confirmed(notes: list[History]) -> None:
    plan, summary, _ = _plan(notes, moved_back=False, confirmed=False)
    deletions = sum(1 for d in plan.decisions if d.action == "delete")
    share = SyncOptions().max_delete_share
    synced = sum(n.had_base for n in notes)
    must_stop = deletions >= MIN_GUARDED_DELETIONS and deletions > share * synced
    assert plan.stopped == must_stop == summary.stopped
    if must_stop:
        assert sum(d.notes for d in summary.pending_deletions) == deletions
        confirmed, _, _ = _plan(notes, moved_back=False, confirmed=True)
        assert not confirmed.stopped
