"""Build dist/context_connect.ankiaddon: the add-on files at the zip root, with
mistune and the pure-Python part of PyYAML vendored under addon/vendor/."""

from __future__ import annotations

import argparse
import importlib
import sys
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FILES = ("manifest.json", "config.json", "config.md", "__init__.py")
TREES = ("addon", "web")
VENDORED = {"mistune": "mistune", "yaml": "PyYAML"}  # import name -> distribution
SKIP_DIRS = {"__pycache__", "vendor"}


def _tree(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        inside_skipped = SKIP_DIRS & set(path.relative_to(folder).parts[:-1])
        if path.is_file() and not inside_skipped and path.suffix not in (".pyc", ".pyo"):
            yield path


def _vendored(import_name: str, dist_name: str) -> Iterator[tuple[Path, str]]:
    package = Path(importlib.import_module(import_name).__file__ or "").parent
    for path in _tree(package):
        # Only pure Python: a compiled module would tie the add-on to one platform.
        if path.suffix == ".py" or path.name == "py.typed":
            yield path, f"addon/vendor/{import_name}/{path.relative_to(package).as_posix()}"
    for file in metadata.distribution(dist_name).files or []:
        if "LICENSE" in file.name.upper() or "LICENCE" in file.name.upper():
            yield Path(str(file.locate())), f"addon/vendor/{dist_name}-{file.name}"


def entries() -> Iterator[tuple[Path, str]]:
    for name in TOP_FILES:
        yield ROOT / name, name
    for tree in TREES:
        for path in _tree(ROOT / tree):
            yield path, path.relative_to(ROOT).as_posix()
    for import_name, dist_name in VENDORED.items():
        yield from _vendored(import_name, dist_name)


def build(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in entries():
            archive.write(source, name)
    partial.replace(output)
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "context_connect.ankiaddon")
    args = parser.parse_args()
    path = build(args.output)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    print(f"{path} ({count} files, {path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
