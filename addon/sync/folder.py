"""The Markdown folder itself: can we use it?"""

from __future__ import annotations

import os
from pathlib import Path


def folder_problem(folder: Path) -> str | None:
    """Why the Markdown folder cannot be used, or None when it can."""
    if not folder.exists():
        return f"Markdown folder {folder} does not exist: create it or choose another"
    if not folder.is_dir():
        return f"Markdown folder {folder} is not a folder"
    if not os.access(folder, os.R_OK | os.X_OK):
        return f"Markdown folder {folder} is not readable: check its permissions"
    return None
