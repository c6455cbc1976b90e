"""The headless command line: help, usage errors, and `serve` end to end."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import example_decks
from tests.http_client import free_port, get_json, port_is_free, post_json

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "addon", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_help_lists_commands_and_options() -> None:
    assert "serve" in cli("--help").stdout and "sync" in cli("--help").stdout
    serve_help = cli("serve", "--help").stdout
    for option in ("--collection", "--folder", "--port", "--host", "--config"):
        assert option in serve_help
    sync_help = cli("sync", "--help").stdout
    for option in ("--collection", "--folder", "--json"):
        assert option in sync_help


def test_bad_usage_exits_2_with_a_message(tmp_path: Path) -> None:
    for args in (
        (),
        ("frobnicate",),
        ("serve",),
        ("sync", "--collection", "x.anki2"),
        ("serve", "--collection", "x.anki2", "--port", "http"),
    ):
        result = cli(*args)
        assert result.returncode == 2, args
        assert "error:" in result.stderr, args


def test_serve_refuses_missing_folder_and_bad_config(tmp_path: Path) -> None:
    collection = str(tmp_path / "c.anki2")
    result = cli("serve", "--collection", collection, "--folder", str(tmp_path / "nope"))
    assert result.returncode == 2 and "does not exist" in result.stderr
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"port": "eighty"}))
    result = cli("serve", "--collection", collection, "--config", str(config))
    assert result.returncode == 2 and "port: must be a whole number" in result.stderr


def test_serve_reports_occupied_port(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = cli(
            "serve", "--collection", str(tmp_path / "c.anki2"), "--port", str(port),
            "--anki-connect-port", "off",
        )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and "already in use" in result.stderr


def test_serve_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    example_decks(folder)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "addon",
            "serve",
            "--collection",
            str(tmp_path / "c.anki2"),
            "--folder",
            str(folder),
            "--port",
            str(port),
            "--anki-connect-port",
            "off",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline()]
        while f"127.0.0.1:{port}" not in lines[-1]:
            assert len(lines) < 40 and lines[-1], lines
            lines.append(process.stdout.readline())
        assert lines[0].startswith(f"Synced {folder}")
        deadline = time.monotonic() + 30
        while True:
            try:
                assert get_json(port, "/v1/status")["collection_open"] is True
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        # Saving a file syncs it; the sync's own writes (the new key) start no other.
        with (folder / "Biology.md").open("a") as deck:
            deck.write("\n---\n\nQ: Watched question?\nA: Watched answer\n")
        find = {"action": "findNotes", "version": 6, "params": {"query": "Watched"}}
        deadline = time.monotonic() + 30
        while not post_json(port, "/", find)["result"]:
            assert time.monotonic() < deadline, "the watcher did not sync the saved file"
            time.sleep(0.2)
        time.sleep(3)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert out.count("Synced ") == 1, out  # the first one was read above
        assert "Watched question?" in (folder / "Biology.md").read_text()
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    assert port_is_free(port)


class _SlowClock:
    """Anki's backend clock, where every call seems to take a second."""

    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        self.now += 1.0
        return self.now


def test_sync_json_stays_parseable_when_anki_reports_slow_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anki 23.12 to 25.09 print a report of each slow backend call on the main thread
    to stdout: `sync --json` still prints only its JSON there."""
    import anki._backend

    from addon.__main__ import main

    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "Maths.md").write_text("Q: 2+2?\nA: 4\n")
    port = free_port()  # no server answers there: the file is opened
    if not hasattr(anki._backend, "time"):
        pytest.skip("this Anki's backend reports no slow calls (23.10 does not)")
    monkeypatch.setattr(anki._backend, "time", _SlowClock())
    status = main([
        "sync", "--collection", str(tmp_path / "c.anki2"), "--port", str(port),
        "--folder", str(folder), "--json",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert json.loads(out)["anki"]["created"] == 1
