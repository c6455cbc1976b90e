"""The questions Context Connect asks: go ahead with a sync that stopped (a mass
deletion, a note type change forcing a full upload), and may a web page use the API."""

from __future__ import annotations

from enum import Enum

from aqt.qt import QMessageBox, QPushButton, QWidget

from ..sync.report import confirmation_question
from ..sync.summary import SyncSummary
from .notify import TITLE

# More lines than this go to the box's "Show Details…" part.
SHOWN_LINES = 12


def question_box(
    parent: QWidget, name: str, icon: QMessageBox.Icon, title: str, text: str, details: str
) -> QMessageBox:
    """A question window of ours: named (tests find it), titled after Context Connect."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(f"{TITLE}: {title}")
    box.setText(text)
    box.setInformativeText(details)
    return box


def yes_no(box: QMessageBox, default: QMessageBox.StandardButton) -> None:
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(default)
    box.setEscapeButton(QMessageBox.StandardButton.No)


def confirmation_box(parent: QWidget, summary: SyncSummary) -> QMessageBox:
    """Not yet shown: the caller opens it (`open()`, so Anki keeps running) and listens
    for the answer. "No" is the default, so Enter never deletes."""
    question = confirmation_question(summary)
    shown = question.details[:SHOWN_LINES]
    if len(question.details) > SHOWN_LINES:
        shown.append(f"… and {len(question.details) - SHOWN_LINES} more (Show Details)")
    box = question_box(
        parent,
        "context_connect_confirm_sync",
        QMessageBox.Icon.Warning,
        "sync the Markdown folder?",
        question.headline,
        "\n".join([*shown, "", "Nothing has been changed yet. Go ahead?"]),
    )
    if len(question.details) > SHOWN_LINES:
        box.setDetailedText("\n".join(question.details))
    yes_no(box, QMessageBox.StandardButton.No)
    return box


class OriginAnswer(Enum):
    ALWAYS = "always"
    NOT_NOW = "not now"
    NEVER = "never"


def origin_box(parent: QWidget, origin: str) -> QMessageBox:
    box = question_box(
        parent,
        "context_connect_origin_prompt",
        QMessageBox.Icon.Question,
        "allow a web page?",
        f"The web page {origin} asks to use your Anki collection.",
        "If you allow it, that page can use the whole Context Connect API: read, add, "
        "change and delete notes, cards, decks and note types, whenever Anki runs. "
        "You can take this back in the settings (Tools ▸ Context Connect…).\n\n"
        "Allow only pages you trust.",
    )
    buttons = {}
    for text, role, answer in (
        ("Always allow", QMessageBox.ButtonRole.AcceptRole, OriginAnswer.ALWAYS),
        ("Not now", QMessageBox.ButtonRole.RejectRole, OriginAnswer.NOT_NOW),
        ("Never for this origin", QMessageBox.ButtonRole.DestructiveRole, OriginAnswer.NEVER),
    ):
        button = QPushButton(text)
        button.setProperty("answer", answer.value)
        box.addButton(button, role)
        buttons[answer] = button
    not_now = buttons[OriginAnswer.NOT_NOW]
    box.setDefaultButton(not_now)
    box.setEscapeButton(not_now)
    return box


def origin_answer(box: QMessageBox) -> OriginAnswer:
    clicked = box.clickedButton()
    value = clicked.property("answer") if clicked is not None else None
    return OriginAnswer(value) if value else OriginAnswer.NOT_NOW
