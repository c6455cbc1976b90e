"""Writing many files at once: each ends up as it should be or as it was, whichever
way they are made durable (a flush of their file system, or an fsync each)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from addon.sync import files
from addon.sync.files import ChangedMeanwhile, replace_texts


@pytest.mark.parametrize("count", [3, files.MANY_FILES + 6])
def test_many_files_are_written_and_an_edit_made_meanwhile_is_kept(
    tmp_path: Path, count: int
) -> None:
    (tmp_path / "sub").mkdir()
    paths = [tmp_path / ("sub" if i % 2 else "") / f"n{i}.md" for i in range(count)]
    for path in paths:
        path.write_text("old\n")
    writes: list[tuple[Path, bytes | None, str]] = [(p, b"old\n", f"new {p.name}\n") for p in paths]
    writes[0] = (paths[0], b"what the sync read\n", "new\n")  # edited since it was read
    writes.append((tmp_path / "created.md", None, "made\n"))
    failed = replace_texts(writes)
    assert list(failed) == [paths[0]] and isinstance(failed[paths[0]], ChangedMeanwhile)
    assert paths[0].read_text() == "old\n"
    assert all(p.read_text() == f"new {p.name}\n" for p in paths[1:])
    assert (tmp_path / "created.md").read_text() == "made\n"
    assert sorted(p.name for p in tmp_path.rglob(".*.tmp")) == []


@pytest.mark.skipif(sys.platform != "linux", reason="syncfs is Linux's")
def test_linux_flushes_the_file_system_once_for_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flush = files._file_system_flush()
    if flush is None:
        pytest.skip("this kernel's syncfs does not report write errors")
    flushed: list[set[Path]] = []

    def recorded(directories: Iterable[Path]) -> None:
        flushed.append(set(directories))
        flush(flushed[-1])

    monkeypatch.setattr(files, "_file_system_flush", lambda: recorded)
    monkeypatch.setattr(files, "_sync_file", lambda _path: pytest.fail("fsync of one file"))
    writes: list[tuple[Path, bytes | None, str]] = [
        (tmp_path / f"n{i}.md", None, "x\n") for i in range(files.MANY_FILES)
    ]
    assert replace_texts(writes) == {}
    assert flushed == [{tmp_path}, {tmp_path}]  # the temporary files, then the renames
