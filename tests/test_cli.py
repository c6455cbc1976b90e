"""The headless command line: help, usage errors, and `serve` end to end."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.http_client import get_json, port_is_free

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
        result = cli("serve", "--collection", str(tmp_path / "c.anki2"), "--port", str(port))
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and "already in use" in result.stderr


def test_serve_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "addon",
            "serve",
            "--collection",
            str(tmp_path / "c.anki2"),
            "--folder",
            str(ROOT / "examples" / "decks"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert f"127.0.0.1:{port}" in banner
        deadline = time.monotonic() + 30
        while True:
            try:
                assert get_json(port, "/v1/status")["collection_open"] is True
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    assert port_is_free(port)
