"""Against AnkiOps, the tool whose folders ours reads: its real command line from PyPI
(`ankiops fa`, files to Anki, through our server's AnkiOps connector) and our sync,
each a whole process, on copies of one AnkiOps folder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tools.bench import peers, samples
from tools.bench.folders import ROUNDS, sync_process
from tools.bench.measure import median, ratio


def bench_ankiops(work: Path, notes: int, files: int) -> dict[str, Any]:
    cli = peers.ankiops_cli(work)
    pristine = work / "pristine"
    pristine.mkdir()
    # AnkiOps links a folder to the profile it was made with: each round's collection
    # file has that name (a headless profile is named after its file).
    with peers.headless_serve(work / "bench.anki2") as port:
        peers.ankiops(cli, port, pristine, "init")
    samples.deck_files(pristine, notes, files, keys=False)
    seconds: dict[str, list[float]] = {"theirs": [], "theirs_noop": [], "ours": [], "ours_noop": []}
    for index in range(ROUNDS):
        theirs = work / f"theirs-{index}"
        shutil.copytree(pristine, theirs)
        collection = work / f"theirs-{index}-profile" / "bench.anki2"
        collection.parent.mkdir()
        with peers.headless_serve(collection) as port:
            first = peers.ankiops(cli, port, theirs, "fa")
            assert f"{notes} created" in first.output, first.output[-2000:]
            seconds["theirs"].append(first.seconds)
            seconds["theirs_noop"].append(peers.ankiops(cli, port, theirs, "fa").seconds)
        ours = work / f"ours-{index}"
        shutil.copytree(pristine, ours)
        collection = work / f"ours-{index}.anki2"
        first = sync_process(collection, "--folder", str(ours))
        assert f"Anki: {notes} created" in first.output, first.output[-2000:]
        seconds["ours"].append(first.seconds)
        sync_process(collection, "--folder", str(ours))  # the one right after a write
        seconds["ours_noop"].append(sync_process(collection, "--folder", str(ours)).seconds)
    found = {name: median(values) for name, values in seconds.items()}
    # Above 1: our sync does the work in less time than AnkiOps does.
    return {
        "ankiops_version": peers.ANKIOPS_VERSION,
        "notes": notes,
        "first_import_ours_vs_ankiops": ratio(found["theirs"], found["ours"]),
        "noop_ours_vs_ankiops": ratio(found["theirs_noop"], found["ours_noop"]),
        "ankiops_first_import_s": round(found["theirs"], 2),
        "ours_first_import_s": round(found["ours"], 2),
    }
