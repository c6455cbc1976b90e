"""What every handler receives: the settings and the way to the collection."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.config import Config
from ..store.runner import CollectionRunner


@dataclass(frozen=True)
class ApiContext:
    config: Config
    runner: CollectionRunner
