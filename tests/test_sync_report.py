"""The words a sync's outcome is shown in: plurals, locations, the deletion question."""

from __future__ import annotations

from addon.sync.report import (
    confirmation_question,
    entries,
    headline,
    needs_attention,
    outcome_line,
    side_line,
    tooltip_lines,
)
from addon.sync.summary import PendingDeletion, SideCounts, SyncSummary


def test_counts_are_spelled_with_plurals() -> None:
    assert side_line("Anki", SideCounts(created=2, conflicts=1, unchanged=40)) == (
        "Anki: 2 created, 1 conflict (40 unchanged)"
    )
    assert side_line("Markdown", SideCounts(errors=3)) == "Markdown: 3 errors (0 unchanged)"
    assert side_line("Anki", SideCounts(errors=1)) == "Anki: 1 error (0 unchanged)"


def test_headline_has_no_bare_section_headers() -> None:
    summary = SyncSummary(note_types=["MarkdownQA: created"], warnings=["w"])
    assert all(not line.endswith(":") for line in headline(summary))


def test_entries_carry_file_line_and_note_key() -> None:
    summary = SyncSummary(
        errors=["Decks.md:12: unknown label 'Z:'"],
        conflicts=["Decks.md:3: Answer: changed on both sides (note abc123); kept"],
        warnings=["image x.png is missing: the field refers to it"],
    )
    error, conflict, warning = entries(summary)
    assert (error.kind, error.file, error.line, error.note_key) == ("Error", "Decks.md", 12, None)
    assert (conflict.file, conflict.line, conflict.note_key) == ("Decks.md", 3, "abc123")
    assert (warning.file, warning.line) == (None, None)
    assert needs_attention(summary)
    assert not needs_attention(SyncSummary(warnings=["w"]))


def test_moved_back_collection_is_said_plainly() -> None:
    summary = SyncSummary(moved_back=True, restored=1)
    (line,) = tooltip_lines(summary)
    assert "undone or restored" in line and "1 note was put back" in line
    assert headline(summary)[0] == line


def test_deletion_question_lists_each_file_and_deck_per_side() -> None:
    summary = SyncSummary(
        needs_confirmation="this sync would delete 7 of 10 synced notes",
        pending_deletions=[
            PendingDeletion("anki", "Biology.md", "Biology", 5),
            PendingDeletion("anki", "Chem.md", "Chemistry", 1),
            PendingDeletion("markdown", "Old.md", "Old", 1),
        ],
    )
    question = confirmation_question(summary)
    assert question.headline == "This sync would delete 7 of 10 synced notes."
    assert question.details == [
        "Deleted from Anki (removed from the files): 6 notes",
        "• 5 notes of deck Biology in Biology.md",
        "• 1 note of deck Chemistry in Chem.md",
        "Deleted from the Markdown files (deleted in Anki): 1 note",
        "• 1 note of deck Old in Old.md",
    ]


def test_outcome_line_names_changes_and_problems() -> None:
    summary = SyncSummary(
        anki=SideCounts(created=1), errors=["A.md:1: x", "A.md:2: y"], conflicts=["A.md:3: z"]
    )
    assert outcome_line(summary) == "Anki: 1 created (0 unchanged) — 2 errors, 1 conflict"
    assert outcome_line(SyncSummary()) == "No changes."
    assert needs_attention(SyncSummary(moved_back=True))
