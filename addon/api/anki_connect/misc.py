"""Miscellaneous actions: version, permission, reflection, profiles, packages."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection

from ...store import packages
from ..context import ApiContext
from .registry import ACTIONS, action

API_VERSION = 6


@action
def version(ctx: ApiContext) -> int:
    return API_VERSION


@action
def requestPermission(ctx: ApiContext) -> dict[str, Any]:
    # Origins are checked before any action runs (cors_origins); reaching here means
    # the caller is allowed.
    required = ctx.config.api_key is not None
    # AnkiConnect's code answers "requireApikey", its README "requireApiKey": send both.
    return {
        "permission": "granted",
        "requireApikey": required,
        "requireApiKey": required,
        "version": API_VERSION,
    }


@action
def apiReflect(
    ctx: ApiContext, scopes: list[str] | None = None, actions: list[str] | None = None
) -> dict[str, Any]:
    if not isinstance(scopes, list):
        raise ValueError("scopes has invalid value")
    if actions is not None and not isinstance(actions, list):
        raise ValueError("actions has invalid value")
    if "actions" not in scopes:
        return {"scopes": []}
    available = sorted([*ACTIONS, "multi"])
    chosen = available if actions is None else [a for a in actions if a in available]
    return {"scopes": ["actions"], "actions": chosen}


@action
def getProfiles(ctx: ApiContext) -> list[str]:
    if ctx.window is not None:  # every profile of this Anki, as AnkiConnect lists them
        return list(ctx.window.perform("getProfiles", {}))
    name = ctx.runner.profile_name()
    return [name] if name else []


@action
def getActiveProfile(ctx: ApiContext) -> str | None:
    return ctx.runner.profile_name()


@action
def loadProfile(ctx: ApiContext, name: str) -> bool:
    if ctx.window is not None:
        return bool(ctx.window.perform("loadProfile", {"name": name}))
    if name != ctx.runner.profile_name():
        raise ValueError(
            f"profile {name!r} is not open: this headless server serves one collection "
            f"({ctx.runner.profile_name()!r})"
        )
    return True


@action
def reloadCollection(ctx: ApiContext) -> None:
    # Headless, this process holds the only handle on the collection: nothing is stale.
    if ctx.window is not None:
        ctx.window.perform("reloadCollection", {})


@action
def exportPackage(ctx: ApiContext, deck: str, path: str, includeSched: bool = False) -> bool:
    def read(col: Collection) -> bool:
        if col.decks.id_for_name(deck) is None:
            return False  # AnkiConnect answers false, not an error, for an unknown deck
        return packages.export_deck(col, deck, path, includeSched, ctx.browser)

    return ctx.runner.read(read)


@action
def importPackage(ctx: ApiContext, path: str) -> bool:
    result = ctx.runner.write(
        "AnkiConnect: importPackage", lambda col: packages.import_package(col, path, ctx.browser)
    )
    if ctx.window is not None:
        ctx.window.perform("reloadCollection", {})
    return result
