"""Benchmarks: `make bench`. Each figure is a ratio to raw `anki` calls doing the same
work in the same run, because these machines are shared and bare times are noise.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addon.api.app import Application  # noqa: E402
from addon.api.context import ApiContext  # noqa: E402
from addon.core.cards import parse_cards  # noqa: E402
from addon.core.config import Config  # noqa: E402
from addon.core.deck_text import DEFAULT_SEPARATOR, format_note  # noqa: E402
from addon.core.markdown import render  # noqa: E402
from addon.server import ContextServer  # noqa: E402
from addon.store.notetypes import note_types  # noqa: E402
from addon.store.runner import LockedCollection  # noqa: E402
from addon.sync.engine import sync_folder, sync_vault  # noqa: E402
from addon.sync.folder import load_folder, write_starter_note_types  # noqa: E402
from addon.sync.options import SyncOptions  # noqa: E402
from addon.sync.summary import SyncSummary  # noqa: E402

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def cards(count: int, revision: str = "") -> list[dict[str, Any]]:
    return [
        {
            "id": f"bench-{i}",
            "front": f"Question {i}: what is <b>{i}</b> squared?{revision}",
            "back": f"{i * i}",
            "tags": [f"deck:bench/part {i % 10}", "bench"],
            "context": {
                "title": f"Document {i % 50}",
                "url": f"https://example.org/{i % 50}",
                "highlight": f"the square of {i}",
                "page": i % 300,
            },
        }
        for i in range(count)
    ]


@contextmanager
def server_on(col: Collection) -> Iterator[int]:
    config = Config(port=0, anki_connect_port=None, max_body_mb=512)
    server = ContextServer(config, Application(ApiContext(config, LockedCollection(col))))
    server.start()
    try:
        yield server.port
    finally:
        server.stop()


def post(conn: http.client.HTTPConnection, payload: Any) -> dict[str, Any]:
    conn.request("POST", "/v1/cards", json.dumps(payload), {"Content-Type": "application/json"})
    response = conn.getresponse()
    body: dict[str, Any] = json.loads(response.read())
    assert response.status == 200, body
    return body


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def raw_add_notes(col: Collection, payload: list[dict[str, Any]]) -> float:
    """The baseline: the same notes (fields, tags, decks) through col.add_notes."""
    incoming = parse_cards(payload, Config())
    notetype = note_types(col)["basic"]

    def add() -> None:
        names = {card.deck for card in incoming if card.deck is not None}
        decks = {name: col.decks.id(name, create=True) for name in names}
        requests = []
        for card in incoming:
            note = col.new_note(notetype)
            for name, value in card.fields.items():
                note[name] = value
            note.tags = card.tags
            deck_id = decks[card.deck] if card.deck is not None else None
            requests.append(AddNoteRequest(note, DeckId(deck_id or 1)))
        col.add_notes(requests)

    return timed(add)


def raw_update_notes(col: Collection) -> float:
    assert col.db is not None
    notes = [col.get_note(nid) for nid in col.find_notes("")]

    def update() -> None:
        for note in notes:
            note["Back"] += " (raw)"
        col.update_notes(notes)

    return timed(update)


def bench_api(work: Path, count: int, singles: int) -> dict[str, Any]:
    payload = cards(count)
    baseline = Collection(str(work / "raw.anki2"))
    raw_add = raw_add_notes(baseline, payload)
    raw_update = raw_update_notes(baseline)
    baseline.close()

    col = Collection(str(work / "api.anki2"))
    with server_on(col) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        created: dict[str, Any] = {}
        new_batch = timed(lambda: created.update(post(conn, {"cards": payload})))
        assert created["created"] == count
        resent: dict[str, Any] = {}
        unchanged = timed(lambda: resent.update(post(conn, {"cards": payload})))
        assert resent["unchanged"] == count
        changed: dict[str, Any] = {}
        updated = timed(lambda: changed.update(post(conn, {"cards": cards(count, " (v2)")})))
        assert changed["updated"] == count
        latencies = []
        for i in range(singles):
            card = cards(1)[0] | {"id": f"single-{i}"}
            start = time.perf_counter()
            post(conn, card)
            latencies.append(time.perf_counter() - start)
        conn.close()
    col.close()
    p50 = statistics.median(latencies)
    return {
        "cards": count,
        "raw_add_notes_s": round(raw_add, 3),
        "raw_update_notes_s": round(raw_update, 3),
        "post_new_s": round(new_batch, 3),
        "post_new_throughput_vs_raw_add": round(raw_add / new_batch, 2),
        "post_unchanged_s": round(unchanged, 3),
        "post_unchanged_time_vs_raw_add": round(unchanged / raw_add, 2),
        "post_changed_s": round(updated, 3),
        "post_changed_throughput_vs_raw_update": round(raw_update / updated, 2),
        "single_posts": singles,
        "single_post_p50_ms": round(p50 * 1000, 2),
        "single_post_p90_ms": round(sorted(latencies)[int(len(latencies) * 0.9)] * 1000, 2),
        "single_post_p50_vs_raw_add_per_note": round(p50 / (raw_add / count), 1),
    }


def anki_connect(conn: http.client.HTTPConnection, action: str, **params: Any) -> Any:
    conn.request("POST", "/", json.dumps({"action": action, "version": 6, "params": params}))
    answer: dict[str, Any] = json.loads(conn.getresponse().read())
    assert answer["error"] is None, answer
    return answer["result"]


FIND_COLLECTION_NOTES = 50_000


def pad_collection(col: Collection, extra: int) -> None:
    """Other notes around the ones a client searches for, as in a real collection."""
    basic = col.models.by_name("Basic")
    assert basic is not None
    requests = []
    for i in range(max(extra, 0)):
        note = col.new_note(basic)
        note["Front"], note["Back"] = f"other {i}", f"filler {i}"
        requests.append(AddNoteRequest(note, DeckId(1)))
    col.add_notes(requests)


def basic_notes(count: int, prefix: str = "word") -> list[dict[str, Any]]:
    return [
        {
            "deckName": "Default",
            "modelName": "Basic",
            "tags": ["bench"],
            "fields": {"Front": f"{prefix} {i}", "Back": f"meaning {i}"},
        }
        for i in range(count)
    ]


def raw_fields_check(col: Collection, specs: list[dict[str, Any]]) -> None:
    """The baseline for canAddNotes: Anki's own check of each note."""
    basic = col.models.by_name("Basic")
    assert basic is not None
    for spec in specs:
        note = col.new_note(basic)
        note["Front"], note["Back"] = spec["fields"]["Front"], spec["fields"]["Back"]
        note.fields_check()


MULTI_NOTES = 100


def bench_anki_connect(work: Path, count: int) -> dict[str, Any]:
    """addNotes / notesInfo / findNotes / canAddNotes / multi against the raw calls (or
    the batch action) on the same notes."""
    notes = basic_notes(count)
    raw = Collection(str(work / "raw-ac.anki2"))
    basic = raw.models.by_name("Basic")
    assert basic is not None

    def raw_add() -> None:
        requests = []
        for spec in notes:
            note = raw.new_note(basic)
            note["Front"], note["Back"] = spec["fields"]["Front"], spec["fields"]["Back"]
            note.tags = ["bench"]
            requests.append(AddNoteRequest(note, DeckId(1)))
        raw.add_notes(requests)

    raw_add_s = timed(raw_add)
    ids = list(raw.find_notes(""))
    raw_info_s = timed(lambda: [(raw.get_note(i), raw.card_ids_of_note(i)) for i in ids])
    raw.close()

    col = Collection(str(work / "ac.anki2"))
    with server_on(col) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        added: list[Any] = []
        add_s = timed(lambda: added.extend(anki_connect(conn, "addNotes", notes=notes)))
        assert None not in added
        info_s = timed(lambda: anki_connect(conn, "notesInfo", notes=added))
        # multi of single addNote actions against one addNotes of as many other notes.
        batch_s = timed(lambda: anki_connect(conn, "addNotes", notes=basic_notes(MULTI_NOTES, "b")))
        singles = [
            {"action": "addNote", "version": 6, "params": {"note": spec}}
            for spec in basic_notes(MULTI_NOTES, "m")
        ]
        multi_s = timed(lambda: anki_connect(conn, "multi", actions=singles))
        # findNotes on a FIND_COLLECTION_NOTES-note collection, raw and through the API.
        pad_collection(col, FIND_COLLECTION_NOTES - count)
        query = "tag:bench Front:word*"
        raw_find_s = timed(lambda: col.find_notes(query))
        find_s = timed(lambda: anki_connect(conn, "findNotes", query=query))
        # canAddNotes: half the notes repeat existing ones. First without SQLite's
        # statistics (a new or imported collection), then analysed.
        checks = basic_notes(count // 2) + basic_notes(count - count // 2, "new")
        assert col.db is not None
        col.db.execute("drop table if exists sqlite_stat1")
        col.db.execute("drop table if exists sqlite_stat4")
        can_cold_s = timed(lambda: anki_connect(conn, "canAddNotes", notes=checks))
        raw_check_cold_s = timed(lambda: raw_fields_check(col, checks))
        col.db.execute("analyze")
        can_s = timed(lambda: anki_connect(conn, "canAddNotes", notes=checks))
        raw_check_s = timed(lambda: raw_fields_check(col, checks))
        conn.close()
    col.close()
    return {
        "notes": count,
        "find_collection_notes": FIND_COLLECTION_NOTES,
        "addNotes_throughput_vs_raw_add_notes": round(raw_add_s / add_s, 2),
        "notesInfo_throughput_vs_raw_get_note_and_card_ids": round(raw_info_s / info_s, 2),
        "findNotes_throughput_vs_raw_find_notes": round(raw_find_s / find_s, 2),
        "multi_of_100_addNote_throughput_vs_one_addNotes": round(batch_s / multi_s, 2),
        "canAddNotes_throughput_vs_raw_fields_check": round(raw_check_s / can_s, 2),
        "canAddNotes_without_statistics_throughput_vs_raw_fields_check": round(
            raw_check_cold_s / can_cold_s, 2
        ),
        "raw_add_notes_s": round(raw_add_s, 3),
        "addNotes_s": round(add_s, 3),
        "canAddNotes_without_statistics_s": round(can_cold_s, 3),
        "raw_fields_check_without_statistics_s": round(raw_check_cold_s, 3),
    }


def bench_real_anki(work: Path, singles: int) -> dict[str, Any]:
    """Single addNote requests to the add-on inside real Anki (offscreen) showing its
    deck list, against raw col.add_note of one note at a time, headless."""
    from tools.launch_anki import ADDON_FOLDER, anki_command, anki_environment, seed_profile

    base = work / "base"
    seed_profile(base)
    addon = base / "addons21" / ADDON_FOLDER
    shutil.copytree(ROOT, addon, ignore=shutil.ignore_patterns(".*", "dist", "__pycache__"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    (addon / "meta.json").write_text(json.dumps({"config": {"port": port}}))
    anki = subprocess.Popen(
        anki_command(base),
        env=anki_environment(offscreen=True),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                anki_connect(conn, "version")
                break
            except OSError:
                if time.monotonic() > deadline or anki.poll() is not None:
                    raise RuntimeError("Anki did not start serving") from None
                time.sleep(0.5)
        latencies = []
        for i in range(singles):
            note = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": f"s{i}"}}
            latencies.append(timed(lambda note=note: anki_connect(conn, "addNote", note=note)))
        anki_connect(conn, "guiExitAnki")
        conn.close()
        anki.wait(timeout=60)
    finally:
        if anki.poll() is None:
            anki.kill()
            anki.wait()
    raw = Collection(str(work / "raw-single.anki2"))
    basic = raw.models.by_name("Basic")
    assert basic is not None
    raw_latencies = []
    for i in range(singles):
        raw_note = raw.new_note(basic)
        raw_note["Front"] = f"s{i}"
        raw_latencies.append(timed(lambda n=raw_note: raw.add_note(n, DeckId(1))))
    raw.close()
    p50, raw_p50 = statistics.median(latencies), statistics.median(raw_latencies)
    return {
        "single_addNote_requests": singles,
        "single_addNote_in_anki_p50_ms": round(p50 * 1000, 2),
        "raw_add_note_p50_ms": round(raw_p50 * 1000, 2),
        "single_addNote_in_anki_p50_vs_raw_add_note": round(p50 / raw_p50, 1),
    }


def _markdown_folder(folder: Path, notes: int, files: int, keys: bool = True) -> None:
    """A folder like a real one: most fields plain text, some with Markdown, clozes,
    an image in every 50th note."""
    write_starter_note_types(folder)
    (folder / "media").mkdir(exist_ok=True)
    for image in range(100):
        (folder / "media" / f"figure-{image}.png").write_bytes(PNG + image.to_bytes(2, "big"))
    per_file = notes // files
    for f in range(files):
        blocks = []
        for i in range(per_file):
            n = f * per_file + i
            if n % 50 == 3:
                blocks.append(f"Q: Figure {n}?\nA: ![figure](media/figure-{n % 100}.png)\n")
            elif n % 5 == 0:
                blocks.append(
                    f"T: The {{{{c1::answer {n}}}}} is **bold** and `code`\nE: extra {n}\n"
                )
            elif n % 5 == 1:
                blocks.append(f"Q: List {n}?\nA: - one\n- two *three*\n")
            else:
                blocks.append(f"Q: Plain question number {n}\nA: Plain answer {n}\n")
        text = DEFAULT_SEPARATOR.join(
            (f"<!-- note_key: k{f}-{i} -->\n" if keys else "") + b for i, b in enumerate(blocks)
        )
        (folder / f"Deck {f:03}__Sub.md").write_text(text, encoding="utf-8")


def raw_add_seconds(path: Path, count: int) -> float:
    """The yardstick: `col.add_notes` of as many plain notes, in one call."""
    raw = Collection(str(path))
    basic = raw.models.by_name("Basic")
    assert basic is not None

    def raw_add() -> None:
        requests = []
        for i in range(count):
            note = raw.new_note(basic)
            note["Front"], note["Back"] = f"Plain question number {i}", f"Plain answer {i}"
            requests.append(AddNoteRequest(note, DeckId(1)))
        raw.add_notes(requests)

    try:
        return timed(raw_add)
    finally:
        raw.close()


def _sync(col: Collection, folder: Path) -> SyncSummary:
    summary = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    assert summary.ok, summary.text()
    return summary


def _peak_child_mb(collection: Path, folder: Path) -> float:
    """Peak memory of a headless sync process (the backend's memory included)."""
    subprocess.run(
        [sys.executable, "-m", "addon", "sync", "--collection", str(collection),
         "--folder", str(folder), "--yes"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_sync(work: Path, notes: int, files: int) -> dict[str, Any]:
    """The two-way sync on a folder of `notes` notes with images, each step as a ratio
    to raw add_notes of as many notes, timed in the same run."""
    folder = work / "sync-folder"
    folder.mkdir()
    _markdown_folder(folder, notes, files, keys=False)
    pristine = work / "sync-pristine"
    shutil.copytree(folder, pristine)
    raw_s = raw_add_seconds(work / "raw-sync.anki2", notes)
    col = Collection(str(work / "sync.anki2"))
    results: dict[str, Any] = {"notes": notes, "files": files}
    try:
        first = timed(lambda: _sync(col, folder))
        noop = timed(lambda: _sync(col, folder))
        deck = next(folder.glob("*.md"))
        deck.write_text(deck.read_text().replace("Plain answer", "Edited answer", 1))
        one_md = timed(lambda: _sync(col, folder))
        note_ids = col.find_notes("note:MarkdownQA")[:100]
        edited = []
        for note_id in note_ids:
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
    peak_mb = _peak_child_mb(work / "memory-import.anki2", pristine)
    results.update(
        {
            "first_import_vs_raw_add_notes": round(first / raw_s, 2),
            "noop_sync_vs_raw_add_notes": round(noop / raw_s, 2),
            "one_note_edited_in_markdown_vs_raw_add_notes": round(one_md / raw_s, 2),
            "hundred_notes_edited_in_anki_vs_raw_add_notes": round(hundred_anki / raw_s, 2),
            "first_export_vs_raw_add_notes": round(export / raw_s, 2),
            "first_import_notes_per_s": round(notes / first),
            "raw_add_notes_s": round(raw_s, 3),
            "peak_memory_mb_first_import_process": round(peak_mb),
        }
    )
    return results


def _vault(root: Path, notes: int, cards: int) -> None:
    """A vault like a real one: notes of prose in folders, a few marked cards in each
    (one-line, `?` and cloze), headings, links and code that are not cards."""
    per_note = cards // notes
    for index in range(notes):
        folder = root / f"topic{index % 50}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [
            f"---\ntitle: Note {index}\ntags: [flashcards, zettel]\n---\n",
            f"# Note {index}\n",
            f"Some prose about idea {index}, linking [[Note {index + 1}]] and more words "
            "that are not cards at all.\n",
        ]
        for card in range(per_note):
            kind = card % 4
            if kind == 0:
                lines.append(f"What is idea {index}-{card}? :: It is **idea** {index}-{card}\n")
            elif kind == 1:
                lines.append(f"## Part {card}\n\nExplain {index}-{card}\n?\nBecause of `x`\n")
            elif kind == 2:
                lines.append(f"The ==answer {index}-{card}== is in a highlight.\n")
            else:
                lines.append(f"- Term {index}-{card} ::: definition {card}\n")
        lines.append("```python\nprint('a :: b')\n```\n")
        (folder / f"Note {index}.md").write_text("\n".join(lines))


def _sync_vault(col: Collection, vault: Path) -> SyncSummary:
    summary = sync_vault(col, vault, SyncOptions(confirmed=True)).summary
    assert summary.ok, summary.text()
    return summary


def bench_vault(work: Path, notes: int, cards: int) -> dict[str, Any]:
    """Vault mode: `notes` notes of prose holding `cards` marked cards; each step as a
    ratio to raw add_notes of as many notes as there are cards, timed in the same run."""
    vault = work / "vault"
    _vault(vault, notes, cards)
    pristine = work / "vault-pristine"
    shutil.copytree(vault, pristine)
    raw_s = raw_add_seconds(work / "raw-vault.anki2", cards)
    col = Collection(str(work / "vault.anki2"))
    try:
        first = timed(lambda: _sync_vault(col, vault))
        # The first sync after one that wrote reads every Anki note once (its writes
        # are too recent to tell from an edit); the next ones read only what changed.
        noop_after_write = timed(lambda: _sync_vault(col, vault))
        noop = timed(lambda: _sync_vault(col, vault))
        note = vault / "topic0" / "Note 0.md"
        note.write_text(note.read_text().replace("It is **idea**", "It is *idea*", 1))
        one = timed(lambda: _sync_vault(col, vault))
    finally:
        col.close()
    subprocess.run(
        [sys.executable, "-c", "import sys; from anki.collection import Collection; "
         "from addon.sync.engine import sync_vault; from pathlib import Path; "
         "col = Collection(sys.argv[1]); sync_vault(col, Path(sys.argv[2])); col.close()",
         str(work / "memory-vault.anki2"), str(pristine)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "notes": notes,
        "cards": cards,
        "first_sync_vs_raw_add_notes": round(first / raw_s, 2),
        "noop_sync_vs_raw_add_notes": round(noop / raw_s, 2),
        "noop_sync_right_after_a_writing_sync_vs_raw_add_notes": round(noop_after_write / raw_s, 2),
        "one_note_edited_vs_raw_add_notes": round(one / raw_s, 2),
        "raw_add_notes_s": round(raw_s, 3),
        "peak_memory_mb_first_sync_process": round(peak_mb),
    }


def bench_markdown(work: Path, notes: int, files: int) -> dict[str, Any]:
    """Parse and render a folder, write it back; against raw add_notes of as many notes."""
    folder = work / "folder"
    folder.mkdir()
    _markdown_folder(folder, notes, files)
    rendered: list[str] = []
    loaded: list[Any] = []

    def parse_and_render() -> None:
        content = load_folder(folder)
        assert not content.errors, content.errors[:3]
        loaded.append(content)
        rendered.extend(
            render(v) for d in content.files for n in d.text.notes for v in n.fields.values()
        )

    parse_s = timed(parse_and_render)
    content = loaded[0]
    count = sum(len(d.text.notes) for d in content.files)
    out = work / "written"
    out.mkdir()

    def write_back() -> None:
        for deck in content.files:
            blocks = [format_note(n.key, n.tags, n.note_type, n.fields) for n in deck.text.notes]
            (out / deck.path.name).write_text(DEFAULT_SEPARATOR.join(blocks), encoding="utf-8")

    write_s = timed(write_back)
    raw_s = raw_add_seconds(work / "raw-md.anki2", count)
    return {
        "notes": count,
        "files": files,
        "fields_rendered": len(rendered),
        "parse_render_notes_per_s": round(count / parse_s),
        "parse_render_time_vs_raw_add_notes": round(parse_s / raw_s, 2),
        "write_back_notes_per_s": round(count / write_s),
        "write_back_time_vs_raw_add_notes": round(write_s / raw_s, 2),
        "raw_add_notes_s": round(raw_s, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=1_000)
    parser.add_argument("--markdown-notes", type=int, default=20_000)
    parser.add_argument("--markdown-files", type=int, default=200)
    parser.add_argument("--vault-notes", type=int, default=5_000)
    parser.add_argument("--vault-cards", type=int, default=20_000)
    parser.add_argument(
        "--only", choices=["api", "anki_connect", "real_anki", "markdown", "sync", "vault"]
    )
    args = parser.parse_args()
    benches: dict[str, Callable[[Path], dict[str, Any]]] = {
        "api": lambda work: bench_api(work, args.cards, args.singles),
        "anki_connect": lambda work: bench_anki_connect(work, args.cards),
        "real_anki": lambda work: bench_real_anki(work, min(args.singles, 300)),
        "markdown": lambda work: bench_markdown(work, args.markdown_notes, args.markdown_files),
        "sync": lambda work: bench_sync(work, args.markdown_notes, args.markdown_files),
        "vault": lambda work: bench_vault(work, args.vault_notes, args.vault_cards),
    }
    results = {}
    for name, bench in benches.items():
        if args.only in (None, name):
            with tempfile.TemporaryDirectory(prefix=f"cc-bench-{name}-") as work:
                results[name] = bench(Path(work))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
