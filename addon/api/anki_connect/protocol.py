"""The envelope: `{action, version, params, key}` in, `{result, error}` (or a bare
result for version 4 and below) out; `multi` runs several. On AnkiOps' connector port
a request without `version` is AnkiOps' and gets its connector's envelope."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple, Optional

from ...core.json_input import JsonInputError, decode_json
from ...core.request_limits import params_problem
from ...store import field_lookup
from ...store.runner import CollectionUnavailable, InsideOperation
from ..context import ApiContext
from ..http import ApiError, Request, Response
from ..security import key_matches, origin_refusal
from . import cards, notes
from .graphical import WINDOW_ACTIONS
from .misc import API_VERSION
from .registry import ACTIONS, list_params

# Actions that wait on Anki's main thread: a multi holding them runs step by step.
_WINDOW_BOUND = {*WINDOW_ACTIONS, "getProfiles", "loadProfile", "reloadCollection", "importPackage"}
# Actions that change nothing: a multi of only these is a read, not an (empty) undo step.
_READERS = {
    "version", "requestPermission", "apiReflect", "getActiveProfile",
    "deckNames", "deckNamesAndIds", "getDecks", "getDeckConfig", "getDeckStats",
    "deckNameFromId", "modelNames", "modelNamesAndIds", "findModelsById",
    "findModelsByName", "modelNameFromId", "modelFieldNames", "modelFieldDescriptions",
    "modelFieldFonts", "modelFieldsOnTemplates", "modelTemplates", "modelStyling",
    "canAddNote", "canAddNoteWithErrorDetail", "canAddNotes", "canAddNotesWithErrorDetail",
    "findNotes", "findCards", "notesInfo", "notesModTime", "getNoteTags", "getTags",
    "getEaseFactors", "suspended", "areSuspended", "areDue", "getIntervals", "cardsToNotes",
    "cardsModTime", "cardsInfo", "retrieveMediaFile", "getMediaFilesNames",
    "getMediaDirPath", "getNumCardsReviewedToday", "getNumCardsReviewedByDay",
    "getCollectionStatsHTML", "cardReviews", "getReviewsOfCards", "getLatestReviewID",
}  # fmt: skip


def _envelope(version: int, result: Any, error: str | None) -> Any:
    # AnkiConnect: version <= 4 answers the bare result unless there is an error.
    if version <= 4 and error is None:
        return result
    return {"result": result, "error": error}


class _ActionFailed(Exception):
    """The message an envelope carries as its error."""


Multi = Callable[..., list[Any]]


def _call(payload: dict[str, Any], ctx: ApiContext, header_key: str | None, multi: Multi,
          unknown: str, own: Mapping[str, Callable[..., Any]]) -> Any:  # fmt: skip
    """One action's result, or _ActionFailed with the error to answer. `own`: the
    dialect's own versions of some actions."""
    action_name = payload.get("action")
    key = payload.get("key", header_key)
    if action_name != "requestPermission" and not key_matches(
        key if isinstance(key, str) else None, ctx.config
    ):
        raise _ActionFailed("valid api key must be provided")
    action = None
    if isinstance(action_name, str):
        action = own.get(action_name, ACTIONS.get(action_name))
    if action_name == "multi":  # sub-actions carry their own version and key
        action = functools.partial(multi, header_key=header_key)
    if action is None:
        raise _ActionFailed(unknown.format(action=action_name))
    params = payload.get("params", {})
    if not isinstance(params, dict):
        raise _ActionFailed("params must be an object")
    if action_name != "multi" and (
        problem := params_problem(str(action_name), params, list_params(action))
    ):
        raise _ActionFailed(problem)
    try:
        return action(ctx, **params)
    except CollectionUnavailable:
        raise _ActionFailed("collection is not available") from None
    except Exception as exc:  # AnkiConnect reports every failure in the envelope
        raise _ActionFailed(str(exc)) from None


class _Dialect(NamedTuple):
    """How a `multi` answers each of its actions: AnkiConnect's envelope per action,
    or AnkiOps' bare result (a bare string for a failure)."""

    one: Callable[[Any, ApiContext, str | None], Any]
    answer: Callable[[Any, Any, str | None], Any]


def _run_actions(
    ctx: ApiContext, actions: Any, header_key: str | None, dialect: _Dialect
) -> list[Any]:
    """One collection operation and one undo entry for the whole list (Anki keeps only
    30 undo steps, and each operation is a trip through Anki's main thread); a list
    with graphical actions runs one action at a time, as they need the main thread.
    Runs of addNote, and of findNotes, are answered together (_TOGETHER)."""
    if not isinstance(actions, list):
        raise TypeError("multi() argument 'actions' must be a list")
    if isinstance(ctx.runner, InsideOperation) or any(
        isinstance(sub, dict) and sub.get("action") in _WINDOW_BOUND for sub in actions
    ):
        return [dialect.one(sub, ctx, header_key) for sub in actions]
    profile = ctx.runner.profile_name()

    def run_all(col: Any) -> list[Any]:
        inside = replace(ctx, runner=InsideOperation(col, profile))
        answers: list[Any] = []
        start = 0
        while start < len(actions):
            name = _batchable(actions[start], ctx, header_key)
            end = start + 1
            while name and end < len(actions) and _batchable(actions[end], ctx, header_key) == name:
                end += 1
            if name and end - start > 1:
                subs = actions[start:end]
                outcomes = _TOGETHER[name].answer(inside, subs)
                answers.extend(dialect.answer(sub, *done) for sub, done in zip(subs, outcomes))
            else:
                answers.append(dialect.one(actions[start], inside, header_key))
            start = end
        return answers

    if all(isinstance(sub, dict) and sub.get("action") in _READERS for sub in actions):
        return ctx.runner.read(run_all)
    return ctx.runner.write("AnkiConnect: multi", run_all)


Outcome = tuple[Any, Optional[str]]


class _Together(NamedTuple):
    """An action that neighbours of the same name join: its one parameter, of this
    type, and the answers of a run of them."""

    param: str
    kind: type
    answer: Callable[[ApiContext, list[dict[str, Any]]], list[Outcome]]


def _batchable(sub: Any, ctx: ApiContext, header_key: str | None) -> str | None:
    """The action's name when it can join its neighbours: well formed, with only its
    one parameter, and a key that matches."""
    if not isinstance(sub, dict) or schema_problem(sub):
        return None
    name = sub["action"]
    together = _TOGETHER.get(name)
    params = sub.get("params", {})
    key = sub.get("key", header_key)
    if (
        together is None
        or set(params) != {together.param}
        or not isinstance(params[together.param], together.kind)
        or not key_matches(key if isinstance(key, str) else None, ctx.config)
    ):
        return None
    return str(name)


def _add_notes_together(ctx: ApiContext, subs: list[dict[str, Any]]) -> list[Outcome]:
    """Consecutive addNote actions as one add_notes call (ten times faster than one per
    note); each answers as it would alone, since a batch checks each note against the
    notes before it."""
    try:
        results = notes.add_each(ctx, [sub["params"]["note"] for sub in subs], "addNote")
    except CollectionUnavailable:
        return [(None, "collection is not available")] * len(subs)
    return _outcomes(results)


def _find_notes_together(ctx: ApiContext, subs: list[dict[str, Any]]) -> list[Outcome]:
    """Consecutive findNotes actions in one read: AnkiOps sends one per note."""
    queries = [sub["params"]["query"] for sub in subs]
    return _outcomes(ctx.runner.read(lambda col: field_lookup.find_notes_each(col, queries)))


def _outcomes(results: list[Any]) -> list[Outcome]:
    """Each action's (result, error), from answers where a string is the error."""
    return [(None, r) if isinstance(r, str) else (r, None) for r in results]


_TOGETHER = {
    "addNote": _Together("note", object, _add_notes_together),
    "findNotes": _Together("query", str, _find_notes_together),
}


def _version(payload: dict[str, Any]) -> int:
    """The request's protocol version; AnkiConnect's default is 4."""
    version = payload.get("version", 4)
    return version if isinstance(version, int) and not isinstance(version, bool) else 4


def run_request(payload: Any, ctx: ApiContext, header_key: str | None) -> Any:
    """One AnkiConnect request (also used for each sub-action of `multi`)."""
    if not isinstance(payload, dict):
        return _envelope(4, None, "request must be a JSON object")
    version = _version(payload)
    try:
        result = _call(payload, ctx, header_key, _anki_connect_multi, UNSUPPORTED, {})
        return _envelope(version, result, None)
    except _ActionFailed as exc:
        return _envelope(version, None, str(exc))


_ANKI_CONNECT = _Dialect(
    run_request, lambda sub, result, error: _envelope(_version(sub), result, error)
)


def _anki_connect_multi(ctx: ApiContext, actions: Any, header_key: str | None) -> list[Any]:
    return _run_actions(ctx, actions, header_key, _ANKI_CONNECT)


# AnkiOps' connector ("AnkiOpsConnect") speaks AnkiConnect's actions without `version`,
# always answers {result, error}, and in `multi` gives each failure as a bare string.
# AnkiOps falls back to AnkiConnect on an action it answers as unknown with this text.
UNSUPPORTED = "unsupported action"
ANKIOPS_UNKNOWN = "Unknown AnkiOpsConnect action: {action}"
# Where AnkiOps' connector answers an action in its own way.
_ANKIOPS_OWN = {"cardsInfo": cards.ankiops_cards_info}


def _ankiops_call(payload: Any, ctx: ApiContext, header_key: str | None) -> Any:
    if not isinstance(payload, dict):
        raise _ActionFailed("AnkiOpsConnect requests require action and params.")
    return _call(payload, ctx, header_key, _ankiops_multi, ANKIOPS_UNKNOWN, _ANKIOPS_OWN)


def _ankiops_one(payload: Any, ctx: ApiContext, header_key: str | None) -> Any:
    try:
        return _ankiops_call(payload, ctx, header_key)
    except _ActionFailed as exc:
        return str(exc)


_ANKIOPS = _Dialect(_ankiops_one, lambda _sub, result, error: result if error is None else error)


def _ankiops_multi(ctx: ApiContext, actions: Any, header_key: str | None) -> list[Any]:
    return _run_actions(ctx, actions, header_key, _ANKIOPS)


def run_ankiops_request(payload: Any, ctx: ApiContext, header_key: str | None) -> Any:
    """A request in AnkiOps' connector dialect."""
    try:
        return {"result": _ankiops_call(payload, ctx, header_key), "error": None}
    except _ActionFailed as exc:
        return {"result": None, "error": str(exc)}


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


def schema_problem(payload: Any) -> str | None:
    """What AnkiConnect's request schema says about `payload` (jsonschema's message),
    or None: an object with a non-empty string `action`, an integer `version` and an
    object `params`."""
    if not isinstance(payload, dict):
        return f"{payload!r} is not of type 'object'"
    if "action" not in payload:
        return "'action' is a required property"
    expected = {"action": (str, "string"), "version": (int, "integer"), "params": (dict, "object")}
    for key, (kind, name) in expected.items():
        if key in payload:
            value = payload[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                return f"{value!r} is not of type '{name}'"
    if payload["action"] == "":
        return "'' should be non-empty"
    return None


def banner() -> Response:
    """AnkiConnect answers an empty request with its name and version; clients use it
    to find the server."""
    return Response(200, None, text=f"AnkiConnect v.{API_VERSION}")


def handle(request: Request, ctx: ApiContext) -> Response:
    if request.origin is not None and not ctx.origin_allowed(request.origin):
        payload: Any = None
        if request.body:
            try:
                payload = decode_json(request.body)
            except JsonInputError:
                pass
        return _permission_for_stranger(payload, ctx, request.origin)
    if not request.body:
        return banner()
    ctx = replace(ctx, browser=request.origin is not None)
    try:
        payload = decode_json(request.body)
    except JsonInputError as exc:
        return Response(200, _envelope(API_VERSION, None, exc.decoder))
    # Checked first: a malformed request gets AnkiConnect's words on every port, and
    # only a well-formed one without `version` is AnkiOps'.
    problem = schema_problem(payload)
    if problem is not None:
        return Response(200, _envelope(API_VERSION, None, problem))
    if request.ankiops_port and "version" not in payload:
        return Response(200, run_ankiops_request(payload, ctx, request.header_key))
    return Response(200, run_request(payload, ctx, request.header_key))
