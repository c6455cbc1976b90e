"""How a sync decides what it may not decide alone, from the user's settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.config import Config
from ..core.sync_plan import Side


@dataclass(frozen=True)
class SyncOptions:
    winner: Side = "markdown"  # whose version a field changed on both sides gets in Anki
    max_delete_share: float = 0.25
    confirmed: bool = False  # mass deletions and note type changes needing a full upload
    git_snapshot: bool = False
    default_deck: str | None = None  # vault cards that name no deck (None: Anki's default)
    vault_deck_rule: str = "tags"  # "folder": a vault note's folders name its cards' deck
    dry_run: bool = False  # plan only: the summary says what a sync would do


def sync_options(config: Config, confirmed: bool = False, dry_run: bool = False) -> SyncOptions:
    winner: Side = "anki" if config.conflict_winner == "anki" else "markdown"
    return SyncOptions(
        winner,
        config.max_delete_share,
        confirmed,
        config.git_snapshot,
        config.default_deck,
        config.vault_deck_rule,
        dry_run,
    )
