"""A sync's outcome in words for people: the lines the GUI shows (tooltip, summary
window, the question before a mass deletion), with each problem's file, line and note."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .summary import SideCounts, SyncSummary

LOCATION = re.compile(r"^([^:\n]+\.md):(\d+):")
NOTE_KEY = re.compile(r"\(note ([^)\s]+)\)")
COUNT_NOUNS = {"conflicts": ("conflict", "conflicts"), "errors": ("error", "errors")}
SIDE_NAMES = {"anki": "Anki", "markdown": "the Markdown files"}
SIDE_CAUSES = {"anki": "removed from the files", "markdown": "deleted in Anki"}


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def side_line(side: str, counts: SideCounts) -> str:
    """'Anki: 2 created, 1 conflict (40 unchanged)'."""
    done = []
    for name in ("created", "updated", "deleted", "moved", "conflicts", "errors"):
        value = getattr(counts, name)
        if value:
            one, many = COUNT_NOUNS.get(name, (name, name))
            done.append(plural(value, one, many))
    changes = ", ".join(done) if done else "no changes"
    return f"{side}: {changes} ({counts.unchanged} unchanged)"


def headline(summary: SyncSummary) -> list[str]:
    lines = []
    if summary.moved_back:
        lines.append(moved_back_line(summary))
    lines += [side_line("Anki", summary.anki), side_line("Markdown", summary.markdown)]
    if summary.media_imported or summary.media_exported:
        lines.append(
            f"Media: {summary.media_imported} added to Anki, {summary.media_exported} "
            "written to media/"
        )
    return lines


def moved_back_line(summary: SyncSummary) -> str:
    restored = plural(summary.restored, "note was", "notes were")
    return (
        "Anki's collection was undone or restored since the last sync: nothing was "
        f"deleted, {restored} put back into Anki from the files."
    )


@dataclass(frozen=True)
class Entry:
    """One line of the summary's list."""

    kind: str  # "Conflict", "Error", "Warning", "Note type", "File renamed", "Hint"
    text: str
    file: str | None = None
    line: int | None = None
    note_key: str | None = None


def entry(kind: str, text: str) -> Entry:
    found = LOCATION.match(text)
    key = NOTE_KEY.search(text)
    return Entry(
        kind,
        text,
        found.group(1) if found else None,
        int(found.group(2)) if found else None,
        key.group(1) if key else None,
    )


def entries(summary: SyncSummary) -> list[Entry]:
    """Problems first: what the user must act on comes before what merely happened."""
    groups = (
        ("Error", summary.errors),
        ("Conflict", summary.conflicts),
        ("Warning", summary.warnings),
        ("Note type", summary.note_types),
        ("File renamed", summary.files_renamed),
        ("Hint", summary.hints),  # advice on a card, last: never a problem
    )
    return [entry(kind, text) for kind, items in groups for text in items]


@dataclass(frozen=True)
class Section:
    """One folder (or vault) of those one action synced, as the summary window shows it."""

    folder: Path
    name: str  # the folder's name, or its path when another synced folder has that name
    headline: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """A line of the summary window's list: an entry of one synced folder, or, when
    several were synced, the line naming the folder above its entries."""

    text: str
    section: Section
    entry: Entry | None = None  # None: the line naming the folder

    @property
    def file(self) -> Path | None:
        """The file the entry is about, in the folder it came from."""
        if self.entry is None or self.entry.file is None:
            return None
        return self.section.folder / self.entry.file


@dataclass(frozen=True)
class Overview:
    """Everything one action synced, for the one summary window."""

    sections: tuple[Section, ...]
    rows: tuple[Row, ...]
    problems: int  # errors and conflicts, over all folders

    def title(self, what: str, automatic: bool) -> str:
        """'Vaults synced: 3 problems'; `what` names one folder's kind ("Vault")."""
        many = len(self.sections) > 1
        title = "automatic sync" if automatic else f"{what}{'s' if many else ''} synced"
        return f"{title}: {plural(self.problems, 'problem')}" if self.problems else title


def overview(synced: Sequence[tuple[Path, SyncSummary]]) -> Overview:
    """One folder's entries as they are; several folders' entries each under a line
    naming their folder, so every problem says where it is, and the folders with
    problems first, as problems come first in each."""
    names = [folder.name for folder, _ in synced]
    repeated = {name for name, count in Counter(names).items() if count > 1}
    sections: list[Section] = []
    groups: list[tuple[int, list[Row]]] = []
    for (folder, summary), name in zip(synced, names):
        shown_as = str(folder) if name in repeated else name
        section = Section(folder, shown_as, tuple(headline(summary)))
        sections.append(section)
        problems = len(summary.errors) + len(summary.conflicts)
        rows = [Row(f"{item.kind}: {item.text}", section, item) for item in entries(summary)]
        if len(synced) > 1 and rows:
            phrase = problems_phrase(summary)
            rows.insert(0, Row(f"{shown_as} — {phrase}" if phrase else shown_as, section))
        groups.append((problems, rows))
    listed = [row for _, rows in sorted(groups, key=lambda group: not group[0]) for row in rows]
    return Overview(tuple(sections), tuple(listed), sum(problems for problems, _ in groups))


def needs_attention(summary: SyncSummary) -> bool:
    return bool(summary.errors or summary.conflicts or summary.stopped or summary.moved_back)


def outcome_line(summary: SyncSummary) -> str:
    """One line for the settings dialog and the status page."""
    if summary.stopped:
        return f"stopped, waiting for a yes: {summary.needs_confirmation}"
    changes = "; ".join(tooltip_lines(summary))
    problems = problems_phrase(summary)
    return f"{changes} — {problems}" if problems else changes


def problems_phrase(summary: SyncSummary) -> str:
    """'2 errors, 1 conflict', or '' when there is none."""
    counts = ((len(summary.errors), "error"), (len(summary.conflicts), "conflict"))
    return ", ".join(plural(count, noun) for count, noun in counts if count)


def tooltip_lines(summary: SyncSummary) -> list[str]:
    """A clean automatic sync: what changed, in at most three short lines."""
    lines = [moved_back_line(summary)] if summary.moved_back else []
    for side, counts in (("Anki", summary.anki), ("Markdown", summary.markdown)):
        if counts.created or counts.updated or counts.deleted or counts.moved:
            lines.append(side_line(side, counts))
    return lines or ["No changes."]


@dataclass(frozen=True)
class Question:
    headline: str
    details: list[str]


def confirmation_question(summary: SyncSummary) -> Question:
    """The question a stopped sync asks, listing what would go, per side, file and deck."""
    reason = summary.needs_confirmation or ""
    head = reason[:1].upper() + reason[1:]
    if not head.endswith("."):
        head += "."
    details: list[str] = []
    for side in ("anki", "markdown"):
        pending = [d for d in summary.pending_deletions if d.side == side]
        if pending:
            total = sum(d.notes for d in pending)
            details.append(
                f"Deleted from {SIDE_NAMES[side]} ({SIDE_CAUSES[side]}): "
                f"{plural(total, 'note')}"
            )
            details += [
                f"• {plural(d.notes, 'note')} of deck {d.deck} in {d.file}" for d in pending
            ]
    return Question(head, details)
