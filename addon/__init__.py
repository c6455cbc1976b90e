"""Context Connect: flashcards with context over HTTP, and Markdown folder sync.

Importing this package has no side effect beyond making the vendored pure-Python
dependencies importable: an AnkiWeb install has no pip, so `make package` copies
mistune and PyYAML into `vendor/`, and they must win over anything else on the path;
and typing_extensions, which mistune needs before Python 3.11, into `vendor_fallback/`,
used only where Anki has none of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent
_VENDOR = _HERE / "vendor"
_FALLBACK = _HERE / "vendor_fallback"
# Static files: web/ beside the package (a checkout, the .ankiaddon), or inside it
# (installed by pip).
WEB_DIR = next((d for d in (_HERE.parent / "web", _HERE / "web") if d.is_dir()), _HERE / "web")
if _VENDOR.is_dir() and str(_VENDOR) not in sys.path:
    sys.path.insert(0, str(_VENDOR))
if _FALLBACK.is_dir() and str(_FALLBACK) not in sys.path:
    sys.path.append(str(_FALLBACK))
