"""How much work one request may ask for. A request is checked against these before
the collection is touched, so no single call holds the collection for long.

Only sizes that cost work beyond the collection's own size are bounded: a note type
with 20,000 fields (Anki renames duplicate names one by one, quadratically) or an
empty search text replaced between every character of every template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_FIELDS = 1000
MAX_TEMPLATES = 100
# A card template or a note type's style, after findAndReplaceInModels.
MAX_TEMPLATE_CHARS = 1_000_000

# Parameter name → the most items its list may hold.
LIST_LIMITS = {"inOrderFields": MAX_FIELDS, "cardTemplates": MAX_TEMPLATES}
# Parameters whose text is searched for and must not be empty.
SEARCH_TEXTS = ("findText",)


def params_problem(action: str, params: Mapping[str, Any], lists: frozenset[str]) -> str | None:
    """Why `params` of `action` are refused, or None. `lists` names the parameters the
    action takes as lists: a string there would be taken one character at a time."""
    for name, value in params.items():
        if name in lists and isinstance(value, str):
            return f"{action}: {name} must be a list, not a string"
        limit = LIST_LIMITS.get(name)
        if limit is not None and isinstance(value, list) and len(value) > limit:
            return f"{action}: {name} has {len(value)} items; the limit is {limit}"
    model = params.get("model")
    nested = model if isinstance(model, Mapping) else params
    for name in SEARCH_TEXTS:
        if nested.get(name) == "":
            return f"{action}: {name} must not be empty"
    return None
