"""Many searches answered at once give what Anki's own search gives for each, on
random collections: the one-read path for exact field searches, and the rest."""

from __future__ import annotations

from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addon.store.field_lookup import exact_field_search, find_notes_each

# Case, HTML, wildcards, spaces and a Kelvin sign (which Anki stores as "K"), so that
# near misses of a value are in the collections too.
VALUE = st.text(alphabet="aAbBkK-1", min_size=1, max_size=4)
FIELD_TEXT = st.one_of(
    st.text(alphabet="aAbB-1 _*\u212a<>/", max_size=5),
    VALUE,
    VALUE.map(lambda v: v.replace("k", "\u212a").replace("K", "\u212a")),
    VALUE.map(lambda v: f"<b>{v}</b>"),
    VALUE.map(lambda v: f" {v}"),
)
# Two note types share the key field under names that differ in case; Basic has none.
NOTE_TYPES = {"Keyed A": ["Front", "AnkiOps Key"], "Keyed B": ["ankiops KEY", "Other"]}


def _note_types(col: Collection) -> dict[str, Any]:
    found = {}
    for name, fields in NOTE_TYPES.items():
        notetype = col.models.by_name(name)
        if notetype is None:
            notetype = col.models.new(name)
            for field in fields:
                col.models.add_field(notetype, col.models.new_field(field))
            template = col.models.new_template("Card 1")
            template["qfmt"] = "{{" + fields[0] + "}}x"
            template["afmt"] = "{{" + fields[1] + "}}"
            col.models.add_template(notetype, template)
            col.models.add(notetype)
            notetype = col.models.by_name(name)
        found[name] = notetype
    basic = col.models.by_name("Basic")
    found["Basic"] = basic
    return found


def _queries(values: list[str]) -> st.SearchStrategy[list[str]]:
    exact = st.one_of(VALUE, st.sampled_from(values) if values else VALUE).map(
        lambda v: f'"AnkiOps Key:{v}"'
    )
    others = st.sampled_from(
        ['"AnkiOps Key:a*"', '"AnkiOps Key:a_"', "Front:a", '"ankiops key:"', '"(', "deck:x",
         '"Other:1"', '"AnkiOps Key:a" Front:a']
    )  # fmt: skip
    return st.lists(st.one_of(exact, exact, others), min_size=2, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    notes=st.lists(
        st.tuples(st.sampled_from(["Keyed A", "Keyed B", "Basic"]), FIELD_TEXT, FIELD_TEXT),
        max_size=12,
    ),
    data=st.data(),
)
def test_each_answer_is_what_ankis_search_gives(
    col: Collection, notes: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    col.remove_notes(col.find_notes(""))
    types = _note_types(col)
    requests = []
    for name, first, second in notes:
        note = col.new_note(types[name])
        note.fields[0], note.fields[1] = first or "x", second
        requests.append(AddNoteRequest(note, DeckId(1)))
    col.add_notes(requests)
    texts = [text for _, first, second in notes for text in (first, second)]
    values = [v for v in texts if exact_field_search(f'"AnkiOps Key:{v}"')]
    queries = data.draw(_queries(values))

    expected: list[list[int] | str] = []
    for query in queries:
        try:
            expected.append(list(col.find_notes(query)))
        except Exception as exc:
            expected.append(str(exc))
    assert find_notes_each(col, queries) == expected


def test_only_unambiguous_field_searches_take_the_fast_path() -> None:
    assert exact_field_search('"AnkiOps Key:0a1B-c"') == ("ankiops key", "0a1b-c")
    for query in [
        "Front:abc",  # a one-word name could be a search keyword (deck:, tag:, ...)
        '"AnkiOps Key:a*"', '"AnkiOps Key:a_b"', '"AnkiOps Key:a\\\\b"', '"AnkiOps Key:re:a"',
        '"AnkiOps Key:"', "AnkiOps Key:abc", '"AnkiOps Key:abc" tag:x', '"Anki*ps Key:abc"',
        '"AnkiOps Key:\u212a"',
    ]:  # fmt: skip
        assert exact_field_search(query) is None, query
