"""Media actions."""

from __future__ import annotations

import base64
from pathlib import Path

from anki.collection import Collection

from ..context import ApiContext
from . import media_sources
from .registry import action


def _inside_media(col: Collection, filename: str) -> Path | None:
    """The file in the media folder, or None for names that would leave it."""
    if not isinstance(filename, str) or Path(filename).name != filename or filename in ("", "."):
        return None
    return Path(col.media.dir()) / filename


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
    spec = {"data": data, "path": path, "url": url, "skipHash": skipHash}
    content = media_sources.content(spec, ctx.config.max_body_bytes)
    if media_sources.skipped(spec, content):
        return None

    def write(col: Collection) -> str:
        if deleteExisting and col.media.have(filename):
            col.media.trash_files([filename])
        return col.media.write_data(filename, content)

    # Media files are outside the undo system: a query op, not a collection op.
    return ctx.runner.read(write)


@action
def retrieveMediaFile(ctx: ApiContext, filename: str) -> str | bool:
    def read(col: Collection) -> str | bool:
        target = _inside_media(col, filename)
        if target is None or not target.is_file():
            return False
        return base64.b64encode(target.read_bytes()).decode("ascii")

    return ctx.runner.read(read)


@action
def getMediaFilesNames(ctx: ApiContext, pattern: str = "*") -> list[str]:
    return ctx.runner.read(
        lambda col: sorted(p.name for p in Path(col.media.dir()).glob(pattern) if p.is_file())
    )


@action
def getMediaDirPath(ctx: ApiContext) -> str:
    return ctx.runner.read(lambda col: str(Path(col.media.dir()).resolve()))


@action
def deleteMediaFile(ctx: ApiContext, filename: str) -> None:
    def write(col: Collection) -> None:
        if _inside_media(col, filename) is None:
            raise ValueError(f"not a file name in the media folder: {filename!r}")
        if col.media.have(filename):
            col.media.trash_files([filename])  # to Anki's media trash, restorable

    ctx.runner.read(write)
