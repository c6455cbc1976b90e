"""AnkiConnect-protocol batches against the raw `anki` calls that do the same work:
addNotes, notesInfo, canAddNotes and findNotes of `count` notes, and multi of 100 addNote
against the same 100 requests sent one by one. The same workloads run against any
server that speaks the protocol: ours headless, ours in Anki, or a peer. Each server's
runs and the raw calls' take turns, so both see the same moments of the machine's
other work, which shifts by more than their difference from one second to the next."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId
from anki.notes import Note

from tools.bench import peers
from tools.bench.measure import fastest_each, fastest_in_turns, ratio, unused_port
from tools.bench.samples import basic_notes

MULTI_NOTES = 100
FIND_QUERY = "tag:bench Front:word*"
# The reads of `count` notes are the fastest of a few runs; the workloads of a few
# milliseconds (findNotes, multi of 100 and the same 100 sent singly) of this many:
# one run of them is mostly what the machine's other work added to it. Each run that
# adds notes adds notes of its own.
READ_REPEATS = 3
SHORT_REPEATS = 7

Seconds = dict[str, float]


def checks(count: int) -> list[dict[str, Any]]:
    """canAddNotes' input: half the notes repeat ones already there."""
    return basic_notes(count // 2) + basic_notes(count - count // 2, "new")


def batches(prefix: str) -> list[list[dict[str, Any]]]:
    """New notes for each run of a short workload that adds them."""
    return [basic_notes(MULTI_NOTES, f"{prefix}{run}") for run in range(SHORT_REPEATS)]


class RawCalls:
    """The raw `anki` calls that do each workload's work, on a collection of their own."""

    def __init__(self, path: Path) -> None:
        self.col = Collection(str(path))
        basic = self.col.models.by_name("Basic")
        assert basic is not None
        self.basic = basic

    def new_note(self, spec: dict[str, Any]) -> Note:
        note = self.col.new_note(self.basic)
        note["Front"], note["Back"] = spec["fields"]["Front"], spec["fields"]["Back"]
        return note

    def add(self, specs: list[dict[str, Any]]) -> None:
        requests = []
        for spec in specs:
            note = self.new_note(spec)
            note.tags = list(spec["tags"])
            requests.append(AddNoteRequest(note, DeckId(1)))
        self.col.add_notes(requests)

    def info(self, ids: list[Any]) -> None:
        for note_id in ids:
            note = self.col.get_note(note_id)
            note.note_type()
            note.items()
            self.col.card_ids_of_note(note_id)

    def fields_check(self, specs: list[dict[str, Any]]) -> None:
        for spec in specs:
            self.new_note(spec).fields_check()

    def find(self) -> None:
        self.col.find_notes(FIND_QUERY)

    def close(self) -> None:
        self.col.close()


def workloads(call: peers.Call, count: int, raw_path: Path) -> tuple[Seconds, Seconds]:
    """Seconds of each workload on a server whose collection starts without these notes,
    and of the raw calls doing the same work on a new collection, in turns with it."""
    raw = RawCalls(raw_path)
    try:
        return _in_turns(call, count, raw)
    finally:
        raw.close()


def _in_turns(call: peers.Call, count: int, raw: RawCalls) -> tuple[Seconds, Seconds]:
    ours: Seconds = {}
    floor: Seconds = {}

    def turns(
        name: str, server: Callable[[Any], Any], floor_side: Callable[[Any], Any],
        inputs: Callable[[], list[Any]],
    ) -> None:  # fmt: skip
        ours[name], floor[name] = fastest_in_turns([(server, inputs()), (floor_side, inputs())])

    def repeated(make: Callable[[], Any], times: int) -> Callable[[], list[Any]]:
        return lambda: [make() for _ in range(times)]

    added: list[int] = []
    turns(
        "addNotes",
        lambda notes: added.extend(call("addNotes", notes=notes)),
        raw.add,
        repeated(lambda: basic_notes(count), 1),
    )
    assert None not in added and len(added) == count
    raw_ids = list(raw.col.find_notes(""))
    turns(
        "notesInfo",
        lambda ids: call("notesInfo", notes=ids),
        lambda _ids: raw.info(raw_ids),
        repeated(lambda: added, READ_REPEATS),
    )
    assert raw.col.db is not None
    raw.col.db.execute("analyze")
    turns(
        "canAddNotes",
        lambda specs: call("canAddNotes", notes=specs),
        raw.fields_check,
        repeated(lambda: checks(count), READ_REPEATS),
    )
    turns(
        "findNotes",
        lambda query: call("findNotes", query=query),
        lambda _query: raw.find(),
        repeated(lambda: FIND_QUERY, SHORT_REPEATS),
    )
    turns(
        "multi",
        lambda actions: call("multi", actions=actions),
        lambda actions: raw.add([action["params"]["note"] for action in actions]),
        lambda: [
            [{"action": "addNote", "params": {"note": spec}} for spec in batch]
            for batch in batches("multi")
        ],
    )
    ours["singles"] = fastest_each(
        lambda specs: [call("addNote", note=spec) for spec in specs], batches("single")
    )
    return ours, floor


def ratios(prefix: str, seconds: Seconds, floor: Seconds) -> dict[str, float]:
    """Throughput against the raw calls (1.0 = as fast as raw; higher is better), and
    multi against the same requests sent singly."""
    found = {f"{prefix}_{name}_vs_raw": ratio(floor[name], seconds[name]) for name in floor}
    found[f"{prefix}_multi_vs_singles"] = ratio(seconds["singles"], seconds["multi"])
    return found


def bench_anki_connect(work: Path, count: int, anki_connect: Path | None) -> dict[str, Any]:
    """The workloads on our server headless and in real Anki, and on AnkiConnect in real
    Anki when its add-on folder is given, each against the raw calls in turns with it."""
    col = Collection(str(work / "headless.anki2"))
    try:
        with peers.server_on(col) as port, peers.client(port) as call:
            headless = workloads(call, count, work / "raw-headless.anki2")
    finally:
        col.close()
    results: dict[str, Any] = ratios("headless", *headless)
    ours, floor = _in_anki(work, "ours", count, peers.our_addon)
    results.update(ratios("in_anki", ours, floor))
    if anki_connect is None:
        results["anki_connect_peer"] = "not run: give --anki-connect-addon DIR"
        return results
    theirs, floor = _in_anki(
        work, "peer", count, lambda base, port: peers.anki_connect_addon(anki_connect, base, port)
    )
    results.update(ratios("anki_connect_in_anki", theirs, floor))
    for name, seconds in ours.items():
        # Above 1: ours does the same work in less time.
        results[f"in_anki_{name}_vs_anki_connect"] = ratio(theirs[name], seconds)
    return results


def _in_anki(
    work: Path, name: str, count: int, install: Callable[[Path, int], None]
) -> tuple[Seconds, Seconds]:
    port = unused_port()
    base = work / f"anki-{name}"
    (base / "addons21").mkdir(parents=True)
    install(base, port)
    with peers.real_anki(base, port), peers.client(port) as call:
        return workloads(call, count, work / f"raw-{name}.anki2")
