"""Deck names from `deck:` tags, explicit names and document titles.

Anki separates subdecks with `::`; annotators and Markdown front matter use `/`
(`deck:compsci/linux` is `compsci::linux`).
"""

from __future__ import annotations

DECK_TAG_PREFIX = "deck:"
SEPARATOR = "::"
# Each level is a deck to create; real hierarchies are a handful deep.
MAX_DECK_DEPTH = 100


class DeckNameError(ValueError):
    pass


def _join(segments: list[str], original: str) -> str:
    cleaned = [segment.strip() for segment in segments]
    if any(not segment for segment in cleaned):
        raise DeckNameError(f"deck {original!r} has an empty part: remove the extra separator")
    if len(cleaned) > MAX_DECK_DEPTH:
        raise DeckNameError(
            f"deck is nested {len(cleaned)} levels deep; the limit is {MAX_DECK_DEPTH}"
        )
    return SEPARATOR.join(cleaned)


def deck_from_tag(tag: str) -> str:
    """`deck:compsci/linux` → `compsci::linux`; spaces around parts are trimmed."""
    body = tag[len(DECK_TAG_PREFIX) :]
    if not body.strip():
        raise DeckNameError(f"tag {tag!r} names no deck: write e.g. deck:compsci/linux")
    return _join(body.split("/"), tag)


def deck_from_name(name: str) -> str:
    """An explicit deck name, in Anki's `a::b` form (or `a/b`, as in tags)."""
    if not name.strip():
        raise DeckNameError("deck name is empty")
    return _join(name.split(SEPARATOR) if SEPARATOR in name else name.split("/"), name)


def deck_from_title(title: str) -> str:
    """The per-document strategy: one deck per source; `::` in a title is not a subdeck."""
    return " ".join(title.replace(SEPARATOR, ":").split())


def is_deck_tag(tag: str) -> bool:
    return tag.lower().startswith(DECK_TAG_PREFIX)


def deck_and_parents(name: str) -> list[str]:
    """`a::b::c` → `a`, `a::b`, `a::b::c`: Anki creates a deck's missing parents itself,
    but refuses when more than about ten are missing ("deck nesting level too deep"),
    so they are created top down."""
    parts = name.split(SEPARATOR)
    if len(parts) > MAX_DECK_DEPTH:
        raise DeckNameError(
            f"deck is nested {len(parts)} levels deep; the limit is {MAX_DECK_DEPTH}"
        )
    return [SEPARATOR.join(parts[: depth + 1]) for depth in range(len(parts))]
