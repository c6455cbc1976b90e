"""Launch real Anki (from this virtualenv) on a throwaway profile base.

The base gets a seeded prefs21.db (no first-run language dialog, one profile) and,
unless told otherwise, this working tree linked into addons21/ as the add-on.
Used by `make anki` and by the end-to-end tests.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON_FOLDER = "context_connect"
PROFILE = "User 1"


def seed_profile(base: Path, profile: str = PROFILE, lang: str = "en_US") -> None:
    """Write prefs21.db as Anki leaves it after its first-run dialog."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "addons21").mkdir(exist_ok=True)
    meta = {
        "ver": 0,
        "updates": False,
        "created": int(time.time()),
        "id": 1,
        "lastMsg": 0,
        "suppressUpdate": True,
        "firstRun": False,
        "defaultLang": lang,
        "last_loaded_profile_name": profile,
    }
    prefs: dict[str, object] = {
        "mainWindowGeom": None,
        "mainWindowState": None,
        "numBackups": 0,
        "searchHistory": [],
        "syncKey": None,
        "syncMedia": False,
        "autoSync": False,
    }
    with sqlite3.connect(base / "prefs21.db") as db:
        db.execute(
            "create table if not exists profiles"
            " (name text primary key collate nocase, data blob not null)"
        )
        db.execute(
            "insert or replace into profiles values ('_global', ?)",
            (pickle.dumps(meta, protocol=4),),
        )
        db.execute(
            "insert or replace into profiles values (?, ?)",
            (profile, pickle.dumps(prefs, protocol=4)),
        )


def link_working_tree(base: Path) -> Path:
    target = base / "addons21" / ADDON_FOLDER
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    target.symlink_to(ROOT, target_is_directory=True)
    return target


def anki_environment(offscreen: bool) -> dict[str, str]:
    env = dict(os.environ)
    # Chromium refuses to run as root with its sandbox; these machines run as root.
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    elif not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ANKI_NO_UPDATE_CHECK"] = "1"
    # Without a key of its own, an Anki started while another runs on this machine
    # hands its arguments over to that one and exits.
    env["ANKI_SINGLE_INSTANCE_KEY"] = f"context-connect-{uuid.uuid4().hex}"
    return env


def anki_command(base: Path, profile: str = PROFILE) -> list[str]:
    return [sys.executable, "-c", "import aqt; aqt.run()", "-b", str(base), "-p", profile]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base",
        type=Path,
        default=ROOT / ".run" / "anki",
        help="profile base folder (default .run/anki)",
    )
    parser.add_argument("--offscreen", action="store_true", help="no window (QT_QPA_PLATFORM)")
    parser.add_argument("--lang", default="en_US", help="interface language, e.g. de_DE")
    parser.add_argument("--no-addon", action="store_true", help="do not link this working tree")
    args = parser.parse_args()
    seed_profile(args.base, lang=args.lang)
    if not args.no_addon:
        link_working_tree(args.base)
    print(f"Anki on profile base {args.base} (add-on: {'none' if args.no_addon else ROOT})")
    return subprocess.call(anki_command(args.base), env=anki_environment(args.offscreen))


if __name__ == "__main__":
    sys.exit(main())
