"""Action name → function; each module adds its actions with @action."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ACTIONS: dict[str, Callable[..., Any]] = {}


def action(fn: F) -> F:
    ACTIONS[fn.__name__] = fn
    return fn


@functools.cache
def list_params(fn: Callable[..., Any]) -> frozenset[str]:
    """The parameters `fn` declares as lists and not as strings (AnkiConnect takes
    some as either: `tags` of updateNoteTags)."""
    found = set()
    hints = typing.get_type_hints(fn)
    hints.pop("return", None)
    for name, hint in hints.items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        if str not in options and any(typing.get_origin(o) is list for o in options):
            found.add(name)
    return frozenset(found)
