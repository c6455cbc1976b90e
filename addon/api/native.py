"""The native `/v1` API for annotators: cards with context, upserted by external id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from anki.collection import Collection

from .. import __version__
from ..core.cards import ValidationError, card_refs, validate_cards
from ..store import cards as stored_cards
from ..store.decks import deck_list
from ..store.runner import CollectionUnavailable
from ..store.status import collection_counts
from .context import ApiContext
from .folder_sync import post_sync
from .http import ApiError, Request, Response, parse_json
from .openapi import document

CARDS = "/v1/cards"


def server(request: Request, ctx: ApiContext) -> Response:
    """What anyone on this machine may know: where the server is and what it asks for."""
    return Response(
        200,
        {
            "version": __version__,
            **ctx.status.server_json(),
            "key_required": ctx.config.api_key is not None,
        },
    )


def status(request: Request, ctx: ApiContext) -> Response:
    config = ctx.config
    body: dict[str, Any] = {
        "version": __version__,
        "profile": ctx.runner.profile_name(),
        **ctx.status.to_json(),
        "allowed_origins": list(config.cors_origins),
        "allow_extensions": config.allow_extensions,
        "ignored_origins": list(config.ignored_origins),
        "recent_requests": ctx.recent.items(),
    }
    try:
        body["counts"] = ctx.runner.read(collection_counts)
        body["collection_open"] = True
    except CollectionUnavailable:
        body["collection_open"] = False
    return Response(200, body)


def undo_label(count: int) -> str:
    return f"Context Connect: {count} card{'s' if count != 1 else ''}"


def post_cards(request: Request, ctx: ApiContext) -> Response:
    # Parsing, validation and image decoding happen here, on the server thread; the
    # collection is read once to learn which cards changed, and written only if any did.
    try:
        refs = card_refs(parse_json(request.body), ctx.config)
        stored = ctx.runner.read(lambda col: stored_cards.lookup(col, [ref.key for ref in refs]))
        pending = [
            ref for ref in refs if ref.key not in stored or stored[ref.key].revision != ref.revision
        ]
        cards = validate_cards(pending, ctx.config)
    except ValidationError as exc:
        raise ApiError(422, "invalid cards: nothing was written", exc.problems) from exc

    written: dict[str, dict[str, Any]] = {}
    try:
        # Checked before the write too, so a refused batch leaves no empty undo entry;
        # upsert checks again, in case the collection changed in between.
        if problems := stored_cards.kind_changes(cards, stored):
            raise stored_cards.KindChangeError(problems)
        if cards:
            results = ctx.runner.write(
                undo_label(len(cards)), lambda col: stored_cards.upsert(col, cards)
            )
            written = {result["id"]: result for result in results}
    except stored_cards.KindChangeError as exc:
        raise ApiError(409, "cards cannot change type: nothing was written", exc.problems) from exc
    body = [
        written.get(ref.id)
        or {"id": ref.id, "note_id": stored[ref.key].note_id, "status": "unchanged"}
        for ref in refs
    ]
    counts = {status: 0 for status in ("created", "updated", "unchanged")}
    for result in body:
        counts[result["status"]] += 1
    return Response(200, {"cards": body, **counts})


def _describe_all(col: Collection, found: list[tuple[Any, str]]) -> list[dict[str, Any]]:
    return [stored_cards.describe(col, note_id, kind) for note_id, kind in found]


def get_cards(request: Request, ctx: ApiContext) -> Response:
    source = request.query_value("source")
    if not source:
        raise ApiError(400, "give the document: GET /v1/cards?source=URL")
    cards = ctx.runner.read(
        lambda col: _describe_all(col, stored_cards.find_by_source(col, source))
    )
    return Response(200, {"source": source, "cards": cards})


def _card_id(request: Request) -> str:
    card_id = unquote(request.path[len(CARDS) + 1 :])
    if not card_id:
        raise ApiError(404, "no card id in the path: /v1/cards/{id}")
    return card_id


def get_card(request: Request, ctx: ApiContext) -> Response:
    card_id = _card_id(request)

    def read(col: Collection) -> dict[str, Any] | None:
        stored = stored_cards.find_by_id(col, card_id)
        return stored_cards.describe(col, stored.note_id, stored.kind) if stored else None

    found = ctx.runner.read(read)
    if found is None:
        raise ApiError(404, f"no card with id {card_id!r}")
    return Response(200, found)


def delete_card(request: Request, ctx: ApiContext) -> Response:
    card_id = _card_id(request)
    stored = ctx.runner.read(lambda col: stored_cards.find_by_id(col, card_id))
    if stored is None:
        raise ApiError(404, f"no card with id {card_id!r}")
    ctx.runner.write(
        f"Context Connect: delete {card_id}",
        lambda col: stored_cards.delete(col, stored.note_id),
    )
    return Response(200, {"id": card_id, "note_id": stored.note_id, "status": "deleted"})


def decks(request: Request, ctx: ApiContext) -> Response:
    return Response(200, {"decks": ctx.runner.read(deck_list)})


def openapi(request: Request, ctx: ApiContext) -> Response:
    return Response(200, document(__version__, ctx.config.port))


Route = Callable[[Request, ApiContext], Response]
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/v1/status"): status,
    ("GET", "/v1/server"): server,
    ("GET", "/v1/openapi.json"): openapi,
    ("GET", "/v1/decks"): decks,
    ("GET", CARDS): get_cards,
    ("POST", CARDS): post_cards,
    ("POST", "/v1/sync"): post_sync,
}
# Answered without the API key: the status page needs them before it has one.
PUBLIC = {("GET", "/v1/server"), ("GET", "/v1/openapi.json")}
CARD_ROUTES: dict[str, Route] = {"GET": get_card, "DELETE": delete_card}


def _route(request: Request) -> Route:
    method = "GET" if request.method == "HEAD" else request.method
    if request.path.startswith(CARDS + "/"):
        route = CARD_ROUTES.get(method)
    else:
        route = ROUTES.get((method, request.path.rstrip("/") or "/"))
    if route is None:
        raise ApiError(404, f"no endpoint {request.method} {request.path} (see /v1/openapi.json)")
    return route


def handle(request: Request, ctx: ApiContext) -> Response:
    route = _route(request)
    try:
        return route(request, ctx)
    except CollectionUnavailable as exc:
        raise ApiError(503, f"no collection is open ({exc}): open a profile in Anki") from exc
