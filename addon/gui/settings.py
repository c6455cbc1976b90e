"""The add-on's config as Anki stores it (Tools ▸ Add-ons ▸ Config)."""

from __future__ import annotations

from aqt.main import AnkiQt

from ..core.config import Config, ConfigError, parse_config


def load(mw: AnkiQt, module: str) -> Config:
    raw = mw.addonManager.getConfig(module)
    if raw is None:
        raise ConfigError(["config.json is missing from the add-on folder: reinstall"])
    return parse_config(raw, "Context Connect config (Tools ▸ Add-ons ▸ Config)")
