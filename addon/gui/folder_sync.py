"""The Markdown folder sync inside Anki: Tools ▸ Sync Markdown folder, the watcher,
and the optional syncs when the profile opens and closes.

A sync runs as a collection operation in the background (Anki's collection executor:
never alongside a review, an API batch or another sync) with a progress window that
can be cancelled until Anki is about to be written, and ends with one report: a
tooltip for a clean automatic sync, else the one summary window, updated in place.
One sync at a time: a request while one runs is dropped, and the watcher's next look
catches up with whatever changed meanwhile.

The folder is the config's `markdown_folder`, and nothing else: choosing one in Anki
writes it there, and clearing it there means no folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Optional

from anki.collection import Collection
from aqt.main import AnkiQt
from aqt.operations import CollectionOp
from aqt.qt import QMessageBox, QPushButton
from aqt.utils import showWarning, tooltip

from ..api.service_status import FOLDER, LastSync, ServiceStatus
from ..core.config import Config
from ..store.sync_state import STATE_DIR
from ..sync.adopt import adopt_note_types
from ..sync.cancel import LAST_CANCELLABLE, STAGES, SyncCancelled, cancellable_sync, stage_of
from ..sync.engine import SyncResult, sync_folder
from ..sync.folder import folder_problem
from ..sync.options import sync_options
from ..sync.report import (
    Entry,
    entries,
    needs_attention,
    problems_phrase,
    tooltip_lines,
)
from ..sync.summary import SyncSummary
from ..sync.watcher import FolderWatcher
from .first_use import ask_first_use
from .notify import TITLE, Notices, as_html
from .questions import confirmation_box
from .sync_summary import SummaryDialog

Done = Callable[[set[Path]], None]
# A runtime alias: Optional, since Python 3.9 cannot evaluate `Config | None`.
LoadConfig = Callable[[], Optional[Config]]
SaveFolder = Callable[[Path], None]
# A sync of a large folder takes seconds; the watcher gives up waiting long after.
WATCHER_WAIT_SECONDS = 900
TOPIC = "folder"


class FolderSync:
    def __init__(
        self, mw: AnkiQt, load_config: LoadConfig, save_folder: SaveFolder, notices: Notices,
        status: ServiceStatus,
    ) -> None:  # fmt: skip
        self._mw = mw
        self._load_config = load_config
        self._save_folder = save_folder
        self._notices = notices
        self._status = status  # the folder, its watcher and its last sync, for everyone
        self._busy = False
        self._watcher: FolderWatcher | None = None
        self._summary: SummaryDialog | None = None
        self._question: QMessageBox | None = None
        self._shown: list[Entry] = []  # the problems the summary window last showed

    # -- profile hooks ---------------------------------------------------------

    def profile_opened(self, config: Config | None) -> None:
        self.rearm(config)
        if config is not None and config.sync_on_open and self._usable(config):
            self.sync(interactive=False)

    def rearm(self, config: Config | None) -> None:
        """Start or stop the watcher to match the settings."""
        self._stop_watcher()
        folder = self._usable(config)
        watched = folder if config is not None and config.watch else None
        if watched is not None:
            self._watcher = FolderWatcher(watched, self._sync_for_watcher)
            self._watcher.start()
        chosen = [Path(config.markdown_folder)] if config and config.markdown_folder else []
        self._status.track(FOLDER, chosen, [watched] if watched is not None else [])

    def profile_closing(self) -> None:
        """Before Anki's own AnkiWeb sync on close: run here, on the main thread,
        because the collection closes right after."""
        self._stop_watcher()
        config = self._load_config()
        folder = self._usable(config)
        if config is None or folder is None or not config.sync_on_close:
            return
        if self._mw.col is None or self._busy:
            return
        sync_folder(self._mw.col, folder, sync_options(config))

    def _stop_watcher(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _usable(self, config: Config | None) -> Path | None:
        """The folder automatic syncs may use: set, there, and synced once before
        (the first sync of a folder is the user's own, after a question)."""
        if config is None or not config.markdown_folder:
            return None
        folder = Path(config.markdown_folder)
        if problem := folder_problem(folder):
            self._notices.report(TOPIC, "the Markdown folder cannot be synced", problem)
            return None
        if not (folder / STATE_DIR).is_dir():
            return None
        self._notices.clear(TOPIC)
        return folder

    # -- syncing ---------------------------------------------------------------

    def sync(
        self, interactive: bool = True, confirmed: bool = False, done: Done | None = None,
        first_use_accepted: bool = False, adopt: Sequence[str] = (),
    ) -> None:  # fmt: skip
        """`confirmed`: the user said yes to what a stopped sync asked (mass deletion).
        `adopt`: note types of the collection to bring into the folder first."""
        finish: Done = done or (lambda _written: None)
        if self._busy or self._mw.col is None:
            if interactive and self._busy:
                tooltip("The Markdown folder is being synced already.", parent=self._mw)
            finish(set())
            return
        config = self._load_config()
        if config is None:
            finish(set())
            return
        folder = Path(config.markdown_folder) if config.markdown_folder else None
        synced_before = folder is not None and (folder / STATE_DIR).is_dir()
        if interactive and not first_use_accepted and not synced_before:
            finish(set())
            ask_first_use(
                self._mw, folder, lambda chosen: self._first_use_accepted(chosen, adopt), adopt
            )
            return
        if folder is None:
            finish(set())
            return
        if problem := folder_problem(folder):
            finish(set())
            if interactive:
                showWarning(
                    f"{problem}.\n\nChoose another in Tools ▸ Context Connect…",
                    parent=self._mw,
                    title=TITLE,
                )
            return
        self._run(folder, config, interactive, confirmed, finish, adopt)

    def _run(
        self, folder: Path, config: Config, interactive: bool, confirmed: bool, finish: Done,
        adopt: Sequence[str],
    ) -> None:  # fmt: skip
        options = sync_options(config, confirmed)
        self._busy = True
        cancel = threading.Event()
        window = self._mw.progress.start(
            label="Reading the Markdown folder", max=len(STAGES), parent=self._mw,
            immediate=interactive,
        )  # fmt: skip
        # Not start(title=), which Anki 25.02 and older lack.
        self._mw.progress.set_title(f"{TITLE}: syncing {folder.name}")
        cancel_button = QPushButton("Cancel")
        if window is not None and (layout := window.layout()) is not None:
            layout.addWidget(cancel_button)
            cancel_button.clicked.connect(cancel.set)
            if interactive:
                window.show()  # at once, so Cancel is there while the folder is read

        def progress(text: str) -> None:
            stage = stage_of(text)
            self._mw.taskman.run_on_main(lambda: self._progress(text, stage, cancel_button))

        def cancelled() -> bool:
            return cancel.is_set() or self._cancelled(window)

        def succeeded(result: SyncResult) -> None:
            self._mw.progress.finish()
            self._busy = False
            if self._watcher is not None:
                self._watcher.ignore(result.written)
            elif config.watch:  # a first sync: automatic syncs may start now
                self.rearm(config)
            finish(result.written)
            self._report(result, folder, interactive)

        def failed(error: Exception) -> None:
            self._mw.progress.finish()
            self._busy = False
            finish(set())
            if isinstance(error, SyncCancelled):
                nothing = LastSync.failed("cancelled: nothing was changed")
                self._status.record(FOLDER, folder, nothing)
                tooltip("Markdown folder sync cancelled: Anki was not changed.", parent=self._mw)
                return
            self._status.record(FOLDER, folder, LastSync.failed(f"failed: {error}"))
            showWarning(f"The Markdown folder sync failed: {error}", parent=self._mw, title=TITLE)

        def op(col: Collection) -> SyncResult:
            if not adopt:
                return cancellable_sync(col, folder, options, progress, cancelled)
            # Adopting changes the note types before the sync starts: no Cancel then.
            adopted = adopt_note_types(col, folder, adopt)
            result = sync_folder(col, folder, options, progress)
            result.summary.note_types += [f"{name}: adopted" for name in adopted]
            return result

        if adopt:
            cancel_button.setEnabled(False)
        CollectionOp(parent=self._mw, op=op).success(succeeded).failure(
            failed
        ).run_in_background()

    @staticmethod
    def _cancelled(window: object) -> bool:
        # Escape or the window's close button, as in Anki's own progress windows.
        return bool(getattr(window, "wantCancel", False))

    def _progress(self, text: str, stage: int, cancel_button: QPushButton) -> None:
        self._mw.progress.update(label=f"{text}…", value=stage + 1, max=len(STAGES))
        cancel_button.setEnabled(stage <= LAST_CANCELLABLE)

    def _report(self, result: SyncResult, folder: Path, interactive: bool) -> None:
        summary = result.summary
        self._status.record(FOLDER, folder, LastSync.of(summary))
        if summary.stopped:
            self._ask(summary, interactive)
            return
        listed = entries(summary)
        # The same problems again after an automatic sync (watch mode saves often):
        # a closed summary window stays closed, a tooltip says they are still there.
        repeated = not interactive and listed == self._shown and not self._summary_visible()
        if (interactive or needs_attention(summary)) and not repeated:
            if self._summary is None:
                self._summary = SummaryDialog(self._mw)
            self._summary.show_summary([(folder, summary)], automatic=not interactive)
            self._shown = listed
            return
        lines = [as_html(line) for line in tooltip_lines(summary)]
        if repeated and (problems := problems_phrase(summary)):
            lines.append(f"Still {problems}: <i>Tools ▸ Sync Markdown folder</i> lists them.")
        tooltip(f"<b>{TITLE}: Markdown folder synced</b><br>{'<br>'.join(lines)}", parent=self._mw)

    def _summary_visible(self) -> bool:
        return self._summary is not None and self._summary.isVisible()

    def _ask(self, summary: SyncSummary, interactive: bool) -> None:
        """One question at a time: a watcher's next stop replaces it."""
        if self._question is not None:
            self._question.close()
        box = confirmation_box(self._mw, summary)
        self._question = box

        def answered(_result: int) -> None:
            self._question = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.sync(interactive, confirmed=True, first_use_accepted=True)

        box.finished.connect(answered)
        box.open()

    def _first_use_accepted(self, folder: Path, adopt: Sequence[str]) -> None:
        self._save_folder(folder)
        self.sync(interactive=True, first_use_accepted=True, adopt=adopt)

    def _sync_for_watcher(self) -> set[Path]:
        return sync_for_watcher(self._mw, lambda done: self.sync(interactive=False, done=done))


def sync_for_watcher(mw: AnkiQt, start: Callable[[Done], None]) -> set[Path]:
    """Called on a watcher's thread: the sync starts on the main thread, and the watcher
    waits for the files it wrote."""
    future: Future[set[Path]] = Future()
    mw.taskman.run_on_main(lambda: start(future.set_result))
    return future.result(timeout=WATCHER_WAIT_SECONDS)
