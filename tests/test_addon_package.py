"""The .ankiaddon carries what it needs beyond Anki: its pure core loads with mistune,
PyYAML and typing_extensions found only in its own vendored folders, as in a packaged
Anki, whose Python has none of them (run under Python 3.9 by `make test-oldest`, where
mistune needs typing_extensions)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tools.package import build

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import importlib, importlib.machinery, sys
addon = {addon!r}
folders = [addon + "/vendor", addon + "/vendor_fallback"]

class OnlyVendored:  # Anki's Python has none of these: found in the add-on or nowhere
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in ("mistune", "yaml", "_yaml", "typing_extensions"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, folders)
        if spec is None:
            raise ModuleNotFoundError(name)
        return spec

sys.meta_path.insert(0, OnlyVendored)
sys.path.insert(0, {addons!r})
import context_connect.addon
for name in {modules!r}:
    importlib.import_module("context_connect.addon.core." + name)
import mistune, yaml
print(mistune.__file__, yaml.__file__, sep="\\n")
"""


def test_the_pure_core_loads_with_only_the_vendored_libraries(tmp_path: Path) -> None:
    package = build(tmp_path / "context_connect.ankiaddon")
    addons = tmp_path / "addons21"
    addon = addons / "context_connect" / "addon"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(addons / "context_connect")
    modules = sorted(p.stem for p in (ROOT / "addon" / "core").glob("*.py") if p.stem != "__init__")
    code = PROBE.format(addon=str(addon), addons=str(addons), modules=modules)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(addon / "vendor" / "mistune" / "__init__.py"),
        str(addon / "vendor" / "yaml" / "__init__.py"),
    ]
