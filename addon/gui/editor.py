"""Opening a deck file at a line, in an editor that can be told the line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from aqt.qt import QDesktopServices, QUrl

# Editors whose command line takes a line number, best first; others open the file.
LINE_COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("--goto", "{path}:{line}")),
    ("codium", ("--goto", "{path}:{line}")),
    ("subl", ("{path}:{line}",)),
    ("zed", ("{path}:{line}",)),
    ("kate", ("--line", "{line}", "{path}")),
    ("gedit", ("+{line}", "{path}")),
)


def open_file(path: Path, line: int | None) -> None:
    if line is not None:
        for name, args in LINE_COMMANDS:
            program = shutil.which(name)
            if program is not None:
                command = [program, *(a.format(path=path, line=line) for a in args)]
                subprocess.Popen(command, start_new_session=True)
                return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
