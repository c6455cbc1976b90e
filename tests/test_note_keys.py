"""New notes' keys and guids: random, from the system's generator, never repeated,
even across a fork."""

from __future__ import annotations

import os
import sys

import pytest

from addon.core.note_keys import new_key, random_bits


def test_keys_are_sixteen_hex_digits_and_never_repeat() -> None:
    keys = [new_key() for _ in range(20_000)]
    assert all(len(key) == 16 and int(key, 16) >= 0 for key in keys)
    assert len(set(keys)) == len(keys)
    assert len({random_bits() for _ in range(5_000)}) == 5_000


@pytest.mark.skipif(sys.platform == "win32", reason="Windows does not fork")
def test_a_forked_process_does_not_hand_out_the_parents_keys() -> None:
    new_key()  # the parent holds a page of random bytes
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.write(writing, "".join(new_key() for _ in range(8)).encode())
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    theirs = os.read(reading, 4096).decode()
    os.close(reading)
    ours = "".join(new_key() for _ in range(8))
    assert len(theirs) == len(ours) == 128 and theirs != ours
