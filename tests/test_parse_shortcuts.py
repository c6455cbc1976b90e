"""Shortcuts the parsers take for speed give exactly the answer of the long way, on
any input (Hypothesis), and on inputs chosen to sit just beside each shortcut's edge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from addon.core.vault_text import _block_id, _separator, _separator_scan, _split_tail

# Unicode spaces too: the long way splits words with the regex \S, the short one with
# str.isspace and str.rstrip, which must agree on every one of them.
SPACES = " \t\u00a0\u2003\u3000\x1c\x85"
TAIL_PIECES = st.sampled_from(
    ["^", "^cc-1a2b", "^x", "^-", "#card", "#deck/a", "deck:a", "a", "é", "^^", "x^y", "::"]
)
TAIL_LINES = st.lists(st.one_of(TAIL_PIECES, st.sampled_from(list(SPACES))), max_size=12).map(
    "".join
)


@given(st.one_of(TAIL_LINES, st.text(alphabet="^cx-# \t\u00a0" + "ab1", max_size=30)))
def test_the_block_id_of_a_line_is_the_one_its_tail_ends_with(line: str) -> None:
    assert _block_id(line) == _split_tail(line)[3]


@given(st.text(alphabet=":{}a `", max_size=30))
def test_the_separator_shortcut_finds_what_the_scan_finds(line: str) -> None:
    assert _separator(line) == _separator_scan(line)


def test_near_misses_of_the_shortcuts() -> None:
    for line in ["a ^cc-1\u00a0", "a\u00a0^cc-1", "a^cc-1", "^cc-1", "^cc-1 #t", "^cc-1 ^cc-2"]:
        assert _block_id(line) == _split_tail(line)[3], line
    for line in ["a :: b", "a ::: b", "a:b", "{{c1::a}} :: b", "}} :: {{", "a ::", "::::"]:
        assert _separator(line) == _separator_scan(line), line
