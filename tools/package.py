"""Build dist/context_connect.ankiaddon: the add-on files at the zip root, with
mistune and the pure-Python part of PyYAML vendored under addon/vendor/, and
typing_extensions, which mistune needs before Python 3.11 and Anki does not ship,
under addon/vendor_fallback/."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FILES = ("manifest.json", "config.json", "config.md", "__init__.py")
TREES = ("addon", "web")
# Folder -> {import name -> distribution}. addon/__init__.py puts vendor/ first on the
# path and vendor_fallback/ last, where Anki's own copy, if it has one, wins.
VENDORED = {
    "vendor": {"mistune": "mistune", "yaml": "PyYAML"},
    "vendor_fallback": {"typing_extensions": "typing_extensions"},
}
VENDORED_PREFIXES = tuple(f"addon/{folder}/" for folder in VENDORED)
SKIP_DIRS = {"__pycache__", *VENDORED}
# Python 3.9, which Anki runs add-ons on before 25.07, has no dataclass(slots=): the
# vendored libraries lose their slots, which only save memory.
PY39_REWRITES = {b"@dataclass(slots=True)": b"@dataclass"}


def for_python_39(source: bytes) -> bytes:
    for newer, older in PY39_REWRITES.items():
        source = source.replace(newer, older)
    return source


def _module_file(import_name: str) -> Path:
    """An installed module's file (a package's __init__.py), found without importing
    it: before `rewrite_installed`, Python 3.9 cannot import mistune."""
    spec = importlib.util.find_spec(import_name)
    assert spec is not None and spec.origin is not None, import_name
    return Path(spec.origin)


def _tree(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        inside_skipped = SKIP_DIRS & set(path.relative_to(folder).parts[:-1])
        if path.is_file() and not inside_skipped and path.suffix not in (".pyc", ".pyo"):
            yield path


def _vendored(folder: str, import_name: str, dist_name: str) -> Iterator[tuple[Path, str]]:
    source = _module_file(import_name)
    if source.name == "__init__.py":
        package = source.parent
        for path in _tree(package):
            # Only pure Python: a compiled module would tie the add-on to one platform.
            if path.suffix == ".py" or path.name == "py.typed":
                yield path, f"addon/{folder}/{import_name}/{path.relative_to(package).as_posix()}"
    else:  # a module of one file
        yield source, f"addon/{folder}/{source.name}"
    for file in metadata.distribution(dist_name).files or []:
        if "LICENSE" in file.name.upper() or "LICENCE" in file.name.upper():
            yield Path(str(file.locate())), f"addon/{folder}/{dist_name}-{file.name}"


def entries() -> Iterator[tuple[Path, str]]:
    for name in TOP_FILES:
        yield ROOT / name, name
    for tree in TREES:
        for path in _tree(ROOT / tree):
            yield path, path.relative_to(ROOT).as_posix()
    for folder, names in VENDORED.items():
        for import_name, dist_name in names.items():
            yield from _vendored(folder, import_name, dist_name)


def rewrite_installed() -> None:
    """Make this environment's copies of the vendored libraries the ones the .ankiaddon
    ships (`make test-oldest` runs the suite on them under Python 3.9)."""
    for folder, names in VENDORED.items():
        for import_name, dist_name in names.items():
            for source, _ in _vendored(folder, import_name, dist_name):
                text = source.read_bytes()
                if source.suffix == ".py" and for_python_39(text) != text:
                    source.write_bytes(for_python_39(text))


def build(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in entries():
            if name.startswith(VENDORED_PREFIXES) and source.suffix == ".py":
                archive.writestr(name, for_python_39(source.read_bytes()))
            else:
                archive.write(source, name)
    partial.replace(output)
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "context_connect.ankiaddon")
    parser.add_argument(
        "--rewrite-installed", action="store_true",
        help="rewrite the installed vendored libraries for Python 3.9 instead of building",
    )  # fmt: skip
    args = parser.parse_args()
    if args.rewrite_installed:
        rewrite_installed()
        return 0
    path = build(args.output)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    print(f"{path} ({count} files, {path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
