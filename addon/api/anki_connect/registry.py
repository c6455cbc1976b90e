"""Action name → function; each module adds its actions with @action."""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ACTIONS: dict[str, Callable[..., Any]] = {}


def action(fn: F) -> F:
    ACTIONS[fn.__name__] = fn
    return fn


def _union_members(annotation: str) -> list[ast.expr]:
    """`list[int] | None` → the nodes of `list[int]` and `None`."""
    members, pending = [], [ast.parse(annotation, mode="eval").body]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            pending += [node.left, node.right]
        else:
            members.append(node)
    return members


def _names(node: ast.expr, name: str) -> bool:
    """Whether `node` is the type `name`, bare or subscripted (`list`, `list[int]`)."""
    target = node.value if isinstance(node, ast.Subscript) else node
    return isinstance(target, ast.Name) and target.id == name


@functools.cache
def list_params(fn: Callable[..., Any]) -> frozenset[str]:
    """The parameters `fn` declares as lists and not as strings (AnkiConnect takes
    some as either: `tags` of updateNoteTags). Read from the annotations' text, which
    every module keeps unevaluated: Python 3.9, which older Anki runs add-ons on,
    cannot evaluate `list[int] | None`."""
    found = set()
    for name, annotation in fn.__annotations__.items():
        if name == "return":
            continue
        members = _union_members(str(annotation))
        if not any(_names(m, "str") for m in members) and any(_names(m, "list") for m in members):
            found.add(name)
    return frozenset(found)
