"""The words a sync's outcome is shown in: plurals, locations, the deletion question."""

from __future__ import annotations

from pathlib import Path

from addon.sync.report import (
    confirmation_question,
    entries,
    headline,
    needs_attention,
    outcome_line,
    overview,
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
        hints=["Zettel.md:7: a long answer (64 words): one fact per card is easier to recall"],
    )
    error, conflict, warning, hint = entries(summary)
    assert (hint.kind, hint.file, hint.line) == ("Hint", "Zettel.md", 7)
    assert not needs_attention(SyncSummary(hints=["Zettel.md:7: a long answer"]))
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


def test_one_folder_s_overview_is_its_entries_as_they_are() -> None:
    summary = SyncSummary(anki=SideCounts(created=1), errors=["A.md:4: unknown label"])
    shown = overview([(Path("/notes"), summary)])
    (section,) = shown.sections
    assert (section.name, section.headline) == ("notes", tuple(headline(summary)))
    (row,) = shown.rows
    assert row.text == "Error: A.md:4: unknown label" and row.entry == entries(summary)[0]
    assert row.file == Path("/notes/A.md")
    assert shown.title("Markdown folder", automatic=False) == "Markdown folder synced: 1 problem"
    assert shown.title("Markdown folder", automatic=True) == "automatic sync: 1 problem"


def test_several_vaults_list_every_problem_under_its_vault() -> None:
    clean = SyncSummary(anki=SideCounts(created=2))
    work = SyncSummary(
        errors=["proj/Plan.md:5: this card has an empty answer", "B.md:1: x"],
        conflicts=["Plan.md:2: Back: changed on both sides (note cc-1); kept"],
        note_types=["Context Connect Vault: created"],
    )
    typed = SyncSummary(note_types=["Context Connect Vault Cloze: created"])
    shown = overview([(Path("/c"), typed), (Path("/a/Notes"), clean), (Path("/b/Work"), work)])
    assert [s.name for s in shown.sections] == ["c", "Notes", "Work"]  # as configured
    assert shown.sections[1].headline[0] == "Anki: 2 created (0 unchanged)"
    assert [(r.text, r.section.name) for r in shown.rows] == [
        ("Work — 2 errors, 1 conflict", "Work"),  # problems first, as within one folder
        ("Error: proj/Plan.md:5: this card has an empty answer", "Work"),
        ("Error: B.md:1: x", "Work"),
        ("Conflict: Plan.md:2: Back: changed on both sides (note cc-1); kept", "Work"),
        ("Note type: Context Connect Vault: created", "Work"),
        ("c", "c"),  # no problem, but a line worth showing
        ("Note type: Context Connect Vault Cloze: created", "c"),
    ]
    assert shown.rows[1].file == Path("/b/Work/proj/Plan.md")
    assert shown.rows[1].entry is not None and shown.rows[1].entry.line == 5
    assert shown.rows[-1].file is None  # a note type's line opens no file
    assert shown.problems == 3
    assert shown.title("Vault", automatic=False) == "Vaults synced: 3 problems"
    assert overview([(Path("/a"), clean), (Path("/b"), clean)]).title("Vault", False) == (
        "Vaults synced"
    )


def test_vaults_of_the_same_name_are_told_apart_by_their_paths() -> None:
    broken = SyncSummary(errors=["A.md:1: x"])
    shown = overview([(Path("/home/Notes"), broken), (Path("/work/Notes"), broken)])
    assert [s.name for s in shown.sections] == ["/home/Notes", "/work/Notes"]
    headings = [r.text for r in shown.rows if r.entry is None]
    assert headings == ["/home/Notes — 1 error", "/work/Notes — 1 error"]
    assert [r.file for r in shown.rows if r.entry] == [
        Path("/home/Notes/A.md"), Path("/work/Notes/A.md")
    ]  # fmt: skip
