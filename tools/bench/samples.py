"""What the bench feeds in: cards as annotators post them, AnkiConnect notes, and a
deck folder and a vault shaped like real ones."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from addon.core.deck_text import DEFAULT_SEPARATOR
from addon.sync.folder import write_starter_note_types

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


def deck_files(folder: Path, notes: int, files: int, keys: bool = True) -> None:
    """Deck files like real ones: most fields plain text, some with Markdown, clozes,
    an image in every 50th note. The blocks are AnkiOps' too (Q/A/E, T/E)."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
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


def markdown_folder(folder: Path, notes: int, files: int, keys: bool = True) -> None:
    write_starter_note_types(folder)
    deck_files(folder, notes, files, keys)


def vault(root: Path, notes: int, cards: int) -> None:
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
