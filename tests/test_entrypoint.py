"""Anki's entry point is inert outside Anki's GUI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys, threading
sys.path.insert(0, {parent!r})
{before}
import context_connect
assert context_connect.__name__ == "context_connect"
print("aqt" in sys.modules, threading.active_count(), "context_connect.addon.gui" in sys.modules)
"""


def run_probe(tmp_path: Path, before: str = "") -> str:
    # Installed, the add-on's folder is the package `context_connect`; imitate that.
    (tmp_path / "context_connect").symlink_to(ROOT, target_is_directory=True)
    code = PROBE.format(parent=str(tmp_path), before=before)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_plain_import_starts_nothing_and_imports_no_aqt(tmp_path: Path) -> None:
    assert run_probe(tmp_path) == "False 1 False"


def test_import_with_aqt_loaded_but_no_main_window_starts_nothing(tmp_path: Path) -> None:
    # e.g. a script or test that imported aqt for its types: still no GUI setup.
    assert run_probe(tmp_path, before="import aqt") == "True 1 False"
