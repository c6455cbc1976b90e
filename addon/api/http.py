"""The HTTP-independent shape of a request and a response, shared by every handler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.json_input import JsonInputError, decode_json


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    # The key from the Authorization / X-Api-Key header, if any.
    header_key: str | None = None
    origin: str | None = None
    # Came in on the port AnkiOps' connector uses (8766): there, an AnkiConnect request
    # without `version` is AnkiOps' and is answered in its connector's dialect.
    ankiops_port: bool = False
    # The caller is on this machine (the server may listen on another address).
    loopback_peer: bool = False

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    # Sent as plain text instead of `body` as JSON (AnkiConnect's version banner).
    text: str | None = None


class ApiError(Exception):
    """An error answered as JSON: `{"error": message, "problems": [...]}`."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []

    def response(self) -> Response:
        body: dict[str, Any] = {"error": self.message}
        if self.problems:
            body["problems"] = self.problems
        return Response(self.status, body)


def parse_json(body: bytes) -> Any:
    """Decode a JSON request body, or raise a 400 that says where it broke."""
    try:
        return decode_json(body)
    except JsonInputError as exc:
        raise ApiError(400, str(exc)) from None
