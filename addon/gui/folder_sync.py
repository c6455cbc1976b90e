"""The Markdown folder sync inside Anki: Tools ▸ Sync Markdown folder, the watcher,
and the optional syncs when the profile opens and closes.

A sync runs as a collection operation in the background (Anki's collection executor:
never alongside a review, an API batch or another sync) with a progress window, and
ends with a summary. One sync at a time: a request while one runs is dropped, and the
watcher's next look catches up with whatever changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

from anki.collection import Collection
from aqt.main import AnkiQt
from aqt.operations import CollectionOp
from aqt.qt import QFileDialog
from aqt.utils import askUser, showWarning, tooltip

from ..core.config import Config, ConfigError
from ..sync.adopt import adopt_note_types
from ..sync.engine import SyncResult, sync_folder
from ..sync.folder import folder_problem
from ..sync.options import sync_options
from ..sync.watcher import FolderWatcher
from . import settings
from .notify import TITLE
from .sync_summary import SummaryDialog

Done = Callable[[set[Path]], None]
# A sync of a large folder takes seconds; the watcher gives up waiting long after.
WATCHER_WAIT_SECONDS = 900
PROFILE_KEY = "context_connect_markdown_folder"


class FolderSync:
    def __init__(self, mw: AnkiQt, module: str) -> None:
        self._mw = mw
        self._module = module
        self._busy = False
        self._watcher: FolderWatcher | None = None

    # -- profile hooks ---------------------------------------------------------

    def profile_opened(self) -> None:
        config = self._config(quiet=True)
        folder = self._remembered(config)
        if config is None or folder is None or folder_problem(folder):
            return
        if config.watch:
            self._watcher = FolderWatcher(folder, self._sync_for_watcher)
            self._watcher.start()
        if config.sync_on_open:
            self.sync(interactive=False)

    def profile_closing(self) -> None:
        """Before Anki's own AnkiWeb sync on close: run here, on the main thread,
        because the collection closes right after."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        config = self._config(quiet=True)
        folder = self._remembered(config)
        if config is None or folder is None or not config.sync_on_close:
            return
        if self._mw.col is None or self._busy or folder_problem(folder):
            return
        summary = sync_folder(self._mw.col, folder, sync_options(config)).summary
        if not summary.ok:
            print(f"{TITLE}: sync on close:\n{summary.text()}")

    # -- syncing ---------------------------------------------------------------

    def sync(
        self, interactive: bool = True, confirmed: bool = False, done: Done | None = None,
        adopt: Sequence[str] = (),
    ) -> None:  # fmt: skip
        """`adopt`: note types of the collection to bring into the folder first."""
        finish: Done = done or (lambda _written: None)
        if self._busy or self._mw.col is None:
            if interactive and self._busy:
                tooltip("The Markdown folder is being synced already.", parent=self._mw)
            finish(set())
            return
        config = self._config(quiet=not interactive)
        folder = self._folder(config, interactive) if config is not None else None
        if config is None or folder is None:
            finish(set())
            return
        options = sync_options(config, confirmed)
        self._busy = True

        def progress(text: str) -> None:
            self._mw.taskman.run_on_main(lambda: self._mw.progress.update(label=text))

        def succeeded(result: SyncResult) -> None:
            self._busy = False
            if self._watcher is not None:
                self._watcher.ignore(result.written)
            finish(result.written)
            self._report(result, interactive)

        def failed(error: Exception) -> None:
            self._busy = False
            finish(set())
            showWarning(f"The Markdown folder sync failed: {error}", parent=self._mw, title=TITLE)

        def op(col: Collection) -> SyncResult:
            adopted = adopt_note_types(col, folder, adopt) if adopt else []
            result = sync_folder(col, folder, options, progress)
            result.summary.note_types += [f"{name}: adopted" for name in adopted]
            return result

        CollectionOp(parent=self._mw, op=op).success(succeeded).failure(
            failed
        ).run_in_background()

    def _report(self, result: SyncResult, interactive: bool) -> None:
        summary = result.summary
        if summary.stopped:
            question = f"{summary.needs_confirmation}.\n\nGo ahead with the sync?"
            if askUser(question, parent=self._mw, title=TITLE):
                self.sync(interactive, confirmed=True)
            return
        if interactive or summary.errors or summary.conflicts:
            SummaryDialog(self._mw, summary, self._remembered(self._config(quiet=True))).show()
        else:
            changed = summary.text().splitlines()[:2]
            tooltip("Markdown folder synced<br>" + "<br>".join(changed), parent=self._mw)

    def _sync_for_watcher(self) -> set[Path]:
        """Called on the watcher's thread: the sync starts on the main thread."""
        future: Future[set[Path]] = Future()
        self._mw.taskman.run_on_main(lambda: self.sync(interactive=False, done=future.set_result))
        return future.result(timeout=WATCHER_WAIT_SECONDS)

    # -- settings --------------------------------------------------------------

    def _config(self, quiet: bool) -> Config | None:
        try:
            return settings.load(self._mw, self._module)
        except ConfigError as exc:
            if not quiet:
                showWarning(str(exc), parent=self._mw, title=TITLE)
            return None

    def _remembered(self, config: Config | None) -> Path | None:
        """The config's folder wins; else the one chosen for this profile."""
        if config is not None and config.markdown_folder:
            return Path(config.markdown_folder)
        chosen = self._mw.pm.profile.get(PROFILE_KEY) if self._mw.pm.profile else None
        return Path(chosen) if isinstance(chosen, str) and chosen else None

    def _folder(self, config: Config, interactive: bool) -> Path | None:
        folder = self._remembered(config)
        if folder is None and interactive:
            folder = self._choose_folder()
        if folder is None:
            return None
        if problem := folder_problem(folder):
            if interactive:
                showWarning(
                    f"{problem}.\n\nChange markdown_folder in Tools ▸ Add-ons ▸ Context Connect"
                    " ▸ Config.",
                    parent=self._mw,
                    title=TITLE,
                )
            return None
        return folder

    def _choose_folder(self) -> Path | None:
        """Asked once per profile; the answer is kept in the profile."""
        chosen = QFileDialog.getExistingDirectory(self._mw, f"{TITLE}: choose your Markdown folder")
        if not chosen:
            return None
        profile = self._mw.pm.profile
        if profile is not None:
            profile[PROFILE_KEY] = chosen
        return Path(chosen)
