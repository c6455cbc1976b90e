"""Note keys: the stable, profile-independent identity of a note in the folder, and
the fingerprints the sync compares to tell which side changed a field."""

from __future__ import annotations

import hashlib
import secrets


def new_key() -> str:
    # 64 random bits: no collision in any realistic collection, short enough to read.
    return secrets.token_hex(8)


def fingerprint(text: str) -> str:
    return fingerprint_bytes(text.encode("utf-8"))


def fingerprint_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


EMPTY = fingerprint("")
