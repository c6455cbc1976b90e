"""Python's cyclic garbage collector, paused while a sync runs.

A first sync allocates hundreds of thousands of small objects that all stay alive
until it ends (parsed notes, fields, bases), and the collector, triggered by every
few hundred allocations, walks them again and again: about a tenth of the whole sync.
Reference counting still frees everything that is not in a cycle, and the collector
resumes, as it was, when the last sync running ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()
