"""Routes a request to the AnkiConnect protocol or the native API."""

from __future__ import annotations

from . import anki_connect, native
from .context import ApiContext
from .http import ApiError, Request, Response
from .security import key_matches
from .service_status import Listening

KEY_REFUSAL = (
    "missing or wrong API key: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'"
)


class Application:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    def origin_allowed(self, origin: str | None) -> bool:
        return self.ctx.origin_allowed(origin)

    def listening(self, where: Listening | None) -> None:
        self.ctx.status.listening(where)

    def __call__(self, request: Request) -> Response:
        try:
            response = self._answer(request)
        except ApiError as exc:
            self.ctx.recent.record(request, exc.response())
            raise
        self.ctx.recent.record(request, response)
        return response

    def _answer(self, request: Request) -> Response:
        if request.path == "/" and request.method in ("POST", "GET", "HEAD"):
            # GET here comes from programs, not browsers (the server shows those the
            # status page): AnkiConnect answers them with its version banner.
            # AnkiConnect clients send the key in the body; checked per (sub-)action.
            return anki_connect.handle(request, self.ctx)
        if (request.method, request.path) in native.PUBLIC:
            return native.handle(request, self.ctx)
        if not key_matches(request.header_key, self.ctx.config):
            raise ApiError(401, KEY_REFUSAL)
        if request.path.startswith("/v1/") or request.path == "/v1":
            return native.handle(request, self.ctx)
        raise ApiError(404, f"no endpoint {request.method} {request.path}")
