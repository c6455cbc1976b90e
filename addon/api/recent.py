"""The last requests the server answered, for the status page: who asked, what, and
how it went (a client's author debugging it wants exactly this)."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from .http import Request, Response

KEPT = 20


def _client(request: Request) -> str:
    origin = request.origin
    agent = request.headers.get("user-agent", "")
    return origin or agent.split(" ")[0] or "unknown client"


def _outcome(response: Response) -> str:
    body = response.body
    error = body.get("error") if isinstance(body, dict) else None
    return f"{response.status} {error}" if error else str(response.status)


class RecentRequests:
    def __init__(self) -> None:
        self._items: deque[dict[str, Any]] = deque(maxlen=KEPT)
        self._lock = threading.Lock()

    def record(self, request: Request, response: Response) -> None:
        if request.path == "/v1/status" or request.path == "/favicon.ico":
            return  # the status page's own requests would push the clients' out
        item = {
            "time": time.strftime("%H:%M:%S"),
            "client": _client(request),
            "request": f"{request.method} {request.path}",
            "result": _outcome(response),
        }
        with self._lock:
            self._items.appendleft(item)

    def items(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._items)
