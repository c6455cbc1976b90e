"""The API's way into Anki's window: graphical actions and origin prompts, each run on
the main thread while the server thread that asked waits for the answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from aqt.main import AnkiQt

from . import graphical
from .questions import OriginAnswer, origin_answer, origin_box

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
        answer = self._on_main(lambda: fn(self._mw, **params))
        # An action that starts collection work answers when that work is done.
        return answer.result(timeout=WAIT_SECONDS) if isinstance(answer, Future) else answer

    def ask_origin(self, origin: str) -> bool:
        """Always: remembered in cors_origins. Never: remembered in ignored_origins and
        refused from then on without a prompt. Not now: asked again next time."""
        origin = origin.rstrip("/").lower()

        def ask() -> bool:
            if origin in self._config_list("ignored_origins"):
                return False
            box = origin_box(self._mw, origin)
            box.exec()
            answer = origin_answer(box)
            if answer is OriginAnswer.ALWAYS:
                self._remember("cors_origins", origin)
            elif answer is OriginAnswer.NEVER:
                self._remember("ignored_origins", origin)
            return answer is OriginAnswer.ALWAYS

        return self._on_main(ask)

    def _config_list(self, key: str) -> list[str]:
        config = self._mw.addonManager.getConfig(self._module) or {}
        return [str(o).rstrip("/").lower() for o in config.get(key) or []]

    def _remember(self, key: str, origin: str) -> None:
        config = self._mw.addonManager.getConfig(self._module) or {}
        origins = list(config.get(key) or [])
        if origin not in origins:
            config[key] = [*origins, origin]
            self._mw.addonManager.writeConfig(self._module, config)
