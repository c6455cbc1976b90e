"""A one-line card whose only `::` sits in the words that end it (a deck tag written
`deck::a`) is bad input: reported where it is, the rest of the note still read."""

from __future__ import annotations

from addon.core.vault_text import parse_vault_text


def test_a_double_colon_only_inside_the_closing_deck_tag_is_reported_not_a_crash() -> None:
    text = "#flashcards\n\nGood :: one\nx deck::y\nOther :: two\n\nalone deck::\n"
    parsed = parse_vault_text(text, "n")
    assert [(c.front, c.back) for c in parsed.cards] == [("Good", "one"), ("Other", "two")]
    assert [p.line for p in parsed.problems] == [4, 7]
    assert all("deck:a/b" in p.reason for p in parsed.problems)
    assert parsed.text() == text
