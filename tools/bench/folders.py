"""First import and no-op of a deck folder and of a vault, each the whole
`python -m addon sync` process with process start and collection open subtracted,
against raw `col.add_notes` of the very notes that sync wrote, in the same run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import Collection

from addon.sync.engine import sync_folder
from addon.sync.folder import write_starter_note_types
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary
from tools.bench import samples
from tools.bench.measure import Process, median, python, ratio, run_process, timed, unused_port

# Python, anki and the collection file: what every process pays before any sync work.
STARTUP = "import sys; from anki.collection import Collection; Collection(sys.argv[1]).close()"
# The machine's speed moves by a third from one half minute to the next: each round's
# ratio is taken from its own processes, the raw one run right after the import, and
# the figure is the median of the rounds' ratios.
ROUNDS = 5


def sync_process(collection: Path, *target: str) -> Process:
    # A port nothing listens on: the command line finds no running Anki and opens the file.
    return run_process(
        python("-m", "addon", "sync", "--collection", str(collection), *target,
               "--yes", "--port", str(unused_port()))
    )  # fmt: skip


def written_notes(collection: Path) -> list[dict[str, Any]]:
    """What a sync wrote: each note's type (by name: each collection numbers its own),
    fields, tags and deck."""
    col = Collection(str(collection))
    try:
        assert col.db is not None
        rows = col.db.all(
            "select n.mid, n.flds, n.tags, min(c.did) from notes n"
            " join cards c on c.nid = n.id group by n.id"
        )
        decks = {did: col.decks.name(did) for did in {row[3] for row in rows}}
        types = {mid: col.models.get(mid)["name"] for mid in {row[0] for row in rows}}  # type: ignore[index]
        return [
            {"type": types[mid], "fields": flds.split("\x1f"), "tags": tags.split(),
             "deck": decks[did]}
            for mid, flds, tags, did in rows
        ]  # fmt: skip
    finally:
        col.close()


def raw_add_process(types_only: Path, notes: list[dict[str, Any]], work: Path) -> Process:
    target = work / "raw.anki2"
    shutil.copy(types_only, target)
    notes_file = work / "notes.json"
    notes_file.write_text(json.dumps(notes), encoding="utf-8")
    return run_process(python("-m", "tools.bench.raw_add", str(target), str(notes_file)))


@dataclass
class Rounds:
    first: list[float]
    noop_after_write: list[float]
    noop: list[float]
    startup: list[float]
    raw: list[float]
    first_peak_mb: list[float]
    raw_peak_mb: list[float]

    def per_round(self, seconds: list[float]) -> float:
        """The median over the rounds of each round's ratio to its own raw floor."""
        return median(
            [(s - start) / raw for s, start, raw in zip(seconds, self.startup, self.raw)]
        )

    def ratios(self, prefix: str) -> dict[str, Any]:
        start, raw = median(self.startup), median(self.raw)
        return {
            f"{prefix}_first_import_vs_raw_add_notes": round(self.per_round(self.first), 2),
            f"{prefix}_noop_right_after_it_vs_raw_add_notes": round(
                self.per_round(self.noop_after_write), 2
            ),
            f"{prefix}_noop_vs_raw_add_notes": round(self.per_round(self.noop), 2),
            f"{prefix}_raw_add_notes_s": round(raw, 3),
            f"{prefix}_process_start_and_open_s": round(start, 3),
            f"{prefix}_first_import_peak_mb": round(median(self.first_peak_mb)),
            f"{prefix}_raw_add_notes_process_peak_mb": round(median(self.raw_peak_mb)),
        }


def measure(work: Path, pristine: Path, target_flag: str, types_only: Path) -> Rounds:
    rounds = Rounds([], [], [], [], [], [], [])
    for index in range(ROUNDS):
        here = work / f"round-{index}"
        here.mkdir()
        tree = here / "tree"
        shutil.copytree(pristine, tree)
        collection = here / "ours.anki2"
        first = sync_process(collection, target_flag, str(tree))
        rounds.first.append(first.seconds)
        rounds.first_peak_mb.append(first.peak_mb)
        raw = raw_add_process(types_only, written_notes(collection), here)
        rounds.raw.append(json.loads(raw.output.strip().splitlines()[-1])["seconds"])
        rounds.raw_peak_mb.append(raw.peak_mb)
        opened = here / "opened.anki2"
        shutil.copy(types_only, opened)
        rounds.startup.append(run_process(python("-c", STARTUP, str(opened))).seconds)
        rounds.noop_after_write.append(sync_process(collection, target_flag, str(tree)).seconds)
        rounds.noop.append(sync_process(collection, target_flag, str(tree)).seconds)
    return rounds


def note_types_only(work: Path, target_flag: str, make_empty: Callable[[Path], object]) -> Path:
    """A collection with the note types a sync makes and no notes, for the raw floor."""
    empty = work / "types-only-tree"
    empty.mkdir()
    make_empty(empty)
    collection = work / "types-only.anki2"
    sync_process(collection, target_flag, str(empty))
    return collection


def _sync(col: Collection, folder: Path) -> SyncSummary:
    summary = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    assert summary.ok, summary.text()
    return summary


def later_steps(collection: Path, folder: Path, work: Path, notes: int) -> dict[str, float]:
    """Later syncs of an imported folder, in this process: seconds of each."""
    col = Collection(str(collection))
    try:
        deck = next(folder.glob("*.md"))
        deck.write_text(deck.read_text().replace("Plain answer", "Edited answer", 1))
        one_md = timed(lambda: _sync(col, folder))
        edited = []
        for note_id in col.find_notes("note:MarkdownQA")[:100]:
            note = col.get_note(note_id)
            note["Answer"] = note["Answer"] + " <b>edited in Anki</b>"
            edited.append(note)
        col.update_notes(edited)
        hundred_anki = timed(lambda: _sync(col, folder))
        empty = work / "export-folder"
        empty.mkdir()
        exported: list[SyncSummary] = []
        export = timed(lambda: exported.append(_sync(col, empty)))
        assert exported[0].markdown.created == notes, exported[0].text()
    finally:
        col.close()
    return {"one_note_edited_in_markdown": one_md, "hundred_notes_edited_in_anki": hundred_anki,
            "first_export": export}  # fmt: skip


def bench_folder(work: Path, notes: int, files: int) -> dict[str, Any]:
    pristine = work / "pristine"
    samples.markdown_folder(pristine, notes, files, keys=False)
    types_only = note_types_only(work, "--folder", write_starter_note_types)
    rounds = measure(work, pristine, "--folder", types_only)
    results: dict[str, Any] = {"notes": notes, "files": files, **rounds.ratios("folder")}
    last = work / f"round-{ROUNDS - 1}"
    raw = median(rounds.raw)
    for step, seconds in later_steps(last / "ours.anki2", last / "tree", work, notes).items():
        results[f"folder_{step}_vs_raw_add_notes"] = ratio(seconds, raw)
    return results


def bench_vault(work: Path, notes: int, cards: int) -> dict[str, Any]:
    pristine = work / "pristine"
    samples.vault(pristine, notes, cards)
    types_only = note_types_only(work, "--vault", lambda _: None)
    rounds = measure(work, pristine, "--vault", types_only)
    return {"vault_notes": notes, "vault_cards": cards, **rounds.ratios("vault")}
