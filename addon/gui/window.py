"""The API's way into Anki's window: graphical actions and origin prompts, each run on
the main thread while the server thread that asked waits for the answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from aqt.main import AnkiQt
from aqt.utils import askUser

from . import graphical

T = TypeVar("T")
WAIT_SECONDS = 600  # a permission prompt waits for the user


class AnkiWindow:
    def __init__(self, mw: AnkiQt, module: str) -> None:
        self._mw = mw
        self._module = module

    def _on_main(self, fn: Callable[[], T]) -> T:
        if threading.current_thread() is threading.main_thread():
            return fn()
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the waiting thread
                future.set_exception(exc)

        self._mw.taskman.run_on_main(run)
        return future.result(timeout=WAIT_SECONDS)

    def perform(self, action: str, params: dict[str, Any]) -> Any:
        fn = graphical.ACTIONS[action]
        return self._on_main(lambda: fn(self._mw, **params))

    def ask_origin(self, origin: str) -> bool:
        def ask() -> bool:
            allowed = askUser(
                f"A web page at {origin} asks to use your Anki collection through "
                "Context Connect (read and add notes).\n\nAllow it?",
                parent=self._mw,
                defaultno=True,
                title="Context Connect",
            )
            if allowed:
                self._remember(origin)
            return bool(allowed)

        return self._on_main(ask)

    def _remember(self, origin: str) -> None:
        config = self._mw.addonManager.getConfig(self._module) or {}
        origins = list(config.get("cors_origins") or [])
        if origin not in origins:
            config["cors_origins"] = [*origins, origin]
            self._mw.addonManager.writeConfig(self._module, config)
