"""The collector is paused while syncs run and comes back as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from addon.core.gc_pause import gc_paused
from addon.sync import engine, load
from addon.sync.engine import sync_vault


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_overlapping_syncs_resume_the_collector_only_when_the_last_ends(
    collector_on: None,
) -> None:
    first_in, second_done, first_out = threading.Event(), threading.Event(), threading.Event()

    def other_sync() -> None:
        with gc_paused():
            first_in.set()
            second_done.wait(5)
        first_out.set()

    thread = threading.Thread(target=other_sync)
    thread.start()
    first_in.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other one still runs
    second_done.set()
    first_out.wait(5)
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off(collector_on: None) -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_a_sync_runs_with_the_collector_paused_and_gives_it_back(
    col: Collection, tmp_path: Path, collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = load.load_sides

    def load_sides(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(engine, "load_sides", load_sides)
    (tmp_path / "note.md").write_text("#flashcards\n\nQ? :: A\n")
    with pytest.raises(ZeroDivisionError), gc_paused():
        raise ZeroDivisionError
    assert gc.isenabled()  # given back after an error too
    assert sync_vault(col, tmp_path).summary.anki.created == 1
    assert seen == [False] and gc.isenabled()
