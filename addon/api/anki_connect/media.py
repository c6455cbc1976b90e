"""Media actions."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from anki.collection import Collection

from ..context import ApiContext
from .registry import action


@action
def storeMediaFile(
    ctx: ApiContext,
    filename: str,
    data: str | None = None,
    path: str | None = None,
    url: str | None = None,
    skipHash: str | None = None,
    deleteExisting: bool = True,
) -> str:
    if data is not None:
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"data is not valid base64: {exc}") from None
    elif path is not None:
        content = Path(path).read_bytes()
    elif url is not None:
        raise ValueError("downloading media by url is not supported: send data or path")
    else:
        raise ValueError("You must provide a 'data', 'path', or 'url' field.")

    def write(col: Collection) -> str:
        if deleteExisting and col.media.have(filename):
            col.media.trash_files([filename])
        return col.media.write_data(filename, content)

    # Media files are outside the undo system: a query op, not a collection op.
    return ctx.runner.read(write)


@action
def retrieveMediaFile(ctx: ApiContext, filename: str) -> str | bool:
    def read(col: Collection) -> str | bool:
        target = Path(col.media.dir()) / filename
        if Path(filename).name != filename or not target.is_file():
            return False
        return base64.b64encode(target.read_bytes()).decode("ascii")

    return ctx.runner.read(read)


@action
def getMediaFilesNames(ctx: ApiContext, pattern: str = "*") -> list[str]:
    return ctx.runner.read(
        lambda col: sorted(p.name for p in Path(col.media.dir()).glob(pattern) if p.is_file())
    )
