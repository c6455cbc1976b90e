"""AnkiConnect's graphical actions, run on Anki's main thread.

Each function is named after its action, so a call with wrong parameters fails with
the same message AnkiConnect gives ("guiBrowse() got an unexpected keyword ...").
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import aqt
from anki.collection import Collection, OpChangesAfterUndo
from anki.scheduler.v3 import Scheduler as V3Scheduler
from aqt import gui_hooks
from aqt.main import AnkiQt
from aqt.operations import CollectionOp
from aqt.qt import QTimer
from aqt.utils import tooltip, tr

from ..api.anki_connect import media_sources
from ..store import card_info, foreign_notes

# The largest download a guiAddCards note may pull in, as for any request body.
MEDIA_LIMIT_BYTES = 100 * 2**20


def _col(mw: AnkiQt) -> Collection:
    if mw.col is None:
        raise ValueError("no profile is open in Anki")
    return mw.col


def _browser(mw: AnkiQt) -> Any:
    return aqt.dialogs.open("Browser", mw)


def _open_browser(mw: AnkiQt) -> Any | None:
    """The browser if the user has it open, without opening it."""
    instance = aqt.dialogs._dialogs.get("Browser", [None, None])[1]
    return instance


def guiBrowse(mw: AnkiQt, query: str | None = None, reorderCards: Any = None) -> list[int]:
    browser = _browser(mw)
    browser.activateWindow()
    if query:
        browser.search_for(query)
    return [int(c) for c in _col(mw).find_cards(query or "deck:current")]


def guiSelectCard(mw: AnkiQt, card: int) -> bool:
    browser = _open_browser(mw)
    if browser is None:
        return False
    browser.table.select_single_card(card)
    return True


def guiSelectNote(mw: AnkiQt, note: int) -> bool:
    # AnkiConnect's guiSelectNote selects the card with this id (its deprecated alias).
    return guiSelectCard(mw, note)


def guiSelectedNotes(mw: AnkiQt) -> list[int]:
    browser = _open_browser(mw)
    return [int(n) for n in browser.selected_notes()] if browser is not None else []


def guiAddCards(mw: AnkiQt, note: dict[str, Any] | None = None) -> int:
    if note is None:  # an empty Add dialog; its note has no id yet
        aqt.dialogs.open("AddCards", mw).activateWindow()
        return 0
    col = _col(mw)
    lookups = foreign_notes.Lookups(col)
    draft = foreign_notes.draft_note(col, note, lookups)
    # A browser's attachments arrive as data already (api/anki_connect/graphical.py).
    attachments = media_sources.attachments(note, MEDIA_LIMIT_BYTES, browser=False)
    foreign_notes.attach(col, draft.note, attachments, lookups)
    dialog = aqt.dialogs.open("AddCards", mw)
    dialog.set_note(draft.note, draft.deck_id)
    dialog.activateWindow()
    return int(draft.note.id)


def guiEditNote(mw: AnkiQt, note: int) -> None:
    foreign_notes.existing_note(_col(mw), note)
    browser = _browser(mw)
    browser.search_for(f"nid:{int(note)}")
    browser.activateWindow()


def _reviewing(mw: AnkiQt) -> Any | None:
    reviewer = mw.reviewer
    return reviewer if mw.state == "review" and reviewer.card is not None else None


def guiCurrentCard(mw: AnkiQt) -> dict[str, Any] | None:
    reviewer = _reviewing(mw)
    if reviewer is None:
        return None
    col = _col(mw)
    card = reviewer.card
    info = card_info.card_info(col, card)
    scheduler = col.sched
    assert isinstance(scheduler, V3Scheduler)  # the only scheduler Anki still has
    states = scheduler.describe_next_states(reviewer.get_scheduling_states())
    info["buttons"] = [1, 2, 3, 4]
    info["nextReviews"] = list(states)
    return info


def guiReviewActive(mw: AnkiQt) -> bool:
    return _reviewing(mw) is not None


def guiPlayAudio(mw: AnkiQt) -> bool:
    return _in_review(mw, lambda reviewer: reviewer.replayAudio())


def _in_review(mw: AnkiQt, act: Callable[[Any], object]) -> bool:
    """Run `act` on the reviewer; False when Anki is not reviewing."""
    reviewer = _reviewing(mw)
    if reviewer is None:
        return False
    act(reviewer)
    return True


def guiStartCardTimer(mw: AnkiQt) -> bool:
    return _in_review(mw, lambda reviewer: reviewer.card.start_timer())


def guiShowQuestion(mw: AnkiQt) -> bool:
    return _in_review(mw, lambda reviewer: reviewer._showQuestion())


def guiShowAnswer(mw: AnkiQt) -> bool:
    return _in_review(mw, lambda reviewer: reviewer._showAnswer())


def guiAnswerCard(mw: AnkiQt, ease: int) -> bool:
    reviewer = _reviewing(mw)
    if reviewer is None or reviewer.state != "answer" or ease not in (1, 2, 3, 4):
        return False
    reviewer._answerCard(ease)
    return True


def guiUndo(mw: AnkiQt) -> bool | Future[bool]:
    """Edit ▸ Undo, answered once the undo is done: a client's next request (run on
    the same queue, but sent as soon as this answer arrives) sees the collection undone,
    and can never be what the undo takes back."""
    if not _col(mw).undo_status().undo:
        return False
    done: Future[bool] = Future()

    def undone(out: OpChangesAfterUndo) -> None:
        gui_hooks.state_did_undo(out)  # as Edit ▸ Undo does
        tooltip(tr.undo_action_undone(action=out.operation), parent=mw)
        done.set_result(True)

    CollectionOp(mw, lambda col: col.undo()).success(undone).failure(
        done.set_exception
    ).run_in_background()
    return done


def _select_deck(mw: AnkiQt, name: str) -> bool:
    deck_id = _col(mw).decks.id_for_name(name)
    if deck_id is None:
        return False
    _col(mw).decks.select(deck_id)
    return True


def guiDeckOverview(mw: AnkiQt, name: str) -> bool:
    if not _select_deck(mw, name):
        return False
    mw.moveToState("overview")
    return True


def guiDeckBrowser(mw: AnkiQt) -> None:
    mw.moveToState("deckBrowser")


def guiDeckReview(mw: AnkiQt, name: str) -> bool:
    if not _select_deck(mw, name):
        return False
    mw.moveToState("review")
    return True


def guiImportFile(mw: AnkiQt, path: str | None = None) -> None:
    from aqt.import_export.importing import import_file, prompt_for_file_then_import

    if path:
        import_file(mw, path)
    else:
        prompt_for_file_then_import(mw)


def guiExitAnki(mw: AnkiQt) -> None:
    # After this request's answer has left: closing stops the server.
    QTimer.singleShot(1000, mw.close)


def guiCheckDatabase(mw: AnkiQt) -> bool:
    from aqt.dbcheck import check_db

    check_db(mw)
    return True


def sync(mw: AnkiQt) -> None:
    if not mw.pm.sync_auth():
        raise ValueError("sync: auth not configured")  # AnkiConnect's text
    mw.on_sync_button_clicked()


def getProfiles(mw: AnkiQt) -> list[str]:
    return list(mw.pm.profiles())


def loadProfile(mw: AnkiQt, name: str) -> bool:
    if name not in mw.pm.profiles():
        return False
    if mw.pm.name != name:
        # Switching closes this profile, which stops this very server mid-answer.
        raise ValueError(
            f"profile {name!r} is not open, and switching profiles from the API would stop "
            "the server answering it: open the profile in Anki (File ▸ Switch Profile)"
        )
    return True


def reloadCollection(mw: AnkiQt) -> None:
    mw.reset()


ACTIONS: dict[str, Callable[..., Any]] = {
    fn.__name__: fn
    for fn in (
        guiBrowse, guiSelectCard, guiSelectNote, guiSelectedNotes, guiReviewActive,
        guiPlayAudio, guiAddCards, guiEditNote, guiCurrentCard,
        guiStartCardTimer, guiShowQuestion, guiShowAnswer, guiAnswerCard, guiUndo,
        guiDeckOverview, guiDeckBrowser, guiDeckReview, guiImportFile, guiExitAnki,
        guiCheckDatabase, sync, getProfiles, loadProfile, reloadCollection,
    )
}  # fmt: skip
