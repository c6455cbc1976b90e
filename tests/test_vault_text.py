"""Vault notes: which text is a card, and writing a card back touches only its own
characters."""

from __future__ import annotations

import time

from addon.core.vault_text import (
    CardBlock,
    VaultText,
    clozes_to_highlights,
    highlights_to_clozes,
    parse_vault_text,
    rewrite,
    unmark,
    with_key,
)

NOTE = """---
title: Linux permissions
tags: [flashcards, deck/compsci/linux]
aliases: [chmod]
---

# Permissions

Files have an owner, a group and others. See [[Users and groups]] and `a::b` in C++.

What does `chmod` change? :: A file's permissions ^cc-1a2b
- Which command changes the owner? ::: `chown`
Capital of France::Paris

## Octal modes

What is 755?
?
rwx for the owner,
r-x for group and others

The ==owner== can ==write==, the group can only read. #card

```cpp
std::string s; // not a card :: really
```

## Aside #no-flashcards

Not a card :: here either

# Trivia

Plain prose with a cloze {{c1::inside}} braces.
"""


def parse(text: str) -> VaultText:
    return parse_vault_text(text, "fallback")


def test_cards_are_found_where_vault_users_mark_them() -> None:
    note = parse(NOTE)
    assert not note.problems
    assert note.title == "Linux permissions" and note.deck == "compsci::linux"
    cards = note.cards
    assert [(c.kind, c.front, c.back, c.reverse) for c in cards] == [
        ("basic", "What does `chmod` change?", "A file's permissions", False),
        ("basic", "Which command changes the owner?", "`chown`", True),
        ("basic", "Capital of France", "Paris", False),
        ("basic", "What is 755?", "rwx for the owner,\nr-x for group and others", False),
        ("cloze", "The {{c1::owner}} can {{c2::write}}, the group can only read.", "", False),
        ("cloze", "Plain prose with a cloze {{c1::inside}} braces.", "", False),
    ]
    assert cards[0].key == "cc-1a2b" and cards[1].key is None
    assert cards[0].headings == ("Permissions",)
    assert cards[3].headings == ("Permissions", "Octal modes")
    assert [c.line for c in cards] == [11, 12, 13, 17, 22, 34]
    assert note.text() == NOTE


def test_writing_back_changes_only_the_cards_characters() -> None:
    note = parse(NOTE)
    blocks = note.blocks
    blocks[0].text = rewrite(blocks[0], "What does `chmod` set?", "Permissions")
    blocks[1].text = with_key(blocks[1], "cc-9")
    blocks[3].text = rewrite(blocks[3], "What is 755?", "rwxr-xr-x")
    blocks[4].text = rewrite(blocks[4], "The {{c1::owner}} can {{c2::write}}, others read.", "")
    after = note.text()
    expected = (
        NOTE.replace("change? :: A file's permissions", "set? :: Permissions")
        .replace("::: `chown`", "::: `chown` ^cc-9")
        .replace("rwx for the owner,\nr-x for group and others", "rwxr-xr-x")
        .replace("the group can only read. #card", "others read. #card")
    )
    assert after == expected
    again = parse(after)
    assert [c.key for c in again.cards][:2] == ["cc-1a2b", "cc-9"]


def test_values_from_anki_cannot_break_the_card_they_go_into() -> None:
    note = parse("#flashcards\n\nQ :: A\n\nAsk\n?\nAnswer\n")
    inline, multi = note.blocks
    inline.text = rewrite(inline, "a::b", "line one\nline two")
    multi.text = rewrite(multi, "Ask", "first\n\n?\nlast")
    again = parse(note.text())
    assert [(c.front, c.back) for c in again.cards] == [
        ("a:\\:b", "line one<br>line two"),
        ("Ask", "first\n<br>\n\\?\nlast"),
    ]


def test_a_card_deleted_in_anki_leaves_its_prose() -> None:
    note = parse(NOTE)
    for block in note.blocks:
        assert block.card is not None
        raw_front = (
            block.card.front
            if block.kind == "basic"
            else block.text[: len(block.text) - len(block.tail)]
        )
        block.text = unmark(block, raw_front, block.card.back)
    after = note.text()
    assert "What does `chmod` change?: A file's permissions\n" in after
    assert "- Which command changes the owner?: `chown`\n" in after
    assert "What is 755?\nrwx for the owner,\nr-x for group and others\n" in after
    assert "The owner can write, the group can only read.\n" in after
    assert "^cc-" not in after and "#card" not in after
    assert parse(after).cards == []


def test_bad_marks_affect_only_their_card() -> None:
    text = (
        "---\ntags: [flashcards]\n---\n\n :: no question\n\nok :: fine ^cc-1\n\n"
        "again :: twice ^cc-1\n\n{{c1::}} empty\n"
    )
    note = parse(text)
    assert [c.front for c in note.cards] == ["ok"]
    assert [(p.line, p.reason) for p in note.problems] == [
        (5, "this card has an empty question"),
        (9, "block id ^cc-1 is used twice in the vault: remove this copy's id"),
        (11, "a cloze has nothing inside"),
    ]
    assert note.text() == text
    broken = parse("---\ntags: [flashcards\n---\nQ :: A\n")
    assert broken.problems and broken.problems[0].line >= 2


def test_notes_without_marks_are_prose() -> None:
    prose = "# Notes\n\nA Dataview field:: value\n\nSome ==highlight== here.\n"
    assert parse(prose).cards == [] and parse(prose).text() == prose
    assert len(parse("#card\nQ :: A\n").cards) == 1
    # A card the sync gave an id stays a card where the note is not opted in.
    assert len(parse("Q :: A ^cc-5\n").cards) == 1


def test_highlights_and_clozes_convert_both_ways() -> None:
    text = "The ==owner== and `==code==` and ==group=="
    clozed = highlights_to_clozes(text)
    assert clozed == "The {{c1::owner}} and `==code==` and {{c2::group}}"
    assert clozes_to_highlights(clozed) == text
    assert clozes_to_highlights("{{c1::a::hint}}") == "{{c1::a::hint}}"


def _time(text: str) -> float:
    start = time.perf_counter()
    parse_vault_text(text, "t")
    return time.perf_counter() - start


def test_hostile_notes_cost_what_ordinary_notes_cost() -> None:
    size = 60_000
    ordinary = ("#flashcards\n\n" + "What is it :: an answer\n\n" * size)[:size]
    hostile = [
        "#flashcards\n\n" + "{{c1::" + "::" * (size // 2),
        "#flashcards\n\n" + "==a " * (size // 4),
        "# a" + " #" * (size // 2) + "x\n",
        "#flashcards\n\n" + "`" * size,
        "#flashcards\n\n" + "`a` " * (size // 4),
        "#flashcards\n\nq :: a" + " #t" * (size // 3) + "\n",
    ]
    base = min(_time(ordinary) for _ in range(3))
    for text in hostile:
        took = min(_time(text) for _ in range(3))
        assert took < 20 * base + 0.05, (text[:30], took, base)


def test_crlf_notes_are_read_as_lf() -> None:
    note = parse("#flashcards\r\n\r\nQ :: A\r\n")
    assert [c.front for c in note.cards] == ["Q"]
    assert isinstance(note.blocks[0], CardBlock)
