"""The native API: POST /v1/cards of new, unchanged and changed batches against raw
add_notes / update_notes of the same notes, and single posts' latency."""

from __future__ import annotations

import http.client
import json
import statistics
import time
from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId

from addon.core.cards import parse_cards
from addon.core.config import Config
from addon.store.notetypes import note_types
from tools.bench.measure import timed
from tools.bench.peers import server_on
from tools.bench.samples import cards


def post(conn: http.client.HTTPConnection, payload: Any) -> dict[str, Any]:
    conn.request("POST", "/v1/cards", json.dumps(payload), {"Content-Type": "application/json"})
    response = conn.getresponse()
    body: dict[str, Any] = json.loads(response.read())
    assert response.status == 200, body
    return body


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
