"""The floor of a first import, as its own process: `col.add_notes` of the notes a sync
wrote (their note types, fields, tags and decks), into a collection that already has the
note types. Prints {"seconds": …}, the time of the decks and the add alone."""

from __future__ import annotations

import json
import sys
import time

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId


def main() -> int:
    collection, notes_file = sys.argv[1:3]
    with open(notes_file, encoding="utf-8") as handle:
        notes = json.load(handle)
    col = Collection(collection)
    start = time.perf_counter()
    decks = {
        name: DeckId(col.decks.id(name, create=True) or 1) for name in {n["deck"] for n in notes}
    }
    types = {name: col.models.by_name(name) for name in {n["type"] for n in notes}}
    requests = []
    for spec in notes:
        note = col.new_note(types[spec["type"]])  # type: ignore[arg-type]
        note.fields = list(spec["fields"])
        note.tags = list(spec["tags"])
        requests.append(AddNoteRequest(note, decks[spec["deck"]]))
    col.add_notes(requests)
    seconds = time.perf_counter() - start
    col.close()
    print(json.dumps({"seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
