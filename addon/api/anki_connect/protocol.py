"""The envelope: `{action, version, params, key}` in, `{result, error}` (or a bare
result for version 4 and below) out; `multi` runs several."""

from __future__ import annotations

import functools
import json
from typing import Any

from ...store.runner import CollectionUnavailable
from ..context import ApiContext
from ..http import ApiError, Request, Response
from ..security import key_matches, origin_refusal
from .registry import ACTIONS


def _envelope(version: int, result: Any, error: str | None) -> Any:
    # AnkiConnect: version <= 4 answers the bare result unless there is an error.
    if version <= 4 and error is None:
        return result
    return {"result": result, "error": error}


def _multi(ctx: ApiContext, actions: list[Any], header_key: str | None) -> list[Any]:
    if not isinstance(actions, list):
        raise TypeError("multi() argument 'actions' must be a list")
    return [run_request(sub, ctx, header_key) for sub in actions]


def _version(payload: dict[str, Any]) -> int:
    """The request's protocol version; AnkiConnect's default is 4."""
    version = payload.get("version", 4)
    return version if isinstance(version, int) and not isinstance(version, bool) else 4


def run_request(payload: Any, ctx: ApiContext, header_key: str | None) -> Any:
    """One AnkiConnect request (also used for each sub-action of `multi`)."""
    if not isinstance(payload, dict):
        return _envelope(4, None, "request must be a JSON object")
    version = _version(payload)
    action_name = payload.get("action")
    key = payload.get("key", header_key)
    if action_name != "requestPermission" and not key_matches(
        key if isinstance(key, str) else None, ctx.config
    ):
        return _envelope(version, None, "valid api key must be provided")
    action = ACTIONS.get(action_name) if isinstance(action_name, str) else None
    if action_name == "multi":  # sub-actions carry their own version and key
        action = functools.partial(_multi, header_key=header_key)
    if action is None:
        return _envelope(version, None, "unsupported action")
    params = payload.get("params", {})
    if not isinstance(params, dict):
        return _envelope(version, None, "params must be an object")
    try:
        return _envelope(version, action(ctx, **params), None)
    except CollectionUnavailable:
        return _envelope(version, None, "collection is not available")
    except Exception as exc:  # AnkiConnect reports every failure in the envelope
        return _envelope(version, None, str(exc))


def _permission_for_stranger(payload: Any, ctx: ApiContext, origin: str) -> Response:
    """A web page whose origin is not trusted may only ask for permission; inside Anki
    the user is asked, headless the answer is no (the user edits cors_origins)."""
    if not isinstance(payload, dict) or payload.get("action") != "requestPermission":
        raise ApiError(403, origin_refusal(origin))
    granted = ctx.window is not None and ctx.window.ask_origin(origin)
    if granted:
        ctx.grants.add(origin)
        body = run_request(payload, ctx, None)
    else:
        body = _envelope(_version(payload), {"permission": "denied"}, None)
    return Response(200, body, {"Access-Control-Allow-Origin": origin})


def handle(request: Request, ctx: ApiContext) -> Response:
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        payload = exc
    if request.origin is not None and not ctx.origin_allowed(request.origin):
        return _permission_for_stranger(payload, ctx, request.origin)
    if isinstance(payload, Exception):
        return Response(200, _envelope(4, None, f"malformed JSON: {payload}"))
    return Response(200, run_request(payload, ctx, request.header_key))
