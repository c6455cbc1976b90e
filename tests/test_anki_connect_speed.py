"""No blow-up: a collection without SQLite statistics (new or imported) checks
duplicates as fast as an analysed one. Anki's per-note check scans every note there."""

from __future__ import annotations

import time
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId

from tests.test_anki_connect import Serve, ok


def pad(col: Collection, count: int) -> None:
    basic = col.models.by_name("Basic")
    assert basic is not None
    requests = []
    for i in range(count):
        note = col.new_note(basic)
        note["Front"], note["Back"] = f"other {i}", f"filler {i}"
        requests.append(AddNoteRequest(note, DeckId(1)))
    col.add_notes(requests)


def best_of_three(fn: Any) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def test_can_add_notes_needs_no_statistics(serve: Serve, col: Collection) -> None:
    pad(col, 20_000)
    served = serve()
    checks = [
        {"deckName": "Default", "modelName": "Basic", "fields": {"Front": f"other {i}"}}
        for i in range(0, 1_000, 2)
    ] + [
        {"deckName": "Default", "modelName": "Basic", "fields": {"Front": f"new {i}"}}
        for i in range(500)
    ]

    def check() -> None:
        assert ok(served, "canAddNotes", notes=checks) == [False] * 500 + [True] * 500

    assert col.db is not None
    col.db.execute("drop table if exists sqlite_stat1")
    col.db.execute("drop table if exists sqlite_stat4")
    without_statistics = best_of_three(check)
    col.db.execute("analyze")
    analysed = best_of_three(check)
    assert without_statistics < 3 * analysed, (without_statistics, analysed)
