"""The write phases: new notes' keys into their files (before Anki learns of the
notes), then every file whose text the plan changes. A file is only ever replaced
whole and atomically, and only if it still holds the bytes the load phase read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..core.note_keys import fingerprint_bytes
from ..core.paths import Inside, OutsideFolder
from ..core.sync_plan import BaseNote
from .files import replace_texts
from .folder import DeckFile
from .layout import Layout
from .plan import Plan
from .summary import SyncSummary


class FileWriter:
    def __init__(
        self, layout: Layout, files: Mapping[str, DeckFile], summary: SyncSummary,
        written: set[Path],
    ) -> None:  # fmt: skip
        self.layout = layout
        self.folder = layout.folder
        self.files = files
        self.summary = summary
        self.written = written  # files the sync wrote, which a watcher must not take for edits

    def _error(self, message: str) -> None:
        self.summary.errors.append(message)
        self.summary.markdown.errors += 1

    def write_keys(self, plan: Plan) -> None:
        """Each new note's block given its key, in its file. Before Anki learns of a
        new note its file learns its key: a run killed in between finds the key on the
        next run and never creates the note twice. New notes whose keys could not be
        written are not created: the next sync reads their file again."""
        for _, file_name, index, text in plan.new_notes:
            self.layout.replace(self.files[file_name].text, index, text)
        names = dict.fromkeys(file_name for _, file_name, _, _ in plan.new_notes)
        failures = self._write({name: self.files[name].text.text() for name in names})
        for file_name, exc in failures.items():
            self._error(f"{file_name}:1: not written: {exc}")
        lost = {key for key, file_name, _, _ in plan.new_notes if file_name in failures}
        plan.adds = [add for add in plan.adds if add.key not in lost]
        for key in lost:
            del plan.bases[key]
        self.summary.anki.created -= len(lost)

    def write_edits(self, plan: Plan, old: Mapping[str, BaseNote]) -> None:
        """The files the plan changes (and renames); a file not written keeps its notes'
        old bases, so the next run compares them again."""
        texts: dict[str, str] = {}
        for file_name in plan.files_to_write():
            edit = plan.edits[file_name]
            known = self.files.get(file_name)
            text = known.text if known is not None else self.layout.empty()
            for index, block_text in edit.replace.items():
                self.layout.replace(text, index, block_text)
            for index in sorted(edit.remove, reverse=True):
                self.layout.remove(text, index)
            for block_text in edit.append:
                self.layout.append(text, block_text)
            texts[file_name] = text.text()
        failures = self._write(texts)
        for file_name in texts.keys() & plan.renames.keys() - failures.keys():
            target = self.folder / plan.renames[file_name]
            self.written.add(target)
            try:
                os.replace(self.folder / file_name, target)
            except OSError as error:
                failures[file_name] = error
        for file_name, reason in failures.items():
            self._error(f"{file_name}:1: not written: {reason}")
            for key in plan.edits[file_name].keys:
                if key in old:
                    plan.bases[key] = old[key]
                else:
                    plan.bases.pop(key, None)

    def _write(self, texts: dict[str, str]) -> dict[str, Exception]:
        """Write the files (by name in the folder), all made durable together; returns
        those not written, with the reason (changed meanwhile, or out of the folder)."""
        writes: list[tuple[Path, bytes | None, str]] = []
        names: dict[Path, str] = {}
        failures: dict[str, Exception] = {}
        inside = Inside(self.folder)
        for file_name, text in texts.items():
            deck_file = self.files.get(file_name)
            expected = deck_file.raw if deck_file is not None else None
            if expected is not None and b"\r\n" in expected:
                text = text.replace("\n", "\r\n")
            try:
                path = inside(file_name)
            except OutsideFolder as exc:
                failures[file_name] = exc
                continue
            self.written.add(self.folder / file_name)
            writes.append((path, expected, text))
            names[path] = file_name
        failed = replace_texts(writes)
        failures.update({names[path]: exc for path, exc in failed.items()})
        for path, _, text in writes:
            deck_file = self.files.get(names[path])
            if deck_file is not None and path not in failed:
                deck_file.raw = text.encode("utf-8")
                deck_file.fingerprint = fingerprint_bytes(deck_file.raw)
                deck_file.stat = ""  # written just now: its times say nothing yet
        return failures
