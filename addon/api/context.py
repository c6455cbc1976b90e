"""What every handler receives: the settings and the way to the collection."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.config import Config
from ..store.runner import CollectionRunner
from .recent import RecentRequests
from .security import origin_allowed
from .service_status import ServiceStatus
from .window import OriginGrants, Window


@dataclass(frozen=True)
class ApiContext:
    config: Config
    runner: CollectionRunner
    # None when headless: graphical actions then say they need Anki's window.
    window: Window | None = None
    grants: OriginGrants = field(default_factory=OriginGrants)
    recent: RecentRequests = field(default_factory=RecentRequests)
    # Where the server listens and what the syncs did, filled by whoever runs them.
    status: ServiceStatus = field(default_factory=ServiceStatus)
    # The request came from a web page or extension (it carries an Origin): it may not
    # reach local files or the local network through `path`, `url` or packages.
    browser: bool = False

    def origin_allowed(self, origin: str | None) -> bool:
        return origin_allowed(origin, self.config) or origin in self.grants
