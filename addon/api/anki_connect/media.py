"""Media actions."""

from __future__ import annotations

import base64
import fnmatch
import os
from pathlib import Path

from anki.collection import Collection

from ...core.paths import contained, file_name_problem
from ..context import ApiContext
from . import media_sources
from .registry import action

MAX_PATTERN_LENGTH = 1000


def checked_name(filename: object) -> str:
    """The name, if it is one file directly in the media folder. Checked before
    anything is touched: Anki reads an empty name as the media folder itself."""
    if problem := file_name_problem(filename):
        raise ValueError(f"not a file name in the media folder: {problem}")
    return str(filename)


def _inside_media(col: Collection, filename: str) -> Path:
    """The file in the media folder; a link that leads out of it is refused."""
    return contained(Path(col.media.dir()), checked_name(filename))


@action
def storeMediaFile(
    ctx: ApiContext,
    filename: str,
    data: str | None = None,
    path: str | None = None,
    url: str | None = None,
    skipHash: str | None = None,
    deleteExisting: bool = True,
) -> str | None:
    checked_name(filename)
    spec = {"data": data, "path": path, "url": url, "skipHash": skipHash}
    content = media_sources.content(spec, ctx.config.max_body_bytes, ctx.browser)
    if media_sources.skipped(spec, content):
        return None

    def write(col: Collection) -> str:
        _inside_media(col, filename)
        if deleteExisting and col.media.have(filename):
            col.media.trash_files([filename])
        return col.media.write_data(filename, content)

    # Media files are outside the undo system: a query op, not a collection op.
    return ctx.runner.read(write)


@action
def retrieveMediaFile(ctx: ApiContext, filename: str) -> str | bool:
    checked_name(filename)

    def read(col: Collection) -> str | bool:
        target = _inside_media(col, filename)
        if not target.is_file():
            return False
        return base64.b64encode(target.read_bytes()).decode("ascii")

    return ctx.runner.read(read)


@action
def getMediaFilesNames(ctx: ApiContext, pattern: str = "*") -> list[str]:
    """Matched against the names in the media folder only: a pattern never walks
    anywhere else (`**` is `*`: the folder is flat)."""
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"pattern must be a string of at most {MAX_PATTERN_LENGTH} characters")
    if any(char in "/\\" or ord(char) < 32 for char in pattern):
        raise ValueError(
            f"pattern {pattern!r} must match names in the media folder: no path separators"
        )

    def names(col: Collection) -> list[str]:
        with os.scandir(col.media.dir()) as entries:
            found = [e.name for e in entries if e.is_file(follow_symlinks=False)]
        return sorted(fnmatch.filter(found, pattern))

    return ctx.runner.read(names)


@action
def getMediaDirPath(ctx: ApiContext) -> str:
    return ctx.runner.read(lambda col: str(Path(col.media.dir()).resolve()))


@action
def deleteMediaFile(ctx: ApiContext, filename: str) -> None:
    checked_name(filename)

    def write(col: Collection) -> None:
        _inside_media(col, filename)
        if col.media.have(filename):
            col.media.trash_files([filename])  # to Anki's media trash, restorable

    ctx.runner.read(write)
