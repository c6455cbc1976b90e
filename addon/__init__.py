"""Context Connect: flashcards with context over HTTP, and Markdown folder sync.

Importing this package has no side effect beyond making the vendored pure-Python
dependencies importable: an AnkiWeb install has no pip, so `make package` copies
mistune and PyYAML into `vendor/`, and they must win over anything else on the path.
"""

from __future__ import annotations

import sys
from pathlib import Path

__version__ = "0.1.0"

_VENDOR = Path(__file__).with_name("vendor")
if _VENDOR.is_dir() and str(_VENDOR) not in sys.path:
    sys.path.insert(0, str(_VENDOR))
