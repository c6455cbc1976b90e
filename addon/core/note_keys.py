"""Note keys: the stable, profile-independent identity of a note in the folder, and
the fingerprints the sync compares to tell which side changed a field."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading


class _Entropy:
    """The system's random bytes, drawn a page at a time: a sync that gives thousands
    of new notes their keys asks the system once per 512 keys, not once per key. A
    forked process starts afresh, so two processes never hand out the same bytes."""

    PAGE = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._at = 0
        if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._at = 0

    def take(self, count: int) -> bytes:
        with self._lock:
            if self._at + count > len(self._buffer):
                self._buffer, self._at = secrets.token_bytes(max(self.PAGE, count)), 0
            self._at += count
            return self._buffer[self._at - count : self._at]


_ENTROPY = _Entropy()


def random_bits() -> int:
    """64 random bits from the system's generator."""
    return int.from_bytes(_ENTROPY.take(8), "big")


def new_key() -> str:
    # 64 random bits: no collision in any realistic collection, short enough to read.
    return _ENTROPY.take(8).hex()


def fingerprint(text: str) -> str:
    return fingerprint_bytes(text.encode("utf-8"))


def fingerprint_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


EMPTY = fingerprint("")
