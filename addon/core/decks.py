"""Deck names from `deck:` tags, explicit names and document titles.

Anki separates subdecks with `::`; annotators and Markdown front matter use `/`
(`deck:compsci/linux` is `compsci::linux`).
"""

from __future__ import annotations

DECK_TAG_PREFIX = "deck:"
SEPARATOR = "::"


class DeckNameError(ValueError):
    pass


def _join(segments: list[str], original: str) -> str:
    cleaned = [segment.strip() for segment in segments]
    if any(not segment for segment in cleaned):
        raise DeckNameError(f"deck {original!r} has an empty part: remove the extra separator")
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
