"""Tags as Anki stores them: no spaces inside a tag."""

from __future__ import annotations

# Anki's own markers; an update from a client must not clear them.
ANKI_MARKERS = frozenset({"marked", "leech"})


def anki_safe(tag: str) -> str:
    """Spaces separate tags in Anki, so a client's `machine learning` becomes one tag."""
    return "_".join(tag.split())


def normalise(tags: list[str]) -> list[str]:
    """Anki-safe, no empties, no case-insensitive repeats, order kept."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in tags:
        safe = anki_safe(tag)
        if safe and safe.lower() not in seen:
            seen.add(safe.lower())
            result.append(safe)
    return result
