"""The add-on's settings: parsed from Anki's add-on config (or a JSON file headless).

Every problem is collected, so one message tells the user everything to fix.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DECK_STRATEGIES = ("tags", "per_document")
CONFLICT_WINNERS = ("markdown", "anki")
VAULT_DECK_RULES = ("tags", "folder")
SWITCHES = ("watch", "sync_on_open", "sync_on_close", "git_snapshot", "allow_extensions")


class ConfigError(ValueError):
    """Invalid settings; `problems` lists each one as 'key: what is wrong'."""

    def __init__(self, problems: list[str], source: str = "config") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"invalid {source}:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8766
    # Also answer here, exactly as AnkiConnect, while the port is free (no AnkiConnect).
    anki_connect_port: int | None = 8765
    markdown_folder: str | None = None
    watch: bool = False
    sync_on_open: bool = False
    sync_on_close: bool = False
    git_snapshot: bool = False
    conflict_winner: str = "markdown"
    max_delete_share: float = 0.25
    default_deck: str | None = None
    deck_strategy: str = "tags"
    api_key: str | None = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    allow_extensions: bool = True
    # Pages the user answered "Never" for: refused without asking again.
    ignored_origins: tuple[str, ...] = field(default_factory=tuple)
    max_body_mb: int = 64
    vaults: tuple[str, ...] = field(default_factory=tuple)
    vault_deck_rule: str = "tags"

    @property
    def max_body_bytes(self) -> int:
        return self.max_body_mb * 1024 * 1024

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def _describe(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, str) else repr(value)


def _optional_text(raw: Mapping[str, Any], key: str, problems: list[str]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{key}: must be a string or null, got {_describe(value)}")
        return None
    return value.strip() or None


def _origins(raw: Mapping[str, Any], key: str, problems: list[str]) -> tuple[str, ...]:
    origins = raw.get(key)
    if origins is None:
        origins = []
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        problems.append(
            f'{key}: must be a list of origins such as ["https://example.org"], '
            f"got {_describe(origins)}"
        )
        return ()
    return tuple(o.strip().rstrip("/").lower() for o in origins)


def parse_config(raw: Mapping[str, Any], source: str = "config") -> Config:
    """Turn the raw JSON object into a Config, or raise ConfigError naming every problem."""
    if not isinstance(raw, Mapping):
        raise ConfigError([f"must be a JSON object, got {_describe(raw)}"], source)
    problems: list[str] = []
    known = set(Config.__dataclass_fields__)
    for key in sorted(set(raw) - known):
        problems.append(f"{key}: unknown setting (known: {', '.join(sorted(known))})")

    defaults = Config()
    host = raw.get("host", defaults.host)
    if not isinstance(host, str) or not host.strip():
        problems.append(f'host: must be an address such as "127.0.0.1", got {_describe(host)}')
        host = defaults.host

    port = raw.get("port", defaults.port)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        problems.append(f"port: must be a whole number from 1 to 65535, got {_describe(port)}")
        port = defaults.port

    extra_port = raw.get("anki_connect_port", defaults.anki_connect_port)
    if extra_port is not None and (
        isinstance(extra_port, bool) or not isinstance(extra_port, int)
        or not 1 <= extra_port <= 65535
    ):  # fmt: skip
        problems.append(
            f"anki_connect_port: must be a whole number from 1 to 65535, or null, "
            f"got {_describe(extra_port)}"
        )
        extra_port = defaults.anki_connect_port

    switches: dict[str, bool] = {}
    for key in SWITCHES:
        value = raw.get(key, getattr(defaults, key))
        if not isinstance(value, bool):
            problems.append(f"{key}: must be true or false, got {_describe(value)}")
            value = getattr(defaults, key)
        switches[key] = value

    winner = raw.get("conflict_winner", defaults.conflict_winner)
    if winner not in CONFLICT_WINNERS:
        problems.append(
            f"conflict_winner: must be one of {', '.join(map(repr, CONFLICT_WINNERS))}, "
            f"got {_describe(winner)}"
        )
        winner = defaults.conflict_winner

    share = raw.get("max_delete_share", defaults.max_delete_share)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        problems.append(
            f"max_delete_share: must be a number from 0 to 1 (0.25 = a quarter of the "
            f"synced notes), got {_describe(share)}"
        )
        share = defaults.max_delete_share

    strategy = raw.get("deck_strategy", defaults.deck_strategy)
    if strategy not in DECK_STRATEGIES:
        problems.append(
            f"deck_strategy: must be one of {', '.join(map(repr, DECK_STRATEGIES))}, "
            f"got {_describe(strategy)}"
        )
        strategy = defaults.deck_strategy

    vaults = raw.get("vaults", [])
    if vaults is None:
        vaults = []
    if not isinstance(vaults, list) or not all(isinstance(v, str) and v.strip() for v in vaults):
        problems.append(
            f'vaults: must be a list of folders such as ["~/Notes"], got {_describe(vaults)}'
        )
        vaults = []
    rule = raw.get("vault_deck_rule", defaults.vault_deck_rule)
    if rule not in VAULT_DECK_RULES:
        problems.append(
            f"vault_deck_rule: must be one of {', '.join(map(repr, VAULT_DECK_RULES))}, "
            f"got {_describe(rule)}"
        )
        rule = defaults.vault_deck_rule

    origins = _origins(raw, "cors_origins", problems)
    ignored = _origins(raw, "ignored_origins", problems)

    max_mb = raw.get("max_body_mb", defaults.max_body_mb)
    if isinstance(max_mb, bool) or not isinstance(max_mb, int) or not 1 <= max_mb <= 4096:
        problems.append(
            f"max_body_mb: must be a whole number from 1 to 4096, got {_describe(max_mb)}"
        )
        max_mb = defaults.max_body_mb

    config = Config(
        host=host.strip(),
        port=port,
        anki_connect_port=extra_port,
        markdown_folder=_optional_text(raw, "markdown_folder", problems),
        conflict_winner=winner,
        max_delete_share=float(share),
        default_deck=_optional_text(raw, "default_deck", problems),
        deck_strategy=strategy,
        api_key=_optional_text(raw, "api_key", problems),
        cors_origins=origins,
        ignored_origins=ignored,
        max_body_mb=max_mb,
        vaults=tuple(vaults),
        vault_deck_rule=rule,
        **switches,
    )
    if problems:
        raise ConfigError(problems, source)
    return config


def load_config_file(path: Path) -> Config:
    """Read a JSON config file (headless mode); errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"cannot read: {exc.strerror or exc}"], str(path)) from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError([f"line {exc.lineno}: not valid JSON ({exc.msg})"], str(path)) from exc
    return parse_config(raw, str(path))
