"""Answers are written with orjson where it can, with json where it cannot: either
way the bytes decode to what json itself would have written."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from addon.server import _json_bytes

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False), st.text(),  # lone surrogates too
)  # fmt: skip
KEYS = st.one_of(st.text(), st.integers(min_value=-(2**63), max_value=2**63 - 1))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)


@given(VALUES)
def test_an_answer_reads_back_as_json_would_write_it(value: Any) -> None:
    assert json.loads(_json_bytes(value)) == json.loads(json.dumps(value))


def test_what_orjson_refuses_is_still_answered() -> None:
    assert _json_bytes({"n": 2**70}) == b'{"n":1180591620717411303424}'
    assert _json_bytes({"s": "\ud800"}) == b'{"s":"\\ud800"}'
    assert _json_bytes({7: "é"}) == '{"7":"é"}'.encode()
