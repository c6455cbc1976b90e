"""Paths that come from outside (a request, a field, a shared Markdown folder) and
must stay in their folder: one check for file names, one for containment.

A name is checked before anything is touched, and a path is resolved (symbolic
links followed) before it is compared with its folder, so `..`, an absolute path,
`%2E%2E` once decoded, or a link that points elsewhere never reaches a file
outside."""

from __future__ import annotations

import os
from pathlib import Path

# Device names Windows opens instead of a file, whatever the extension.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)]
)
MAX_NAME_BYTES = 255  # the longest file name ext4, APFS and NTFS all take


class OutsideFolder(PermissionError):
    """A path that leaves the folder it must stay in; never read or written."""


def file_name_problem(name: object) -> str | None:
    """Why `name` cannot be a file directly in a folder (Anki's media folder, the
    Markdown folder's `media/`), or None when it can."""
    if not isinstance(name, str):
        return f"file name must be a string, not {type(name).__name__}"
    if name in ("", ".", ".."):
        return f"{name!r} is not a file name"
    if "/" in name or "\\" in name:
        return f"file name {name!r} contains a path separator"
    if any(ord(char) < 32 for char in name):
        return f"file name {name!r} contains a control character"
    if name.split(".")[0].strip().upper() in RESERVED_NAMES:
        return f"file name {name!r} is reserved by Windows"
    if len(name.encode("utf-8", errors="surrogatepass")) > MAX_NAME_BYTES:
        return f"file name is longer than {MAX_NAME_BYTES} bytes"
    return None


def contained(root: Path, *parts: str) -> Path:
    """`root` joined with `parts` (an absolute part starts over, as in `os.path.join`),
    every symbolic link resolved; OutsideFolder when that leaves `root`."""
    shown = os.path.join(*parts)
    if "\x00" in shown:
        raise OutsideFolder(f"{shown!r} contains a NUL character")
    base = Path(os.path.realpath(root))
    joined = os.path.join(base, *parts)
    target = Path(os.path.realpath(joined))
    if not _within(target, base):
        lexical = Path(os.path.normpath(joined))
        how = "through a symbolic link " if _within(lexical, base) else ""
        raise OutsideFolder(f"{shown} leads {how}outside {root.name}/")
    return target


class Inside:
    """`contained` for many paths in one folder (a sync writing thousands of notes):
    the folder, and each folder in it, is resolved once; a path whose last part is a
    link, or that is not a plain name in a folder, is resolved whole."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._base = os.path.realpath(root)
        self._folders: dict[str, Path] = {}

    def __call__(self, *parts: str) -> Path:
        shown = os.path.join(*parts)
        folder, name = os.path.split(shown)
        joined = os.path.join(self._base, shown)
        if (
            os.path.isabs(shown)
            or name in ("", ".", "..")
            or "\x00" in shown
            or os.path.islink(joined)
        ):
            return contained(self._root, *parts)
        if folder not in self._folders:
            try:
                self._folders[folder] = (
                    contained(self._root, folder) if folder else Path(self._base)
                )
            except OutsideFolder:
                return contained(self._root, *parts)  # refused, naming the whole path
        return self._folders[folder] / name


def read_inside(root: Path, *parts: str) -> bytes:
    """The bytes of a regular file inside `root` (see `contained`): a named pipe or a
    device would block the reader or never end."""
    target = contained(root, *parts)
    if target.exists() and not target.is_file():
        raise OSError(f"{os.path.join(*parts)} is not a regular file")
    return target.read_bytes()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
