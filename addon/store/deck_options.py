"""Deck option presets ("configuration groups" in AnkiConnect's words)."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection
from anki.decks import DeckConfigId, DeckId

DEFAULT_PRESET = 1


def _config(col: Collection, config_id: int) -> dict[str, Any] | None:
    found = col.decks.get_config(DeckConfigId(config_id))
    # Anki answers the default preset for an unknown id.
    return dict(found) if found and found["id"] == config_id else None


def preset_of_deck(col: Collection, name: str) -> dict[str, Any] | bool:
    deck_id = col.decks.id_for_name(name)
    if deck_id is None:
        return False
    return dict(col.decks.config_dict_for_deck_id(deck_id))


def save_preset(col: Collection, config: dict[str, Any]) -> bool:
    if not isinstance(config, dict) or _config(col, int(config.get("id", 0))) is None:
        return False
    col.decks.update_config(config)
    return True


def use_preset(col: Collection, names: list[str], config_id: int) -> bool:
    preset = _config(col, config_id)
    ids = [col.decks.id_for_name(name) for name in names]
    if preset is None or any(deck_id is None for deck_id in ids):
        return False
    for deck_id in ids:
        deck = col.decks.get(DeckId(int(deck_id or 0)))
        if deck is None or deck.get("dyn"):
            return False
        deck["conf"] = config_id
        col.decks.save(deck)
    return True


def clone_preset(col: Collection, name: str, clone_from: int) -> int | bool:
    source = _config(col, clone_from)
    if source is None:
        return False
    return int(col.decks.add_config_returning_id(name, source))


def remove_preset(col: Collection, config_id: int) -> bool:
    if config_id == DEFAULT_PRESET or _config(col, config_id) is None:
        return False
    col.decks.remove_config(DeckConfigId(config_id))
    return True
