"""AnkiConnect-protocol batches against the raw `anki` calls that do the same work:
addNotes, notesInfo, canAddNotes and findNotes of `count` notes, and multi of 100 addNote
against the same 100 requests sent one by one. The same workloads run against any
server that speaks the protocol: ours headless, ours in Anki, or a peer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId

from tools.bench import peers
from tools.bench.measure import fastest, fastest_each, ratio, timed, unused_port
from tools.bench.samples import basic_notes

MULTI_NOTES = 100
FIND_QUERY = "tag:bench Front:word*"
# The workloads of a few milliseconds (findNotes, multi of 100 and the same 100 sent
# singly) are the fastest of this many runs, on both sides: one run of them is mostly
# what the machine's other work added to it. Each multi run adds notes of its own.
SHORT_REPEATS = 7


def checks(count: int) -> list[dict[str, Any]]:
    """canAddNotes' input: half the notes repeat ones already there."""
    return basic_notes(count // 2) + basic_notes(count - count // 2, "new")


def workloads(call: peers.Call, count: int) -> dict[str, float]:
    """Seconds of each workload on a server whose collection starts without these notes."""
    notes = basic_notes(count)
    added: list[int] = []
    seconds = {"addNotes": timed(lambda: added.extend(call("addNotes", notes=notes)))}
    assert None not in added and len(added) == count
    seconds["notesInfo"] = fastest(lambda: call("notesInfo", notes=added))
    seconds["canAddNotes"] = fastest(lambda: call("canAddNotes", notes=checks(count)))
    seconds["findNotes"] = fastest(lambda: call("findNotes", query=FIND_QUERY), SHORT_REPEATS)
    multis = [
        [{"action": "addNote", "params": {"note": spec}} for spec in batch]
        for batch in batches("multi")
    ]
    seconds["multi"] = fastest_each(lambda actions: call("multi", actions=actions), multis)
    seconds["singles"] = fastest_each(
        lambda specs: [call("addNote", note=spec) for spec in specs], batches("single")
    )
    return seconds


def batches(prefix: str) -> list[list[dict[str, Any]]]:
    """New notes for each run of a short workload that adds them."""
    return [basic_notes(MULTI_NOTES, f"{prefix}{run}") for run in range(SHORT_REPEATS)]


def raw_floor(path: Path, count: int) -> dict[str, float]:
    """Seconds of the raw calls that do each workload's work, on a collection file."""
    col = Collection(str(path))
    try:
        basic = col.models.by_name("Basic")
        assert basic is not None

        def add(specs: list[dict[str, Any]]) -> None:
            requests = []
            for spec in specs:
                note = col.new_note(basic)
                note["Front"], note["Back"] = spec["fields"]["Front"], spec["fields"]["Back"]
                note.tags = list(spec["tags"])
                requests.append(AddNoteRequest(note, DeckId(1)))
            col.add_notes(requests)

        def fields_check(specs: list[dict[str, Any]]) -> None:
            for spec in specs:
                note = col.new_note(basic)
                note["Front"], note["Back"] = spec["fields"]["Front"], spec["fields"]["Back"]
                note.fields_check()

        def info(ids: list[Any]) -> None:
            for note_id in ids:
                note = col.get_note(note_id)
                note.note_type()
                note.items()
                col.card_ids_of_note(note_id)

        seconds = {"addNotes": timed(lambda: add(basic_notes(count)))}
        ids = list(col.find_notes(""))
        seconds["notesInfo"] = fastest(lambda: info(ids))
        assert col.db is not None
        col.db.execute("analyze")
        seconds["canAddNotes"] = fastest(lambda: fields_check(checks(count)))
        seconds["findNotes"] = fastest(lambda: col.find_notes(FIND_QUERY), SHORT_REPEATS)
        seconds["multi"] = fastest_each(add, batches("multi"))
        return seconds
    finally:
        col.close()


def ratios(prefix: str, seconds: dict[str, float], raw: dict[str, float]) -> dict[str, float]:
    """Throughput against the raw calls (1.0 = as fast as raw; higher is better), and
    multi against the same requests sent singly."""
    found = {f"{prefix}_{name}_vs_raw": ratio(raw[name], seconds[name]) for name in raw}
    found[f"{prefix}_multi_vs_singles"] = ratio(seconds["singles"], seconds["multi"])
    return found


def bench_anki_connect(work: Path, count: int, anki_connect: Path | None) -> dict[str, Any]:
    """The workloads on our server headless and in real Anki, and on AnkiConnect in real
    Anki when its add-on folder is given, against the raw calls timed first."""
    raw = raw_floor(work / "raw.anki2", count)
    col = Collection(str(work / "headless.anki2"))
    try:
        with peers.server_on(col) as port, peers.client(port) as call:
            results: dict[str, Any] = ratios("headless", workloads(call, count), raw)
    finally:
        col.close()
    ours = _in_anki(work / "anki-ours", count, peers.our_addon)
    results.update(ratios("in_anki", ours, raw))
    if anki_connect is None:
        results["anki_connect_peer"] = "not run: give --anki-connect-addon DIR"
        return results
    theirs = _in_anki(
        work / "anki-peer",
        count,
        lambda base, port: peers.anki_connect_addon(anki_connect, base, port),
    )
    results.update(ratios("anki_connect_in_anki", theirs, raw))
    for name, seconds in ours.items():
        # Above 1: ours does the same work in less time.
        results[f"in_anki_{name}_vs_anki_connect"] = ratio(theirs[name], seconds)
    return results


def _in_anki(base: Path, count: int, install: Callable[[Path, int], None]) -> dict[str, float]:
    port = unused_port()
    (base / "addons21").mkdir(parents=True)
    install(base, port)
    with peers.real_anki(base, port), peers.client(port) as call:
        return workloads(call, count)
