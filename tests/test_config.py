"""Settings: the shipped defaults parse, and every bad value is named with its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from addon.core.config import Config, ConfigError, load_config_file, parse_config

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_json_is_the_default() -> None:
    shipped = json.loads((ROOT / "config.json").read_text())
    assert parse_config(shipped) == Config()
    assert set(shipped) == set(Config.__dataclass_fields__)


def test_config_md_documents_every_key() -> None:
    help_text = (ROOT / "config.md").read_text()
    for key in Config.__dataclass_fields__:
        assert f"`{key}`" in help_text, key


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("port", "8766", "port: must be a whole number from 1 to 65535"),
        ("port", 70000, "port: must be a whole number from 1 to 65535, got 70000"),
        ("port", True, "port: must be a whole number"),
        ("host", "", "host: must be an address"),
        ("anki_connect_port", 0, "anki_connect_port: must be a whole number from 1 to 65535"),
        ("watch", "yes", "watch: must be true or false"),
        ("cors_origins", "https://a.example", "cors_origins: must be a list"),
        ("api_key", 123, "api_key: must be a string or null"),
        ("deck_strategy", "flat", "deck_strategy: must be one of"),
        ("max_body_mb", 0, "max_body_mb: must be a whole number from 1 to 4096"),
        ("prot", 1, "prot: unknown setting"),
    ],
)
def test_bad_values_are_named(key: str, value: object, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({key: value})
    assert any(expected in problem for problem in error.value.problems), error.value.problems


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"port": -1, "watch": 1})
    assert len(error.value.problems) == 2


def test_blank_strings_mean_unset() -> None:
    config = parse_config({"api_key": "  ", "default_deck": "", "cors_origins": None})
    assert config.api_key is None and config.default_deck is None and config.cors_origins == ()


def test_config_file_errors_say_where(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{\n  "port": 8766,\n  "host": \n}')
    with pytest.raises(ConfigError, match=r"settings.json.*\n.*line 4: not valid JSON"):
        load_config_file(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path / "missing.json")
