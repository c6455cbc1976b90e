"""Cards sent by annotators: validated, and turned into the fields of our note types.

All checking happens here, before the collection is touched, so that a batch with
one bad card writes nothing. Every problem is reported with its JSON path.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from . import media as media_files
from .cloze import has_cloze
from .config import Config
from .decks import DeckNameError, deck_from_name, deck_from_tag, deck_from_title, is_deck_tag
from .markdown import render
from .notetypes import CONTEXT_FIELDS, KEY_FIELD, REVISION_FIELD, SPECS
from .source_links import source_link
from .tags import normalise

MAX_ID_LENGTH = 256
URL_PATTERN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"<>]*$")
CARD_KEYS = {"id", "type", "front", "back", "text", "extra", "tags", "deck", "format", "context"}
CONTEXT_KEYS = {"title", "url", "highlight", "page", "location", "image", "created"}
IMAGE_KEYS = {"data", "filename"}


class ValidationError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class IncomingCard:
    """A card ready to write: the fields of its note type, its tags and its deck.

    `deck` is an Anki deck name, or None for Anki's default deck. `revision` is a
    digest of everything the client sent, so a resend of the same card is recognised
    without comparing it to the note (which the user may have edited in Anki)."""

    id: str
    kind: str
    fields: dict[str, str]
    tags: list[str]
    deck: str | None
    media: list[media_files.MediaFile] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.fields[KEY_FIELD]

    @property
    def revision(self) -> str:
        return self.fields[REVISION_FIELD]


@dataclass(frozen=True)
class CardRef:
    """A card as sent, before full validation: enough to tell whether it changed."""

    id: str
    key: str  # the id as stored in the key field
    revision: str
    path: str
    raw: dict[str, Any]


def revision_of(raw: dict[str, Any], config: Config) -> str:
    """Digest of what the client sent, and of the settings that decide its deck.

    Validation is deterministic, so a card whose digest matches the stored one was
    valid and is unchanged: a resent library skips parsing, rendering and hashing."""
    basis = [raw, config.deck_strategy, config.default_deck]
    try:
        encoded = orjson.dumps(basis, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # integers beyond 64 bits
        encoded = json.dumps(basis, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def text(self, obj: dict[str, Any], key: str, path: str, required: bool = False) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"not a string ({type(value).__name__})")
            return ""
        return value

    def unknown(self, obj: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in sorted(set(obj) - allowed):
            self.fail(f"{path}.{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")


def card_list(payload: Any) -> tuple[list[Any], Callable[[int], str]]:
    """Accept `{"cards": [...]}`, a bare list, or one card object."""
    if isinstance(payload, dict) and "cards" in payload:
        if set(payload) != {"cards"}:
            extra = sorted(set(payload) - {"cards"})
            hint = 'send {"cards": [...]}'
            raise ValidationError([f"{key}: unknown field ({hint})" for key in extra])
        cards = payload["cards"]
        if not isinstance(cards, list):
            raise ValidationError(["cards: not a list"])
        return cards, lambda i: f"cards[{i}]"
    if isinstance(payload, list):
        return payload, lambda i: f"[{i}]"
    if isinstance(payload, dict):
        return [payload], lambda _i: "card"
    raise ValidationError(['body must be a card object, a list of cards, or {"cards": [...]}'])


def _field_html(
    value: str, fmt: str, path: str, check: _Checker, found: list[media_files.MediaFile]
) -> str:
    rendered = render(value) if fmt == "markdown" else value
    try:
        rendered, images = media_files.extract_inline_images(rendered)
    except media_files.MediaError as exc:
        check.fail(path, f"inline image: {exc}")
        return rendered
    found.extend(images)
    return rendered


def _plain(value: str) -> str:
    return html.escape(value, quote=False).replace("\n", "<br>")


def _image(value: Any, path: str, check: _Checker) -> media_files.MediaFile | None:
    try:
        if isinstance(value, str):
            return media_files.from_data_url(value)
        if isinstance(value, dict):
            check.unknown(value, IMAGE_KEYS, path)
            data, filename = value.get("data"), value.get("filename")
            if not isinstance(data, str) or not isinstance(filename, str):
                check.fail(path, "needs string fields 'data' (base64) and 'filename'")
                return None
            if data.startswith("data:"):
                return media_files.from_data_url(data)
            return media_files.from_base64(data, filename)
        check.fail(path, 'must be a data URL or {"data": base64, "filename": "x.png"}')
    except media_files.MediaError as exc:
        check.fail(path, str(exc))
    return None


def _context(
    raw: Any, path: str, check: _Checker, found: list[media_files.MediaFile]
) -> dict[str, str]:
    fields = dict.fromkeys(CONTEXT_FIELDS, "")
    if raw is None:
        return fields
    if not isinstance(raw, dict):
        check.fail(path, "not an object")
        return fields
    check.unknown(raw, CONTEXT_KEYS, path)
    fields["Title"] = _plain(check.text(raw, "title", path).strip())
    url = check.text(raw, "url", path).strip()
    if url and not URL_PATTERN.match(url):
        check.fail(f"{path}.url", "not an absolute URL without spaces or quotes")
    highlight = check.text(raw, "highlight", path)
    fields["Highlight"] = _plain(highlight)
    page = raw.get("page")
    if page is not None and (isinstance(page, bool) or not isinstance(page, (int, str))):
        check.fail(f"{path}.page", "not a number or string")
        page = None
    fields["URL"] = html.escape(source_link(url, highlight, page))
    location = check.text(raw, "location", path).strip()
    parts = ([f"p. {page}"] if page not in (None, "") else []) + ([location] if location else [])
    fields["Location"] = _plain(", ".join(parts))
    fields["Created"] = _plain(check.text(raw, "created", path).strip())
    if raw.get("image") is not None:
        image = _image(raw["image"], f"{path}.image", check)
        if image is not None:
            found.append(image)
            fields["Image"] = f'<img src="{image.name}">'
    return fields


def _deck(
    raw: dict[str, Any],
    tags: list[str],
    context_title: str,
    config: Config,
    path: str,
    check: _Checker,
) -> str | None:
    try:
        deck_tags = [tag for tag in tags if is_deck_tag(tag)]
        if len(deck_tags) > 1:
            check.fail(f"{path}.tags", f"more than one deck: tag ({', '.join(deck_tags)})")
            return None
        explicit = raw.get("deck")
        if explicit is not None:
            if not isinstance(explicit, str):
                check.fail(f"{path}.deck", "not a string")
                return None
            return deck_from_name(explicit)
        if deck_tags:
            return deck_from_tag(deck_tags[0])
        if config.deck_strategy == "per_document" and context_title.strip():
            return deck_from_title(context_title)
        return deck_from_name(config.default_deck) if config.default_deck else None
    except DeckNameError as exc:
        check.fail(f"{path}.deck" if raw.get("deck") is not None else f"{path}.tags", str(exc))
        return None


def _card(ref: CardRef, config: Config, check: _Checker) -> IncomingCard | None:
    raw, path = ref.raw, ref.path
    start = len(check.problems)
    check.unknown(raw, CARD_KEYS, path)
    kind = raw.get("type", "basic")
    if not isinstance(kind, str) or kind not in SPECS:
        check.fail(f"{path}.type", f"must be 'basic' or 'cloze', got {json.dumps(kind)}")
        return None
    fmt = raw.get("format", "html")
    if fmt not in ("html", "markdown"):
        check.fail(f"{path}.format", f"must be 'html' or 'markdown', got {json.dumps(fmt)}")
        fmt = "html"
    raw_tags = raw.get("tags", [])
    if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
        check.fail(f"{path}.tags", "not a list of strings")
        raw_tags = []

    found: list[media_files.MediaFile] = []
    fields: dict[str, str] = {}
    if kind == "basic":
        if "text" in raw:
            check.fail(f"{path}.text", "belongs to cloze cards; basic cards have front and back")
        front = check.text(raw, "front", path, required=True)
        if "front" in raw and not front.strip():
            check.fail(f"{path}.front", "is empty")
        fields["Front"] = _field_html(front, fmt, f"{path}.front", check, found)
        fields["Back"] = _field_html(
            check.text(raw, "back", path), fmt, f"{path}.back", check, found
        )
    else:
        for key in ("front", "back"):
            if key in raw:
                check.fail(f"{path}.{key}", "belongs to basic cards; cloze cards have text")
        text = check.text(raw, "text", path, required=True)
        if "text" in raw and isinstance(raw["text"], str) and not has_cloze(text):
            check.fail(f"{path}.text", "has no cloze: mark the answer as {{c1::answer}}")
        fields["Text"] = _field_html(text, fmt, f"{path}.text", check, found)
    fields["Extra"] = _field_html(
        check.text(raw, "extra", path), fmt, f"{path}.extra", check, found
    )
    context_raw = raw.get("context")
    fields.update(_context(context_raw, f"{path}.context", check, found))
    title = context_raw.get("title", "") if isinstance(context_raw, dict) else ""
    deck = _deck(raw, raw_tags, title if isinstance(title, str) else "", config, path, check)
    tags = normalise([tag for tag in raw_tags if not is_deck_tag(tag)])
    if len(check.problems) > start:
        return None
    fields[KEY_FIELD] = ref.key
    fields[REVISION_FIELD] = ref.revision
    unique = {item.name: item for item in found}
    return IncomingCard(ref.id, kind, fields, tags, deck, list(unique.values()))


def card_refs(payload: Any, config: Config) -> list[CardRef]:
    """The cheap first pass: every card an object with a unique, valid id."""
    raw_cards, path_of = card_list(payload)
    if not raw_cards:
        raise ValidationError(["cards: the list is empty"])
    problems: list[str] = []
    refs: list[CardRef] = []
    first_seen: dict[str, str] = {}
    for index, raw in enumerate(raw_cards):
        path = path_of(index)
        if not isinstance(raw, dict):
            problems.append(f"{path}: not an object")
            continue
        card_id = raw.get("id")
        if card_id is None:
            problems.append(f"{path}.id: is required")
            continue
        if not isinstance(card_id, str) or not card_id.strip():
            problems.append(f"{path}.id: not a non-empty string")
            continue
        card_id = card_id.strip()
        if len(card_id) > MAX_ID_LENGTH:
            problems.append(f"{path}.id: longer than {MAX_ID_LENGTH} characters")
            continue
        if card_id in first_seen:
            problems.append(f"{path}.id: {card_id!r} is already used by {first_seen[card_id]}")
            continue
        first_seen[card_id] = path
        refs.append(CardRef(card_id, html.escape(card_id), revision_of(raw, config), path, raw))
    if problems:
        # Report the other cards' problems too, so one round trip shows them all.
        check = _Checker()
        for ref in refs:
            _card(ref, config, check)
        raise ValidationError(problems + check.problems)
    return refs


def validate_cards(refs: list[CardRef], config: Config) -> list[IncomingCard]:
    """The full pass; raise ValidationError listing every problem of every card."""
    check = _Checker()
    cards = [card for ref in refs if (card := _card(ref, config, check)) is not None]
    if check.problems:
        raise ValidationError(check.problems)
    return cards


def parse_cards(payload: Any, config: Config) -> list[IncomingCard]:
    """Validate a POST /v1/cards body completely."""
    return validate_cards(card_refs(payload, config), config)
