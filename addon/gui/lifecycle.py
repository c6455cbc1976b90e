"""The server lives while a profile is open: started on open, stopped (port freed) on close."""

from __future__ import annotations

from aqt.main import AnkiQt

from ..api.app import Application
from ..api.context import ApiContext
from ..core.config import ConfigError
from ..server import ContextServer, ServerStartError
from . import settings
from .notify import warn
from .runner import AnkiCollectionRunner
from .window import AnkiWindow


class ServerLifecycle:
    def __init__(self, mw: AnkiQt, module: str) -> None:
        self._mw = mw
        self._module = module
        self._server: ContextServer | None = None

    def start(self) -> None:
        self.stop()
        try:
            config = settings.load(self._mw, self._module)
            context = ApiContext(
                config, AnkiCollectionRunner(self._mw), AnkiWindow(self._mw, self._module)
            )
            server = ContextServer(config, Application(context))
        except (ConfigError, ServerStartError) as exc:
            warn(self._mw, f"the local server is not running: {exc}")
            return
        server.start()
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
