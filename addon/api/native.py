"""The native `/v1` API for annotators."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..store.runner import CollectionUnavailable
from ..store.status import collection_counts
from .context import ApiContext
from .http import ApiError, Request, Response


def status(request: Request, ctx: ApiContext) -> Response:
    body: dict[str, Any] = {"version": __version__, "profile": ctx.runner.profile_name()}
    try:
        body["counts"] = ctx.runner.read(collection_counts)
        body["collection_open"] = True
    except CollectionUnavailable:
        body["collection_open"] = False
    return Response(200, body)


ROUTES = {("GET", "/v1/status"): status}


def handle(request: Request, ctx: ApiContext) -> Response:
    route = ROUTES.get((request.method if request.method != "HEAD" else "GET", request.path))
    if route is None:
        raise ApiError(404, f"no endpoint {request.method} {request.path}")
    try:
        return route(request, ctx)
    except CollectionUnavailable as exc:
        raise ApiError(503, f"no collection is open ({exc}): open a profile in Anki") from exc
