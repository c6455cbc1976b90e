"""`pip install .` gives a `context-connect` command that works outside the checkout.

The install itself is slow and needs the package index: `pytest -m install`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import tomli as tomllib

from tests.conftest import example_decks

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_installed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "addon").rglob("__init__.py")
        if "vendor" not in path.parts
    }
    assert listed == on_disk | {"addon.web"}


@pytest.mark.install
def test_pip_install_gives_the_context_connect_command(tmp_path: Path) -> None:
    # Built from a copy: a build leaves build/ and *.egg-info behind in its source.
    source = tmp_path / "source"
    for name in ("addon", "web"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Dependencies come from this environment (PYTHONPATH below): the test is about
    # what the project installs, not about downloading Anki again.
    installed = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(source)],
        capture_output=True, text=True,
    )  # fmt: skip
    if installed.returncode:
        pytest.skip(f"cannot build the package here: {installed.stderr[-400:]}")
    command = venv / "bin" / "context-connect"
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args], cwd=outside, env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip

    helped = run("--help")
    assert helped.returncode == 0 and "usage: context-connect" in helped.stdout
    assert "serve" in helped.stdout and "sync" in helped.stdout
    folder = outside / "decks"
    example_decks(folder)
    (folder / "note_types").rename(outside / "kept")  # the starter set must come from the install
    synced = run("sync", "--collection", str(outside / "c.anki2"), "--folder", str(folder),
                 "--json", "--port", "1")  # fmt: skip
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["note_types"]
    web = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert (web / "site-packages" / "addon" / "web" / "card.css").is_file()
