"""Miscellaneous actions: version, permission, reflection, profiles."""

from __future__ import annotations

from typing import Any

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
    return {
        "permission": "granted",
        "requireApikey": ctx.config.api_key is not None,
        "version": API_VERSION,
    }


@action
def apiReflect(ctx: ApiContext, scopes: list[str], actions: list[str] | None) -> dict[str, Any]:
    if "actions" not in scopes:
        return {"scopes": [], "actions": []}
    available = sorted([*ACTIONS, "multi"])
    chosen = available if actions is None else [a for a in actions if a in available]
    return {"scopes": ["actions"], "actions": chosen}


@action
def getProfiles(ctx: ApiContext) -> list[str]:
    name = ctx.runner.profile_name()
    return [name] if name else []


@action
def getActiveProfile(ctx: ApiContext) -> str | None:
    return ctx.runner.profile_name()
