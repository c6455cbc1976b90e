"""schemathesis against the server's own /v1/openapi.json, over real HTTP on a real
collection: no 5xx, answers as documented (status, content type, body schema), and
requests the document calls invalid are refused.

The default run generates a few cases per operation; `pytest -m schemathesis` many."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import Served

Serve = Callable[..., Served]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
# Not checked for cards: that every schema-valid card is accepted. A card's rules (a
# basic card needs a front, a cloze card a {{c1::…}}, an image valid base64) are
# answered as a 422 naming each problem; JSON Schema cannot state them all.
CARD_CHECKS = [check for check in CHECKS if check is not positive_data_acceptance]
# POST /v1/sync reads and writes the folder the request names: never fuzzed.
SKIPPED = {"POST /v1/sync"}


def _check(operation: Any, base: str, mode: Any, examples: int) -> None:
    checks = CARD_CHECKS if operation.label == "POST /v1/cards" else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base, checks=checks)

    try:
        check()
    except Unsatisfiable:
        # Nothing to make invalid: the operation takes no parameters or body.
        assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label


def _run(served: Served, examples: int) -> list[str]:
    base = f"http://127.0.0.1:{served.port}"
    schema = schemathesis.openapi.from_url(base + "/v1/openapi.json")
    tested = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            pytest.fail(f"the document is not valid OpenAPI: {result.err()}")
        operation = result.ok()
        if operation.label in SKIPPED:
            continue
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _check(operation, base, mode, examples)
        tested.append(operation.label)
    return tested


def test_the_native_api_keeps_its_document(serve: Serve) -> None:
    served = serve()
    tested = _run(served, examples=15)
    assert "POST /v1/cards" in tested and len(tested) >= 5
    problems, ok = served.runner.read(lambda col: col.fix_integrity())
    assert ok, problems


@pytest.mark.schemathesis
def test_the_native_api_keeps_its_document_at_length(serve: Serve) -> None:
    _run(serve(), examples=400)
