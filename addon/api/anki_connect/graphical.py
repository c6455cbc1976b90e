"""Graphical actions, and the others that need Anki's window (AnkiWeb sync, profiles).

They run inside Anki, on its main thread (`gui/window.py`). Headless there is no
window, and each of them says so instead of pretending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..context import ApiContext
from . import media_sources
from .registry import ACTIONS

WINDOW_ACTIONS = (
    "guiBrowse",
    "guiSelectCard",
    "guiSelectNote",
    "guiReviewActive",
    "guiPlayAudio",
    "guiSelectedNotes",
    "guiAddCards",
    "guiEditNote",
    "guiCurrentCard",
    "guiStartCardTimer",
    "guiShowQuestion",
    "guiShowAnswer",
    "guiAnswerCard",
    "guiUndo",
    "guiDeckOverview",
    "guiDeckBrowser",
    "guiDeckReview",
    "guiImportFile",
    "guiExitAnki",
    "guiCheckDatabase",
    "sync",
)


def needs_window(ctx: ApiContext, name: str) -> None:
    if ctx.window is None:
        raise ValueError(
            f"{name} needs Anki's window, and this server runs headless "
            "(python -m addon serve): start Anki with Context Connect installed to use it"
        )


def _browser_params(ctx: ApiContext, name: str, params: dict[str, Any]) -> dict[str, Any]:
    """A browser's request reaches no local file or network through the window:
    its note's attachments are fetched here, under a browser's rules, and handed on
    as data."""
    if name == "guiImportFile" and params.get("path") is not None:
        raise ValueError(media_sources.BROWSER_PATH_REFUSAL)
    if name == "guiAddCards" and isinstance(params.get("note"), dict):
        note = media_sources.inline(params["note"], ctx.config.max_body_bytes)
        return {**params, "note": note}
    return params


def _through_window(name: str) -> Callable[..., Any]:
    def run(ctx: ApiContext, **params: Any) -> Any:
        needs_window(ctx, name)
        assert ctx.window is not None
        if ctx.browser:
            params = _browser_params(ctx, name, params)
        return ctx.window.perform(name, params)

    run.__name__ = run.__qualname__ = name
    return run


for _name in WINDOW_ACTIONS:
    ACTIONS[_name] = _through_window(_name)
