"""The vaults inside Anki: Tools ▸ Sync vaults, a watcher per vault, and the syncs
when the profile opens and closes (the settings `watch`, `sync_on_open`,
`sync_on_close` serve the vaults as they serve the Markdown folder).

A vault is the user's own notes: its first sync, which adds a block id to every
marked block, happens only when asked from the menu, after a question. Automatic
syncs follow only for vaults synced once before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, OpChanges
from aqt.main import AnkiQt
from aqt.operations import CollectionOp
from aqt.qt import QMessageBox
from aqt.utils import showWarning, tooltip

from ..api.service_status import VAULT, LastSync, ServiceStatus
from ..core.config import Config
from ..store.runner import merged_changes
from ..store.sync_state import STATE_DIR
from ..sync.engine import SyncResult, sync_vaults
from ..sync.folder import folder_problem
from ..sync.options import sync_options
from ..sync.report import needs_attention, tooltip_lines
from ..sync.vault import note_files
from ..sync.watcher import FolderWatcher
from .folder_sync import LoadConfig, sync_for_watcher
from .notify import TITLE, as_html
from .questions import confirmation_box, question_box
from .sync_summary import SummaryDialog


def configured(config: Config | None) -> list[Path]:
    return [Path(v).expanduser() for v in config.vaults] if config is not None else []


def synced_before(vault: Path) -> bool:
    return (vault / STATE_DIR).is_dir()


@dataclass
class _Synced:
    """The vaults one operation synced, and what they changed (for Anki's views)."""

    results: list[tuple[Path, SyncResult]]
    changes: OpChanges

    @property
    def written(self) -> set[Path]:
        return set().union(*(result.written for _, result in self.results))


class VaultSync:
    def __init__(self, mw: AnkiQt, load_config: LoadConfig, status: ServiceStatus) -> None:
        self._mw = mw
        self._load_config = load_config
        self._status = status  # the vaults, their watchers and their last syncs, for everyone
        self._busy = False
        self._watchers: list[FolderWatcher] = []
        self._summary: SummaryDialog | None = None

    # -- profile hooks ---------------------------------------------------------

    def profile_opened(self, config: Config | None) -> None:
        self.rearm(config)
        if config is not None and config.sync_on_open and self._usable(config):
            self.sync(interactive=False)

    def rearm(self, config: Config | None) -> None:
        for watcher in self._watchers:
            watcher.stop()
        self._watchers = []
        watched = self._usable(config) if config is not None and config.watch else []
        for vault in watched:
            watcher = FolderWatcher(vault, self._sync_for_watcher, listing=note_files)
            watcher.start()
            self._watchers.append(watcher)
        self._status.track(VAULT, configured(config), watched)

    def profile_closing(self) -> None:
        """Before Anki's own AnkiWeb sync on close, on the main thread."""
        self.rearm(None)
        config = self._load_config()
        vaults = self._usable(config)
        if config is None or not config.sync_on_close or not vaults or self._busy:
            return
        if self._mw.col is not None:
            sync_vaults(self._mw.col, vaults, sync_options(config))

    def _usable(self, config: Config | None) -> list[Path]:
        """The vaults automatic syncs may use: there, and synced once before."""
        return [v for v in configured(config) if not folder_problem(v) and synced_before(v)]

    # -- syncing ---------------------------------------------------------------

    def sync(
        self, interactive: bool = True, confirmed: bool = False,
        done: Callable[[set[Path]], None] | None = None,
    ) -> None:  # fmt: skip
        finish = done or (lambda _written: None)
        config = self._load_config()
        if self._busy or self._mw.col is None or config is None:
            if interactive and self._busy:
                tooltip("The vaults are being synced already.", parent=self._mw)
            finish(set())
            return
        vaults = configured(config) if interactive else self._usable(config)
        problems = [p for v in vaults if (p := folder_problem(v))]
        if interactive and (not vaults or problems):
            finish(set())
            showWarning(
                "\n".join(problems)
                if problems
                else "No vault is set: add one to `vaults` in "
                'Tools ▸ Context Connect… ▸ Edit as JSON, for example "vaults": ["~/Notes"].',
                parent=self._mw,
                title=TITLE,
            )
            return
        new = [v for v in vaults if not synced_before(v)]
        if interactive and new and not confirmed:
            finish(set())
            self._first_use(new, lambda: self._run(vaults, config, interactive, False, finish))
            return
        self._run(vaults, config, interactive, confirmed, finish)

    def _first_use(self, vaults: list[Path], then: Callable[[], None]) -> None:
        box = question_box(
            self._mw,
            "context_connect_vault_first_use",
            QMessageBox.Icon.Question,
            "first sync of a vault",
            "Sync " + ", ".join(str(v) for v in vaults) + " for the first time?",
            "Every marked block (a line with ::, a paragraph with a ? line, a cloze in a "
            "#flashcards note or a #card paragraph) becomes a card, and gets a block id "
            "(^cc-…) at its end, which links the card back to it. Nothing else in your "
            "notes changes; the sync state goes into .context-connect/ in the vault.",
        )
        go = box.addButton("Sync", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))

        def answered(_result: int) -> None:
            if box.clickedButton() is go:
                then()

        box.finished.connect(answered)
        box.open()

    def _run(
        self, vaults: list[Path], config: Config, interactive: bool, confirmed: bool,
        finish: Callable[[set[Path]], None],
    ) -> None:  # fmt: skip
        options = sync_options(config, confirmed)
        self._busy = True

        def op(col: Collection) -> _Synced:
            results = sync_vaults(col, vaults, options)
            changes = merged_changes([result.changes for result in results])
            return _Synced(list(zip(vaults, results)), changes)

        def succeeded(synced: _Synced) -> None:
            self._busy = False
            for vault, result in synced.results:
                self._status.record(VAULT, vault, LastSync.of(result.summary))
            for watcher in self._watchers:
                watcher.ignore(synced.written)
            if not self._watchers and config.watch:
                self.rearm(config)  # a first sync: automatic syncs may start now
            finish(synced.written)
            self._report(synced.results, interactive)

        def failed(error: Exception) -> None:
            self._busy = False
            for vault in vaults:
                self._status.record(VAULT, vault, LastSync.failed(f"failed: {error}"))
            finish(set())
            showWarning(f"The vault sync failed: {error}", parent=self._mw, title=TITLE)

        CollectionOp(parent=self._mw, op=op).success(succeeded).failure(failed).run_in_background()

    def _report(self, results: list[tuple[Path, SyncResult]], interactive: bool) -> None:
        """A stopped sync asks; when any vault has problems (or always, when asked from
        the menu) the summary window shows every vault synced; a clean automatic sync
        is a tooltip."""
        for _vault, result in results:
            if result.summary.stopped:
                self._ask(result, interactive)
                return
        if interactive or any(needs_attention(r.summary) for _, r in results):
            if self._summary is None:
                self._summary = SummaryDialog(self._mw)
            self._summary.show_summary(
                [(vault, result.summary) for vault, result in results],
                automatic=not interactive,
                what="Vault",
            )
            return
        lines: list[str] = []
        for vault, result in results:
            lines.append(f"<b>{as_html(vault.name)}</b>")
            lines += [as_html(line) for line in tooltip_lines(result.summary)]
        tooltip(f"<b>{TITLE}: vaults synced</b><br>{'<br>'.join(lines)}", parent=self._mw)

    def _ask(self, result: SyncResult, interactive: bool) -> None:
        box = confirmation_box(self._mw, result.summary)

        def answered(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.sync(interactive, confirmed=True)

        box.finished.connect(answered)
        box.open()

    def _sync_for_watcher(self) -> set[Path]:
        return sync_for_watcher(self._mw, lambda done: self.sync(interactive=False, done=done))
