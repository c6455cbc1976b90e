"""What the API may ask of Anki's window. Headless there is none; inside Anki,
`gui/window.py` provides it."""

from __future__ import annotations

from typing import Any, Protocol


class Window(Protocol):
    def perform(self, action: str, params: dict[str, Any]) -> Any:
        """Run a graphical AnkiConnect action on the main thread and return its result."""
        ...

    def ask_origin(self, origin: str) -> bool:
        """Ask the user whether a web page from `origin` may use the API; remember a yes."""
        ...


class OriginGrants:
    """Origins the user allowed while Anki runs (also written to the config by the GUI)."""

    def __init__(self) -> None:
        self._granted: set[str] = set()

    def __contains__(self, origin: object) -> bool:
        return isinstance(origin, str) and origin.rstrip("/").lower() in self._granted

    def add(self, origin: str) -> None:
        self._granted.add(origin.rstrip("/").lower())
