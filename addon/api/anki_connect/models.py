"""Model (note type) actions."""

from __future__ import annotations

from anki.collection import Collection

from ...store.notetypes import find_notetype
from ..context import ApiContext
from .registry import action


@action
def modelNames(ctx: ApiContext) -> list[str]:
    return ctx.runner.read(lambda col: [m.name for m in col.models.all_names_and_ids()])


@action
def modelNamesAndIds(ctx: ApiContext) -> dict[str, int]:
    return ctx.runner.read(lambda col: {m.name: m.id for m in col.models.all_names_and_ids()})


@action
def modelFieldNames(ctx: ApiContext, modelName: str) -> list[str]:
    def read(col: Collection) -> list[str]:
        notetype = find_notetype(col, modelName)
        if notetype is None:
            raise ValueError(f"model was not found: {modelName}")
        return col.models.field_names(notetype)

    return ctx.runner.read(read)
