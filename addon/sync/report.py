"""A sync's outcome in words for people: the lines the GUI shows (tooltip, summary
window, the question before a mass deletion), with each problem's file, line and note."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    kind: str  # "Conflict", "Error", "Warning", "Note type", "File renamed"
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
    )
    return [entry(kind, text) for kind, items in groups for text in items]


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
