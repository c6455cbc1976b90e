"""Real Anki, offscreen: the packaged add-on installed through Anki's own add-on
manager, then loaded: Tools menu, server while the profile is open, port freed after.

CC_E2E_DISPLAY=1 runs Anki on the display in $DISPLAY instead (`xvfb-run -a` gives a
virtual one), and CC_SHOTS names a folder for the screenshots some tests take."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.http_client import free_port, get_json, port_is_free, post_json
from tools.launch_anki import (
    ADDON_FOLDER,
    PROFILE,
    anki_command,
    anki_environment,
    seed_profile,
)
from tools.package import build

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "anki_driver"
STARTUP_SECONDS = 120  # generous: CI machines are shared and Chromium starts slowly


class Anki:
    """One run of real Anki with the driver add-on; talk to it through files."""

    def __init__(self, base: Path, channel: Path, programs: Path | None = None) -> None:
        """`programs`: a folder searched first for commands (a stand-in editor)."""
        self.channel = channel
        for stale in channel.glob("*"):
            stale.unlink()
        on_display = bool(os.environ.get("CC_E2E_DISPLAY"))
        env = anki_environment(offscreen=not on_display)
        if on_display:  # not the offscreen platform the in-process Qt tests chose
            env.pop("QT_QPA_PLATFORM", None)
        env["CC_E2E_DIR"] = str(channel)
        if programs is not None:
            env["PATH"] = f"{programs}{os.pathsep}{env['PATH']}"
        # Anki lets one instance run per user, found through a socket in the temporary
        # folder: a folder of its own lets this run beside any other Anki.
        private_tmp = channel.parent / "tmp"
        private_tmp.mkdir(exist_ok=True)
        env["TMPDIR"] = str(private_tmp)
        self.log = (channel.parent / "anki.log").open("a")
        self.process = subprocess.Popen(
            anki_command(base), env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_for(self, name: str, timeout: float = STARTUP_SECONDS) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        path = self.channel / name
        while time.monotonic() < deadline:
            if path.exists():
                data: dict[str, Any] = json.loads(path.read_text())
                return data
            if self.process.poll() is not None:
                raise AssertionError(
                    f"Anki exited early ({self.process.returncode}); see {self.log.name}"
                )
            time.sleep(0.1)
        raise AssertionError(f"Anki did not produce {name} in {timeout}s; see {self.log.name}")

    def command(self, text: str) -> None:
        tmp = self.channel / "command.tmp"
        tmp.write_text(text)
        tmp.replace(self.channel / "command")

    def quit(self) -> None:
        if self.process.poll() is None:
            self.command("quit")
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def anki_base(tmp_path: Path) -> Iterator[Path]:
    base = tmp_path / "base"
    seed_profile(base)
    shutil.copytree(DRIVER, base / "addons21" / "cc_e2e_driver")
    yield base


def test_package_installs_through_anki_and_serves_while_profile_open(
    anki_base: Path, tmp_path: Path
) -> None:
    package = build(tmp_path / "dist" / "context_connect.ankiaddon")
    channel = tmp_path / "channel"
    channel.mkdir()

    # First run: Anki's own add-on manager installs the package ("Install from file").
    anki = Anki(anki_base, channel)
    try:
        anki.wait_for("state.json")
        anki.command(f"install {package}")
        installed = anki.wait_for("done-install")
        assert installed["ok"], installed
        assert ADDON_FOLDER in installed["addons"]
    finally:
        anki.quit()
    addon_dir = anki_base / "addons21" / ADDON_FOLDER
    assert (addon_dir / "addon" / "vendor" / "mistune" / "__init__.py").is_file()
    assert not (addon_dir / "tests").exists() and not (addon_dir / "tools").exists()

    # Point the installed add-on at a free port, as a user would in its config.
    port = free_port()
    meta_path = addon_dir / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["config"] = {
        **json.loads((addon_dir / "config.json").read_text()),
        "port": port,
        "anki_connect_port": None,
    }
    meta_path.write_text(json.dumps(meta))

    # Second run: Anki loads the installed add-on.
    anki = Anki(anki_base, channel)
    try:
        state = anki.wait_for("state.json")
        assert state["tools_menu"].count("Sync Markdown folder") == 1
        assert state["tools_menu"].count("Context Connect…") == 1
        status = get_json(port, "/v1/status")
        assert status["collection_open"] is True
        assert status["profile"] == "User 1"
        assert post_json(port, "/", {"action": "version", "version": 6}) == {
            "result": 6,
            "error": None,
        }
        anki.command("close")
        anki.wait_for("done-close", timeout=60)
        assert port_is_free(port), "the server still holds its port after the profile closed"
    finally:
        anki.quit()


def test_cards_posted_to_real_anki_land_as_one_undo_step(anki_base: Path, tmp_path: Path) -> None:
    port = free_port()
    install_tree(anki_base, {"port": port})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)
    try:
        anki.wait_for("state.json")
        cards = [
            {"id": f"e2e-{i}", "front": f"q{i}", "back": "a", "tags": ["deck:reading/papers"]}
            for i in range(3)
        ]
        body = post_json(port, "/v1/cards", {"cards": cards})
        assert body["created"] == 3
        assert post_json(port, "/v1/cards", {"cards": cards})["unchanged"] == 3
        anki.command("inspect")
        state = anki.wait_for("done-inspect")
        assert state["notes"] == 3
        assert state["undo"] == "Context Connect: 3 cards"
        assert "reading::papers" in state["decks"]
    finally:
        anki.quit()


def install_tree(base: Path, config: dict[str, Any]) -> Path:
    """A copy of the working tree, not a link: Anki keeps the user's config in the
    add-on folder's meta.json, which must not land in the repository."""
    addon = base / "addons21" / ADDON_FOLDER
    shutil.copytree(ROOT, addon, ignore=shutil.ignore_patterns(".*", "dist", "__pycache__"))
    (addon / "meta.json").write_text(json.dumps({"config": {"anki_connect_port": None, **config}}))
    return addon


def windows(anki: Anki) -> list[dict[str, Any]]:
    for stale in anki.channel.glob("done-windows"):
        stale.unlink()
    anki.command("windows")
    found: list[dict[str, Any]] = anki.wait_for("done-windows")["windows"]
    return found


def window_named(anki: Anki, name: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = [w for w in windows(anki) if w["name"] == name]
        if found or time.monotonic() > deadline:
            assert found, f"no visible window {name}: {windows(anki)}"
            return found[0]
        time.sleep(0.3)


def click(anki: Anki, window: str, button: str) -> None:
    for stale in anki.channel.glob("done-click"):
        stale.unlink()
    anki.command(f"click {window} {button}")
    anki.wait_for("done-click")


def test_bad_config_and_occupied_port_leave_anki_working(anki_base: Path, tmp_path: Path) -> None:
    addon = install_tree(anki_base, {"port": "eighty", "watch": "yes"})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)
    try:
        state = anki.wait_for("state.json")  # the profile opened: Anki kept working
        assert "Sync Markdown folder" in state["tools_menu"]
        notice = window_named(anki, "context_connect_notice")
        assert "Context Connect: the settings need fixing" in notice["text"]
        assert "port: must be a whole number" in notice["text"]
        assert "watch: must be true or false" in notice["text"]
        # Nothing on stderr: Anki would show its "an add-on crashed" window for it.
        assert not [w for w in windows(anki) if w["title"] == "Anki" and w["name"] != "MainWindow"]
        # Fixed in the JSON editor: checked and applied at once, no profile reopening.
        port = free_port()
        anki.command(f"config {json.dumps({'port': port})}")
        anki.wait_for("done-config")
        assert get_json(port, "/v1/status")["collection_open"] is True
        assert not [w for w in windows(anki) if w["name"] == "context_connect_notice"]
    finally:
        anki.quit()
    assert "must be a whole number" not in (tmp_path / "anki.log").read_text()

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        (addon / "meta.json").write_text(
            json.dumps({"config": {"port": port, "anki_connect_port": None}})
        )
        anki = Anki(anki_base, channel)
        try:
            anki.wait_for("state.json")
            notice = window_named(anki, "context_connect_notice")
            assert "the local server is not running" in notice["text"]
            assert f"port {port} on 127.0.0.1 is already in use" in notice["text"]
            assert "`" not in notice["text"]
        finally:
            anki.quit()


def remember_folder_in_profile(base: Path, folder: Path) -> None:
    """As earlier versions did: the chosen folder kept in the profile."""
    with sqlite3.connect(base / "prefs21.db") as db:
        (data,) = db.execute("select data from profiles where name = ?", (PROFILE,)).fetchone()
        prefs = pickle.loads(data)
        prefs["context_connect_markdown_folder"] = str(folder)
        updated = pickle.dumps(prefs, protocol=4)
        db.execute("update profiles set data = ? where name = ?", (updated, PROFILE))


def test_permission_prompt_remembers_never_and_settings_show_it(
    anki_base: Path, tmp_path: Path
) -> None:
    port = free_port()
    addon = install_tree(anki_base, {"port": port})
    remember_folder_in_profile(anki_base, tmp_path)
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)
    origin = "https://stranger.example"
    ask = {"action": "requestPermission", "version": 6}
    answers: list[Any] = []
    try:
        anki.wait_for("state.json")
        asking = threading.Thread(
            target=lambda: answers.append(post_json(port, "/", ask, headers={"Origin": origin}))
        )
        asking.start()
        prompt = window_named(anki, "context_connect_origin_prompt")
        assert prompt["default"] == "Not now" and origin in prompt["text"]
        click(anki, "context_connect_origin_prompt", "Never for this origin")
        asking.join(timeout=30)
        assert answers[0]["result"] == {"permission": "denied"}
        # Asked again: refused at once, no second prompt.
        again = post_json(port, "/", ask, headers={"Origin": origin})
        assert again["result"] == {"permission": "denied"}
        assert not [w for w in windows(anki) if w["name"] == "context_connect_origin_prompt"]
        anki.command("trigger context_connect_settings")
        anki.wait_for("done-trigger")
        settings = window_named(anki, "context_connect_settings")
        assert [origin] in settings["lists"]
    finally:
        anki.quit()
    meta = json.loads((addon / "meta.json").read_text())
    assert meta["config"]["ignored_origins"] == [origin]
    # The folder an earlier version kept in the profile moved to the config, once.
    assert meta["config"]["markdown_folder"] == str(tmp_path)


def test_anki_connect_graphical_and_model_actions_in_real_anki(
    anki_base: Path, tmp_path: Path
) -> None:
    port = free_port()
    install_tree(anki_base, {"port": port})
    channel = tmp_path / "channel"
    channel.mkdir()

    def call(action: str, **params: Any) -> Any:
        answer = post_json(port, "/", {"action": action, "version": 6, "params": params})
        assert answer["error"] is None, (action, answer)
        return answer["result"]

    anki = Anki(anki_base, channel)
    try:
        anki.wait_for("state.json")
        note = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "q", "Back": "a"}}
        note_id = call("addNote", note=note)
        (card,) = call("findCards", query=f"nid:{note_id}")
        assert call("guiCurrentCard") is None  # not reviewing yet
        assert call("guiReviewActive") is False and call("guiPlayAudio") is False
        assert call("guiBrowse", query=f"nid:{note_id}") == [card]
        assert call("guiSelectNote", note=card) is True  # AnkiConnect's alias: a card id
        assert call("guiDeckReview", name="Default") is True
        assert call("guiReviewActive") is True and call("guiPlayAudio") is True
        current = call("guiCurrentCard")
        assert current["cardId"] == card and len(current["nextReviews"]) == 4
        assert call("guiShowAnswer") is True
        assert call("guiAnswerCard", ease=3) is True
        assert call("getNumCardsReviewedToday") == 1
        assert call("guiDeckOverview", name="Nope") is False
        assert call("guiDeckBrowser") is None
        assert call("guiAddCards") == 0  # an empty Add dialog
        # A multi is one undo step in Anki too: one guiUndo takes all its notes back.
        adds = [
            {
                "action": "addNote",
                "version": 6,
                "params": {"note": {**note, "fields": {"Front": f"m{i}"}}},
            }
            for i in range(3)
        ]
        assert all(answer["error"] is None for answer in call("multi", actions=adds))
        assert len(call("findNotes", query="Front:m*")) == 3
        assert call("guiUndo") is True
        assert call("findNotes", query="Front:m*") == []
        # A schema change from a server thread: no confirmation dialog may block it.
        call("modelFieldAdd", modelName="Basic", fieldName="Source")
        assert call("modelFieldNames", modelName="Basic") == ["Front", "Back", "Source"]
        assert call("loadProfile", name="User 1") is True
        assert call("getProfiles") == ["User 1"]
    finally:
        anki.quit()


def test_a_burst_of_writes_refreshes_anki_s_views_once(anki_base: Path, tmp_path: Path) -> None:
    """One note per request, as many clients send them, with the deck list showing:
    Anki re-renders once for the burst, not once per note, and still shows them."""
    port = free_port()
    install_tree(anki_base, {"port": port})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)
    burst = 30
    try:
        anki.wait_for("state.json")
        for i in range(burst):
            note = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": f"b{i}"}}
            answer = post_json(
                port, "/", {"action": "addNote", "version": 6, "params": {"note": note}}
            )
            assert answer["error"] is None, answer
        deadline = time.monotonic() + 30
        while True:
            for stale in channel.glob("done-ops"):
                stale.unlink()
            anki.command("ops")
            ops = anki.wait_for("done-ops")
            if ops["note_changes"] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert ops["main_state"] == "deckBrowser"
        assert 1 <= ops["note_changes"] < burst / 3, ops
    finally:
        anki.quit()


def test_tools_action_and_watcher_sync_the_folder_in_real_anki(
    anki_base: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    deck = folder / "Reading__Papers.md"
    deck.write_text("Q: What is a B-tree?\nA: A balanced search tree\n")
    port = free_port()
    install_tree(anki_base, {"port": port, "markdown_folder": str(folder), "watch": True})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)

    def notes(until: Any) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        while True:
            for stale in channel.glob("done-notes"):
                stale.unlink()
            anki.command("notes")
            state = anki.wait_for("done-notes")
            if until(state) or time.monotonic() > deadline:
                return state
            time.sleep(0.5)

    try:
        anki.wait_for("state.json")
        anki.command("trigger context_connect_sync_markdown_folder")
        anki.wait_for("done-trigger")
        # A folder's first sync says what it will do there, and asks.
        question = window_named(anki, "context_connect_first_use")
        assert "Reading__Papers" not in question["text"] and "1 Markdown file" in question["text"]
        click(anki, "context_connect_first_use", "Sync this folder")
        state = notes(lambda s: "context_connect_sync_summary" in s["windows"])
        assert "context_connect_sync_summary" in state["windows"], state["windows"]
        assert state["undo"] == "Sync Markdown folder"
        (synced,) = state["fields"]
        assert synced["Question"] == "What is a B-tree?" and synced["note_key"]
        assert f"<!-- note_key: {synced['note_key']} -->" in deck.read_text()
        # The status and the settings tell that sync, and the watcher it started.
        status = get_json(port, "/v1/status")
        assert status["port"] == port and status["markdown_folder"] == str(folder)
        assert status["syncs"][0]["watching"] is True
        assert status["last_sync"]["counts"]["anki"]["created"] == 1
        for stale in channel.glob("done-trigger"):
            stale.unlink()
        anki.command("trigger context_connect_settings")
        anki.wait_for("done-trigger")
        settings = window_named(anki, "context_connect_settings")
        assert any(label.endswith(" Anki: 1 created (0 unchanged)") for label in settings["labels"])
        assert f"running at http://127.0.0.1:{port}/" in settings["labels"]
        shots = Path(os.environ.get("CC_SHOTS", tmp_path))
        anki.command(f"shot context_connect_settings {shots / 'folder-settings.png'}")
        assert anki.wait_for("done-shot")["ok"]
        click(anki, "context_connect_settings", "Cancel")

        # Saving the file (as editors do: a new file renamed over the old) syncs it.
        replacement = folder / ".Reading__Papers.md.swp"
        replacement.write_text(deck.read_text().replace("balanced", "self-balancing"))
        replacement.replace(deck)
        state = notes(lambda s: "self-balancing" in s["fields"][0]["Answer"])
        assert state["fields"][0]["Answer"] == "A self-balancing search tree"
        assert len(state["fields"]) == 1

        def head() -> str | None:
            """The generation the last finished sync left (the state is saved last)."""
            (state_file,) = (folder / ".context-connect").glob("state-*.sqlite3")
            with sqlite3.connect(state_file) as db:
                row = db.execute("select value from meta where name = 'head'").fetchone()
            return str(row[0]) if row else None

        def save(text: str) -> None:
            """Save as editors do, and wait for the watcher's sync to finish."""
            last = head()
            replacement.write_text(text)
            replacement.replace(deck)
            deadline = time.monotonic() + 60
            while head() == last and time.monotonic() < deadline:
                time.sleep(0.2)

        def undo_then_sync(until: Any) -> dict[str, Any]:
            """Edit ▸ Undo the last sync, then Tools ▸ Sync: the file stays as it was."""
            before = deck.read_bytes()
            for stale in channel.glob("done-*"):
                stale.unlink()
            anki.command("undo")
            assert anki.wait_for("done-undo")["undone"] == "Sync Markdown folder"
            anki.command("trigger context_connect_sync_markdown_folder")
            anki.wait_for("done-trigger")
            state = notes(until)
            assert deck.read_bytes() == before
            return state

        # A note added in the file, synced by the watcher, then the sync undone.
        save(deck.read_text() + "\n---\n\nQ: What is a trie?\nA: A prefix tree\n")
        state = undo_then_sync(lambda s: len(s["fields"]) == 2)
        assert sorted(f["Question"] for f in state["fields"]) == [
            "What is a B-tree?", "What is a trie?"
        ]  # fmt: skip
        # An edit in the file applied to Anki, then undone.
        save(deck.read_text().replace("A prefix tree", "A prefix tree of characters"))
        state = undo_then_sync(
            lambda s: (
                any("characters" in f["Answer"] for f in s["fields"])
                and s["undo"] == "Sync Markdown folder"
            )
        )
        assert "A prefix tree of characters" in [f["Answer"] for f in state["fields"]]
    finally:
        anki.quit()


def test_terminal_sync_goes_through_real_anki_holding_the_collection(
    anki_base: Path, tmp_path: Path
) -> None:
    """Anki has the collection open: `sync` runs inside it (POST /v1/sync), and the file
    is never opened a second time, even when the server cannot be reached."""
    from tests.test_cli import cli

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Terminal.md").write_text("Q: Synced from where?\nA: A terminal\n")
    port = free_port()
    install_tree(anki_base, {"port": port})
    channel = tmp_path / "channel"
    channel.mkdir()
    collection = anki_base / "User 1" / "collection.anki2"
    anki = Anki(anki_base, channel)
    try:
        anki.wait_for("state.json")
        result = cli("sync", "--folder", str(folder), "--port", str(port),
                     "--collection", str(collection), "--json")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["anki"]["created"] == 1
        found = post_json(port, "/", {"action": "findNotes", "version": 6,
                                      "params": {"query": '"Question:Synced from where?"'}})
        assert len(found["result"]) == 1
        anki.command("notes")
        assert anki.wait_for("done-notes")["undo"] == "Sync Markdown folder"

        refused = cli("sync", "--folder", str(folder), "--port", str(free_port()),
                      "--collection", str(collection))  # fmt: skip
        assert refused.returncode == 1 and "Anki has it open" in refused.stderr
    finally:
        anki.quit()


def test_tools_action_brings_note_types_into_the_folder(anki_base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    port = free_port()
    install_tree(anki_base, {"port": port, "markdown_folder": str(folder)})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)
    try:
        anki.wait_for("state.json")
        note = {"deckName": "Default", "modelName": "Basic",
                "fields": {"Front": "Adopted in Anki?", "Back": "Yes"}}  # fmt: skip
        added = post_json(port, "/", {"action": "addNote", "version": 6, "params": {"note": note}})
        assert added["error"] is None
        anki.command("trigger context_connect_adopt_note_types")
        anki.wait_for("done-trigger")
        anki.command("tick context_connect_adopt Basic")
        anki.wait_for("done-tick")
        anki.command("accept context_connect_adopt")
        anki.wait_for("done-accept")
        # The folder was never synced: the first sync says what it will do, and asks.
        question = window_named(anki, "context_connect_first_use")
        assert "Bring the note type Basic into note_types/ and write its 1 note" in question["text"]
        click(anki, "context_connect_first_use", "Sync this folder")
        deadline = time.monotonic() + 60
        while not (folder / "Default.md").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = (folder / "Default.md").read_text()
        assert "F: Adopted in Anki?" in text and "B: Yes" in text
        assert (folder / "note_types" / "Basic" / "note_type.yaml").is_file()
        fields = post_json(port, "/", {"action": "modelFieldNames", "version": 6,
                                       "params": {"modelName": "Basic"}})  # fmt: skip
        assert fields["result"] == ["Front", "Back"]  # no field added: no full upload
    finally:
        anki.quit()


def test_tools_action_and_watcher_sync_a_vault_in_real_anki(
    anki_base: Path, tmp_path: Path
) -> None:
    vault = tmp_path / "Notes"
    (vault / "compsci").mkdir(parents=True)
    note = vault / "compsci" / "Linux.md"
    prose = (
        "---\ntags: [flashcards]\n---\n# Files\n\nSome prose.\n\nWhat does ls do? :: Lists files\n"
    )
    note.write_text(prose)
    install_tree(anki_base, {"port": free_port(), "vaults": [str(vault)], "watch": True})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel)

    def notes(until: Any) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        while True:
            for stale in channel.glob("done-notes"):
                stale.unlink()
            anki.command("notes")
            state = anki.wait_for("done-notes")
            if until(state) or time.monotonic() > deadline:
                return state
            time.sleep(0.5)

    try:
        anki.wait_for("state.json")
        anki.command("trigger context_connect_sync_vaults")
        anki.wait_for("done-trigger")
        # The first sync of a vault says what it does to the notes, and asks.
        question = window_named(anki, "context_connect_vault_first_use")
        assert "block id" in question["text"]
        click(anki, "context_connect_vault_first_use", "Sync")
        # Read once the sync is over (its summary shows): mid-sync, the note is there
        # before the sync's steps are one undo entry.
        state = notes(lambda s: "context_connect_sync_summary" in s["windows"])
        (card,) = state["fields"]
        assert card["Front"] == "What does ls do?" and card["Note"] == "Linux"
        assert "obsidian://open?vault=Notes&file=compsci%2FLinux%23%5Ecc-" in card["Source"]
        assert state["undo"] == "Sync vault"
        assert note.read_text() == prose.replace("Lists files", f"Lists files ^{card['note_key']}")
        # Saved in the editor: the watcher syncs it.
        note.write_text(note.read_text().replace("Lists files", "Lists a folder's files"))
        state = notes(lambda s: "folder" in s["fields"][0]["Back"])
        assert state["fields"][0]["Back"] == "Lists a folder's files"
        (channel / "done-trigger").unlink()
        anki.command("trigger context_connect_settings")
        anki.wait_for("done-trigger")
        settings = window_named(anki, "context_connect_settings")
        assert [str(vault)] in settings["lists"]
        shots = Path(os.environ.get("CC_SHOTS", tmp_path))
        for window, name in (("context_connect_settings", "settings"),
                             ("context_connect_sync_summary", "vault-summary")):  # fmt: skip
            for stale in channel.glob("done-shot"):
                stale.unlink()
            anki.command(f"shot {window} {shots / f'{name}.png'}")
            assert anki.wait_for("done-shot")["ok"]
    finally:
        anki.quit()


def test_one_summary_window_shows_every_vault_synced_together(
    anki_base: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "Notes"
    notes.mkdir()
    (notes / "Linux.md").write_text("#flashcards\n\nWhat does ls do? :: Lists files\n")
    work = tmp_path / "Work"
    (work / "proj").mkdir(parents=True)
    plan = work / "proj" / "Plan.md"
    plan.write_text("#flashcards\n\nIs this synced? :: Yes\n\nWhat is empty? ::\n")
    # An editor that takes a line (found first on PATH): it writes down what it was told.
    programs = tmp_path / "bin"
    programs.mkdir()
    editor = programs / "code"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path / "opened"}"\n')
    editor.chmod(0o755)
    install_tree(anki_base, {"port": free_port(), "vaults": [str(notes), str(work)]})
    channel = tmp_path / "channel"
    channel.mkdir()
    anki = Anki(anki_base, channel, programs)
    try:
        anki.wait_for("state.json")
        anki.command("trigger context_connect_sync_vaults")
        anki.wait_for("done-trigger")
        question = window_named(anki, "context_connect_vault_first_use")
        assert str(notes) in question["text"] and str(work) in question["text"]
        click(anki, "context_connect_vault_first_use", "Sync")
        summary = window_named(anki, "context_connect_sync_summary")
        assert summary["title"] == "Context Connect: Vaults synced: 1 problem"
        places = [label for label in summary["labels"] if "open in file manager" in label]
        assert [p.split(" — ")[:2] for p in places] == [
            ["<b>Notes</b>", str(notes)], ["<b>Work</b>", str(work)]
        ]  # fmt: skip
        (rows,) = summary["lists"]
        error = "Error: proj/Plan.md:5: this card has an empty answer"
        assert rows == [  # the vault with a problem first
            "Work — 1 error", error,
            "Notes", "Note type: Context Connect Vault: created",
            "Note type: Context Connect Vault Cloze: created",
        ]  # fmt: skip
        for stale in channel.glob("done-select"):
            stale.unlink()
        anki.command(f"select context_connect_sync_summary {error}")
        assert anki.wait_for("done-select")["ok"]
        click(anki, "context_connect_sync_summary", "Open file at line")
        opened = tmp_path / "opened"
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text().split("\n")[:2] == ["--goto", f"{plan}:5"]
        anki.command("notes")
        state = anki.wait_for("done-notes")
        fronts = sorted(f["Front"] for f in state["fields"])
        assert fronts == ["Is this synced?", "What does ls do?"]
        assert state["undo"] == "Sync vaults"
        shots = Path(os.environ.get("CC_SHOTS", tmp_path))
        anki.command(f"shot context_connect_sync_summary {shots / 'vaults-summary.png'}")
        assert anki.wait_for("done-shot")["ok"]
    finally:
        anki.quit()
