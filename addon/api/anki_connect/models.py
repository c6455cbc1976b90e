"""Model (note type) actions, including AnkiConnect's model-editing ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anki.collection import Collection
from anki.models import NotetypeDict

from ...store import model_editing as edit
from ..context import ApiContext
from .registry import action

T = TypeVar("T")


def _label(name: str) -> str:
    return f"AnkiConnect: {name}"


def _read_model(ctx: ApiContext, name: str, fn: Callable[[Collection, NotetypeDict], T]) -> T:
    return ctx.runner.read(lambda col: fn(col, edit.model(col, name)))


@action
def modelNames(ctx: ApiContext) -> list[str]:
    return ctx.runner.read(lambda col: [m.name for m in col.models.all_names_and_ids()])


@action
def modelNameFromId(ctx: ApiContext, modelId: int) -> str:
    return ctx.runner.read(lambda col: str(edit.model_by_id(col, modelId)["name"]))


@action
def modelNamesAndIds(ctx: ApiContext) -> dict[str, int]:
    return ctx.runner.read(lambda col: {m.name: m.id for m in col.models.all_names_and_ids()})


@action
def findModelsById(ctx: ApiContext, modelIds: list[int]) -> list[dict[str, Any]]:
    return ctx.runner.read(lambda col: [edit.model_by_id(col, int(i)) for i in modelIds])


@action
def findModelsByName(ctx: ApiContext, modelNames: list[str]) -> list[dict[str, Any]]:
    return ctx.runner.read(lambda col: [edit.model(col, name) for name in modelNames])


@action
def modelFieldNames(ctx: ApiContext, modelName: str) -> list[str]:
    return _read_model(ctx, modelName, lambda col, nt: col.models.field_names(nt))


@action
def modelFieldDescriptions(ctx: ApiContext, modelName: str) -> list[str]:
    return _read_model(
        ctx, modelName, lambda col, nt: [f.get("description", "") for f in nt["flds"]]
    )


@action
def modelFieldFonts(ctx: ApiContext, modelName: str) -> dict[str, dict[str, Any]]:
    return _read_model(
        ctx,
        modelName,
        lambda col, nt: {f["name"]: {"font": f["font"], "size": f["size"]} for f in nt["flds"]},
    )


@action
def modelFieldsOnTemplates(ctx: ApiContext, modelName: str) -> dict[str, list[list[str]]]:
    return _read_model(ctx, modelName, edit.fields_on_templates)


@action
def modelTemplates(ctx: ApiContext, modelName: str) -> dict[str, dict[str, str]]:
    return _read_model(ctx, modelName, lambda col, nt: edit.templates_of(nt))


@action
def modelStyling(ctx: ApiContext, modelName: str) -> dict[str, str]:
    return _read_model(ctx, modelName, lambda col, nt: {"css": nt["css"]})


@action
def createModel(
    ctx: ApiContext,
    modelName: str,
    inOrderFields: list[str],
    cardTemplates: list[dict[str, str]],
    css: str | None = None,
    isCloze: bool = False,
) -> dict[str, Any]:
    return ctx.runner.write(
        _label("createModel"),
        lambda col: edit.create(col, modelName, inOrderFields, cardTemplates, css, isCloze),
    )


@action
def updateModelTemplates(ctx: ApiContext, model: dict[str, Any]) -> None:
    ctx.runner.write(
        _label("updateModelTemplates"),
        lambda col: edit.update_templates(col, model["name"], model["templates"]),
    )


@action
def updateModelStyling(ctx: ApiContext, model: dict[str, Any]) -> None:
    ctx.runner.write(
        _label("updateModelStyling"),
        lambda col: edit.update_styling(col, model["name"], model["css"]),
    )


@action
def findAndReplaceInModels(
    ctx: ApiContext, model: dict[str, Any] | None = None, **flat: Any
) -> int:
    """Takes the plugin's flat parameters (`modelName`, `findText`, ...) or the
    README's `model` object holding them."""
    spec = model if model is not None else flat
    unknown = set(spec) - {"modelName", "findText", "replaceText", "front", "back", "css"}
    if unknown:
        raise TypeError(
            f"findAndReplaceInModels() got an unexpected keyword argument '{sorted(unknown)[0]}'"
        )

    def write(col: Collection) -> int:
        return edit.find_and_replace(
            col,
            spec.get("modelName") or "",
            str(spec["findText"]),
            str(spec.get("replaceText", "")),
            bool(spec.get("front", True)),
            bool(spec.get("back", True)),
            bool(spec.get("css", True)),
        )

    return ctx.runner.write(_label("findAndReplaceInModels"), write)


@action
def modelTemplateRename(
    ctx: ApiContext, modelName: str, oldTemplateName: str, newTemplateName: str
) -> None:
    ctx.runner.write(
        _label("modelTemplateRename"),
        lambda col: edit.rename_template(col, modelName, oldTemplateName, newTemplateName),
    )


@action
def modelTemplateReposition(ctx: ApiContext, modelName: str, templateName: str, index: int) -> None:
    ctx.runner.write(
        _label("modelTemplateReposition"),
        lambda col: edit.reposition_template(col, modelName, templateName, index),
    )


@action
def modelTemplateAdd(ctx: ApiContext, modelName: str, template: dict[str, str]) -> None:
    ctx.runner.write(
        _label("modelTemplateAdd"), lambda col: edit.add_template(col, modelName, template)
    )


@action
def modelTemplateRemove(ctx: ApiContext, modelName: str, templateName: str) -> None:
    ctx.runner.write(
        _label("modelTemplateRemove"),
        lambda col: edit.remove_template(col, modelName, templateName),
    )


@action
def modelFieldRename(ctx: ApiContext, modelName: str, oldFieldName: str, newFieldName: str) -> None:
    ctx.runner.write(
        _label("modelFieldRename"),
        lambda col: edit.rename_field(col, modelName, oldFieldName, newFieldName),
    )


@action
def modelFieldReposition(ctx: ApiContext, modelName: str, fieldName: str, index: int) -> None:
    ctx.runner.write(
        _label("modelFieldReposition"),
        lambda col: edit.reposition_field(col, modelName, fieldName, index),
    )


@action
def modelFieldAdd(
    ctx: ApiContext, modelName: str, fieldName: str, index: int | None = None
) -> None:
    ctx.runner.write(
        _label("modelFieldAdd"), lambda col: edit.add_field(col, modelName, fieldName, index)
    )


@action
def modelFieldRemove(ctx: ApiContext, modelName: str, fieldName: str) -> None:
    ctx.runner.write(
        _label("modelFieldRemove"), lambda col: edit.remove_field(col, modelName, fieldName)
    )


def _set_field(ctx: ApiContext, label: str, model: str, field: str, key: str, value: Any) -> None:
    ctx.runner.write(
        _label(label), lambda col: edit.set_field_property(col, model, field, key, value)
    )


@action
def modelFieldSetFont(ctx: ApiContext, modelName: str, fieldName: str, font: str) -> None:
    if not isinstance(font, str):
        raise ValueError("font should be a string: " + repr(font))
    _set_field(ctx, "modelFieldSetFont", modelName, fieldName, "font", font)


@action
def modelFieldSetFontSize(ctx: ApiContext, modelName: str, fieldName: str, fontSize: int) -> None:
    if isinstance(fontSize, bool) or not isinstance(fontSize, int):
        raise ValueError("fontSize should be an integer: " + repr(fontSize))
    _set_field(ctx, "modelFieldSetFontSize", modelName, fieldName, "size", fontSize)


@action
def modelFieldSetDescription(
    ctx: ApiContext, modelName: str, fieldName: str, description: str
) -> bool:
    if not isinstance(description, str):
        raise ValueError(f"description should be a string: {description}")
    _set_field(ctx, "modelFieldSetDescription", modelName, fieldName, "description", description)
    return True
