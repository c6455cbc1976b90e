"""Action name → function; each module adds its actions with @action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ACTIONS: dict[str, Callable[..., Any]] = {}


def action(fn: F) -> F:
    ACTIONS[fn.__name__] = fn
    return fn
