"""The questions and the summary window, built with Qt offscreen and inspected."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from aqt.qt import QApplication, QLabel, QMessageBox, QWidget

from addon.gui.notify import Notices
from addon.gui.questions import OriginAnswer, confirmation_box, origin_answer, origin_box
from addon.gui.sync_summary import SummaryDialog
from addon.sync.summary import PendingDeletion, SyncSummary


@pytest.fixture(scope="module")
def parent(qt_app: QApplication) -> Iterator[QWidget]:
    widget = QWidget()
    yield widget
    widget.deleteLater()


def test_deletion_question_defaults_to_no_and_names_files_and_decks(parent: QWidget) -> None:
    summary = SyncSummary(
        needs_confirmation="this sync would delete 4 of 5 synced notes",
        pending_deletions=[PendingDeletion("anki", "Bio.md", "Biology", 4)],
    )
    box = confirmation_box(parent, summary)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    assert box.text().startswith("This sync")
    assert "4 notes of deck Biology in Bio.md" in box.informativeText()
    assert "Deleted from Anki" in box.informativeText()


def test_long_deletion_lists_go_to_the_details(parent: QWidget) -> None:
    pending = [PendingDeletion("markdown", f"F{i}.md", f"D{i}", 1) for i in range(40)]
    box = confirmation_box(parent, SyncSummary(needs_confirmation="x", pending_deletions=pending))
    assert "F39.md" not in box.informativeText() and "F39.md" in box.detailedText()


def test_origin_prompt_says_what_is_granted_and_defaults_to_not_now(parent: QWidget) -> None:
    box = origin_box(parent, "https://example.org")
    texts = [b.text() for b in box.buttons()]
    assert texts == ["Always allow", "Not now", "Never for this origin"]
    assert box.defaultButton().text() == "Not now"  # type: ignore[union-attr]
    assert "whole Context Connect API" in box.informativeText()
    assert origin_answer(box) is OriginAnswer.NOT_NOW  # closed without a click
    never = box.buttons()[2]
    never.click()
    assert origin_answer(box) is OriginAnswer.NEVER


def test_summary_window_is_one_and_enables_buttons_only_when_they_act(
    parent: QWidget, tmp_path: Path
) -> None:
    dialog = SummaryDialog(parent)  # type: ignore[arg-type]
    clean = SyncSummary()
    dialog.show_summary([(tmp_path, clean)], automatic=False)
    assert not dialog._items.isVisible() and not dialog._open.isVisible()
    assert dialog.height() < 250
    assert dialog.windowTitle() == "Context Connect: Markdown folder synced"
    counts, place = labels(dialog)
    assert counts == "Anki: no changes (0 unchanged)\nMarkdown: no changes (0 unchanged)"
    assert place.startswith(f"Markdown folder: {tmp_path} — ")
    problems = SyncSummary(
        errors=["A.md:4: unknown label"],
        warnings=["image x.png is missing"],
        conflicts=["A.md:9: Back: changed on both sides (note k1); Markdown's version applied"],
    )
    dialog.show_summary([(tmp_path, problems)], automatic=True)
    assert dialog.windowTitle() == "Context Connect: automatic sync: 2 problems"
    assert len(labels(dialog)) == 2  # the last sync's lines replaced, not added
    states: list[Any] = []
    for row in range(dialog._items.count()):
        dialog._items.setCurrentRow(row)
        states.append((dialog._open.isEnabled(), dialog._browse.isEnabled()))
    assert states == [(True, False), (True, True), (False, False)]
    dialog._items.setCurrentRow(0)
    assert dialog.current_file() == (tmp_path / "A.md", 4)
    dialog.close()


def test_summary_window_shows_every_vault_and_opens_files_in_the_right_one(
    parent: QWidget, tmp_path: Path
) -> None:
    dialog = SummaryDialog(parent)  # type: ignore[arg-type]
    notes, work = tmp_path / "Notes", tmp_path / "Work"
    broken = SyncSummary(
        errors=["proj/Plan.md:5: this card has an empty answer"],
        conflicts=["Plan.md:2: Back: changed on both sides (note cc-1); kept"],
    )
    dialog.show_summary([(notes, SyncSummary()), (work, broken)], automatic=False, what="Vault")
    assert dialog.windowTitle() == "Context Connect: Vaults synced: 2 problems"
    shown = labels(dialog)
    assert [line.split(" — ")[0] for line in shown[::2]] == ["<b>Notes</b>", "<b>Work</b>"]
    assert str(work) in shown[2] and shown[3].startswith("Anki: no changes")
    rows = [item.text() for i in range(dialog._items.count()) if (item := dialog._items.item(i))]
    assert rows == [
        "Work — 1 error, 1 conflict",
        "Error: proj/Plan.md:5: this card has an empty answer",
        "Conflict: Plan.md:2: Back: changed on both sides (note cc-1); kept",
    ]
    dialog._items.setCurrentRow(0)  # the vault's name: nothing to open
    assert not dialog._open.isEnabled() and dialog.current_file() is None
    dialog._items.setCurrentRow(1)
    assert dialog.current_file() == (work / "proj" / "Plan.md", 5)
    dialog._items.setCurrentRow(2)
    assert dialog._browse.isEnabled() and dialog._note_key() == "cc-1"
    # Two vaults of one name are told apart by their paths, each said once.
    other = tmp_path / "elsewhere" / "Notes"
    dialog.show_summary([(notes, SyncSummary()), (other, broken)], automatic=True, what="Vault")
    assert labels(dialog)[2] == f'<b>{other}</b> — <a href="open">open in file manager</a>'
    assert dialog._items.item(0).text() == f"{other} — 1 error, 1 conflict"  # type: ignore[union-attr]
    # The next sync of one vault alone looks as the folder's does.
    dialog.show_summary([(notes, SyncSummary())], automatic=False, what="Vault")
    assert dialog.windowTitle() == "Context Connect: Vault synced"
    assert len(labels(dialog)) == 2 and labels(dialog)[1].startswith(f"Vault: {notes} — ")
    dialog.close()


def labels(dialog: SummaryDialog) -> list[str]:
    return [label.text() for label in dialog._sections.findChildren(QLabel) if label.isVisible()]


def test_notices_share_one_window_that_goes_when_fixed(parent: QWidget) -> None:
    opened: list[bool] = []
    notices = Notices(parent, lambda: opened.append(True))  # type: ignore[arg-type]
    notices.report("config", "the settings need fixing", "• port: must be a number")
    box = notices._box
    assert box is not None and box.isVisible()
    assert "Context Connect: the settings need fixing" in box.text()
    notices.report("server", "the local server is not running", "port `8766` in use")
    assert notices._box is box and "<code>8766</code>" in box.informativeText()
    notices.clear("server")
    assert box.isVisible() and "port: must be a number" in box.informativeText()
    notices.clear("config")
    assert not box.isVisible() and notices.current() == []
