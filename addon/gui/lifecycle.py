"""The server lives while a profile is open: started on open, stopped (port freed) on
close, restarted when the settings change."""

from __future__ import annotations

from aqt.main import AnkiQt

from ..api.app import Application
from ..api.context import ApiContext
from ..api.service_status import ServiceStatus
from ..core.config import Config
from ..server import ContextServer, ServerStartError
from .notify import Notices
from .runner import AnkiCollectionRunner
from .window import AnkiWindow

TOPIC = "server"


class ServerLifecycle:
    def __init__(self, mw: AnkiQt, module: str, notices: Notices, status: ServiceStatus) -> None:
        self._mw = mw
        self._module = module
        self._notices = notices
        self._status = status
        self._server: ContextServer | None = None
        self._problem: str | None = None

    @property
    def state(self) -> str:
        """One line for the settings dialog."""
        if self._server is not None:
            return f"running at http://{self._server.host}:{self._server.port}/"
        return f"not running: {self._problem}" if self._problem else "not running"

    def start(self, config: Config | None) -> None:
        """(Re)start with `config`; None (the config is invalid) only stops it."""
        self.stop()
        self._notices.clear(TOPIC)
        if config is None:
            self._problem = "the settings are invalid"
            return
        try:
            context = ApiContext(
                config,
                AnkiCollectionRunner(self._mw),
                AnkiWindow(self._mw, self._module),
                status=self._status,
            )
            server = ContextServer(config, Application(context))
        except ServerStartError as exc:
            self._problem = str(exc)
            self._notices.report(
                TOPIC,
                "the local server is not running",
                f"{exc}\n\nChange the port in Tools ▸ Context Connect…",
            )
            return
        server.start()
        self._server = server
        self._problem = None

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
