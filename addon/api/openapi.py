"""The OpenAPI 3 description of the native API, served at GET /v1/openapi.json."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _json(_ref("Error"), "error; `problems` lists each with its JSON path")
REFUSED = _json(_ref("Error"), "refused: the Host or Origin header is not allowed")
STRING = {"type": "string"}

SCHEMAS: dict[str, Any] = {
    "Image": {
        "oneOf": [
            {"type": "string", "description": "data URL: data:image/png;base64,..."},
            {
                "type": "object",
                "required": ["data", "filename"],
                "additionalProperties": False,
                "properties": {
                    "data": {"type": "string", "description": "base64"},
                    "filename": {"type": "string", "example": "figure.png"},
                },
            },
        ]
    },
    "Context": {
        "type": "object",
        "additionalProperties": False,
        "description": "Where the card came from; shown on the back of the card.",
        "properties": {
            "title": STRING,
            "url": {
                "type": "string",
                "format": "uri",
                "description": "the source; the card links back to the exact spot: a text "
                "fragment (#:~:text=) from the highlight for a web page, #page=N for a PDF; "
                "a fragment sent here is kept",
            },
            "highlight": {"type": "string", "description": "the original highlighted text"},
            "page": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            "location": STRING,
            "image": _ref("Image"),
            "created": {"type": "string", "description": "e.g. an ISO 8601 date"},
        },
    },
    "Card": {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "description": "stable id chosen by the client",
                "minLength": 1,
                "maxLength": 256,
            },
            "type": {"type": "string", "enum": ["basic", "cloze"], "default": "basic"},
            "front": {"type": "string", "description": "basic cards (required)"},
            "back": {"type": "string", "description": "basic cards"},
            "text": {
                "type": "string",
                "description": "cloze cards (required): {{c1::answer::hint}}",
            },
            "extra": STRING,
            "tags": {
                "type": "array",
                "items": STRING,
                "description": "a tag deck:a/b puts the card in deck a::b and is not stored",
            },
            "deck": {"type": "string", "description": "explicit deck, a::b or a/b"},
            "format": {"type": "string", "enum": ["html", "markdown"], "default": "html"},
            "context": _ref("Context"),
        },
    },
    "CardResult": {
        "type": "object",
        "properties": {
            "id": STRING,
            "note_id": {"type": "integer"},
            "status": {"type": "string", "enum": ["created", "updated", "unchanged", "deleted"]},
        },
    },
    "StoredCard": {
        "type": "object",
        "properties": {
            "id": STRING,
            "note_id": {"type": "integer"},
            "type": {"type": "string", "enum": ["basic", "cloze"]},
            "deck": {"oneOf": [STRING, {"type": "array", "items": STRING}]},
            "tags": {"type": "array", "items": STRING},
            "fields": {"type": "object", "additionalProperties": STRING},
            "context": {"type": "object", "additionalProperties": STRING},
            "card_ids": {"type": "array", "items": {"type": "integer"}},
            "modified": {"type": "integer"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": STRING, "problems": {"type": "array", "items": STRING}},
    },
}


# An empty batch is refused: it would write nothing and is most likely a client's bug.
CARD_BATCH = {"type": "array", "items": _ref("Card"), "minItems": 1}


def document(version: str, port: int) -> dict[str, Any]:
    card_id = {"name": "id", "in": "path", "required": True, "schema": STRING}
    described: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {
            "title": "Context Connect",
            "version": version,
            "description": "Flashcards with context, for annotators. Upsert by external id: "
            "resending an unchanged card writes nothing.",
        },
        "servers": [{"url": f"http://127.0.0.1:{port}"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            },
        },
        "security": [{}, {"bearer": []}, {"apiKey": []}],
        "paths": {
            "/v1/cards": {
                "post": {
                    "summary": "Create or update cards (one, a list, or {cards: [...]})",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        _ref("Card"),
                                        CARD_BATCH,
                                        {
                                            "type": "object",
                                            "required": ["cards"],
                                            "properties": {"cards": CARD_BATCH},
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "cards": {"type": "array", "items": _ref("CardResult")},
                                    "created": {"type": "integer"},
                                    "updated": {"type": "integer"},
                                    "unchanged": {"type": "integer"},
                                },
                            },
                            "per card: created, updated or unchanged",
                        ),
                        "400": ERROR,
                        "409": ERROR,
                        "413": ERROR,
                        "422": ERROR,
                        "503": ERROR,
                    },
                },
                "get": {
                    "summary": "The cards of one document",
                    "parameters": [
                        {
                            "name": "source",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "source": STRING,
                                    "cards": {"type": "array", "items": _ref("StoredCard")},
                                },
                            },
                            "cards whose context URL is `source`",
                        ),
                        "400": ERROR,
                    },
                },
            },
            "/v1/cards/{id}": {
                "get": {
                    "summary": "One card by its external id",
                    "parameters": [card_id],
                    "responses": {"200": _json(_ref("StoredCard"), "the card"), "404": ERROR},
                },
                "delete": {
                    "summary": "Delete a card's note",
                    "parameters": [card_id],
                    "responses": {"200": _json(_ref("CardResult"), "deleted"), "404": ERROR},
                },
            },
            "/v1/decks": {
                "get": {
                    "summary": "All decks",
                    "responses": {"200": _json({"type": "object"}, "decks with id and name")},
                }
            },
            "/v1/status": {
                "get": {
                    "summary": "Version, profile, whether a collection is open, counts, "
                    "the Markdown folder, allowed origins and the last requests",
                    "responses": {"200": _json({"type": "object"}, "status")},
                }
            },
            "/v1/sync": {
                "post": {
                    "summary": "Sync a Markdown folder with the open collection (programs on "
                    "this computer only, no Origin); body {folder, yes, adopt, collection}",
                    "responses": {
                        "200": _json({"type": "object"}, "the summary `sync --json` prints"),
                        "400": ERROR,
                        "403": ERROR,
                        "409": ERROR,
                    },
                }
            },
            "/v1/server": {
                "get": {
                    "summary": "Address, version and whether an API key is required "
                    "(answered without a key)",
                    "security": [],
                    "responses": {"200": _json({"type": "object"}, "server")},
                }
            },
        },
    }
    # Any request may be refused for its Host or Origin header, which the server checks
    # before anything else (an operation that lists a 403 of its own keeps its text).
    for operations in described["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault("403", REFUSED)
    return described
