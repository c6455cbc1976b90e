"""Shortcuts the parsers take for speed give exactly the answer of the long way, on
any input (Hypothesis), and on inputs chosen to sit just beside each shortcut's edge."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from addon.core.front_matter import simple_mapping
from addon.core.markdown import MARKDOWN_SYNTAX, _html, _parsed, _rendered, render
from addon.core.vault_text import _block_id, _separator, _separator_scan, _split_tail
from tests.test_linear_parsers import MAX_RATIO, _fill, ratio

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


# -- front matter --------------------------------------------------------------------

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
# Words, and the traps beside them: YAML's booleans, nulls, numbers, dates, quotes,
# comments, indicators, merge keys, odd spaces and line breaks.
YAML_PIECES = [
    "title", "tags", "a", "Note 1", "café", "Ωmega", "x_y", "a-b", "a.b", "it's", "a/b",
    "yes", "No", "ON", "off", "True", "FALSE", "y", "n", "null", "Null", "~", "NULL",
    "1", "0x1F", "1_000", "1e3", ".5", ".inf", ".NaN", "1:20", "2024-01-01", "12:30:00",
    "'q'", '"q"', "#c", " #c", ":", ": ", "a:b", "<<", "=", "&a", "*a", "!!str", "- a",
    "[", "]", "[]", "{a: b}", ",", ", ", " ", "  ", "\t", "|", ">", "%", "@", "`", "?",
    "\u00a0", "\u2028", "\x85", "\r", "²", "½",
]  # fmt: skip
YAML_LINES = st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=6).map("".join)
# Values mostly of words, so that the shortcut is taken often, with a trap now and then.
WORDS = st.sampled_from(YAML_PIECES[:11])  # the words before the first trap
VALUES = st.lists(st.one_of(WORDS, st.sampled_from(YAML_PIECES)), min_size=1, max_size=3).map(
    "".join
)
SIMPLE_LINES = st.builds(
    lambda key, value: f"{key}:{value}",
    st.sampled_from(["title", "tags", "cards", "deck", "y", "on", "Ωmega", "k2"]),
    st.one_of(
        st.just(""),
        VALUES.map(lambda v: " " + v),
        st.lists(VALUES, max_size=4).map(lambda v: " [" + ", ".join(v) + "]"),
    ),
)


def _yaml(text: str, loader: type) -> str:
    try:
        return repr(yaml.load(text, Loader=loader))  # repr: True and 1 must differ
    except yaml.YAMLError:
        return "error"


FRONT_MATTERS = st.lists(
    st.one_of(SIMPLE_LINES, SIMPLE_LINES, SIMPLE_LINES, YAML_LINES), max_size=4
)


@settings(max_examples=500)
@given(FRONT_MATTERS.map(lambda lines: "\n".join(lines) + "\n"))
def test_simple_front_matter_reads_as_yaml_reads_it(text: str) -> None:
    simple = simple_mapping(text)
    if simple is not None:
        for loader in LOADERS:
            assert repr(simple) == _yaml(text, loader), text


def test_front_matter_traps_are_left_to_yaml() -> None:
    assert simple_mapping("title: Note 1\ntags: [flashcards, zettel]\n") == {
        "title": "Note 1",
        "tags": ["flashcards", "zettel"],
    }
    assert simple_mapping("aliases:\ncards: []\n") == {"aliases": None, "cards": []}
    for text in [
        "cards: yes\n", "cards: On\n", "deck: null\n", "deck: ~\n", "n: a\n", "tags: [a, no]\n",
        "title: 1\n", "title: 2024-01-01\n", "title: 'a'\n", "title: a # c\n", "title: a \n",
        "title: a:b\n", "<<: a\n", "title: a\n  b\n", "title: a\n\n", "title: a\u2028b\n",
        "tags: [a,]\n", "tags: [a , b]\n", "k" * 200 + ": a\n", "- a\n", "title: a\r\n",
    ]:  # fmt: skip
        assert simple_mapping(text) is None, text


# -- Markdown ------------------------------------------------------------------------

# Everything Markdown (and the plugins in use) gives a meaning to, plus HTML, entities,
# escapes, odd spaces and line breaks.
MARKDOWN_PIECES = [
    "a", "B", "é", "word", " ", "  ", "\t", "\f", "\v", "\u00a0", "\u2028", "\n", "\r",
    "*", "**", "_", "__", "`", "``", "~", "~~", "^", "=", "==", "#", "# ", ">", "- ", "+ ",
    "1. ", "2) ", "[", "]", "(", ")", "![", "](x)", "[x]: y", "|", "<", ">", "&", "&amp;",
    "&#123;", "<p>", "</p>", "<b>", "<!--", "-->", "\\", "\\*", "$", "{{c1::", "}}", ":",
    "http://x.y", "<http://x.y>", "    ", "---", "***", "[ ] ", "[x] ", "1", "   ",
]  # fmt: skip
ONE_LINERS = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["a", "Z", "é", "Ω", "x"]),
    st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=10).map("".join),
)


@settings(max_examples=500)
@given(st.one_of(ONE_LINERS, st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=8).map("".join)))
def test_the_one_line_shortcut_renders_as_the_whole_parser_does(text: str) -> None:
    assert _html(text) == _parsed(text)


def test_near_misses_of_the_one_line_shortcut() -> None:
    for text in [
        "a  ", "a\t", "a\f", "a\\", "a <p>b</p>", "a **b** `c` ~~d~~ ==e== ^f^ ~g~",
        "a [x][y]", "a ![i](p.png)", "a <!-- c -->", "a &amp; b", "a\u2028b", "a\u00a0",
        "1. a", "- a", "# a", "> a", "a\n---", "a\n=", "a | b", "a\n| - |",
    ]:  # fmt: skip
        assert _html(text) == _parsed(text), repr(text)


# Whole fields: the pieces above, and formulas, clozes and sized images, which render
# sets apart before parsing.
FIELD_PIECES = [
    *MARKDOWN_PIECES, "\\(a_1 * b\\)", "\\[x^2\\]", "$x_1$", "$$a*b$$", "$", "{{c1::answer}}",
    "{{c2::a::hint}}", "{width=70}", "![i](media/a.png)", "Plain words here", "word.",
    '"', "'", "it's", " **bold**", " *em*", "**b c**", "*x y*", "`code`", "` x `", "`a\tb`",
    "`\"q\"`", ".", ",", ";", "?", ")", "(", "9", "Ω", "ä",
]  # fmt: skip
# Prose with **strong**, *emphasis* and `code`, which a shortcut renders, and the
# delimiters, spaces and punctuation beside which it must not.
PROSE_PIECES = [
    "word", "a", "9", "é", " ", "  ", "**b**", "*e*", "**b c**", "*x y*", "**9**", "`c`",
    "`a b`", "` c`", "`c `", "`\t`", "`*`", '"', "'", ".", ",", ";", ":", "?", ")", "(", "-",
    "*", "**", "***", "`", "_", "{{c1::", "}}", "\u00a0", "\t", "\u3000", "&", "=", "~",
]  # fmt: skip


def _lines(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(["a", "Z", "é", "Ω", "x"]),
        st.lists(st.sampled_from(pieces), max_size=10).map("".join),
    )


FIELD_LINES = _lines(FIELD_PIECES)
FIELDS = st.one_of(
    st.just(""),
    st.text(alphabet=" \t\n\r\f\v\u00a0\u2003\x1c\x85", max_size=4),
    ONE_LINERS,
    FIELD_LINES,
    _lines(PROSE_PIECES),
    st.lists(st.sampled_from(FIELD_PIECES), max_size=12).map("".join),
)


def _rendered_the_long_way(text: str) -> str:
    """What render gives without a shortcut: text without Markdown syntax is kept as
    written (a rule, not a shortcut: mistune would trim its ends and escape quotes),
    the rest goes through the whole parser."""
    return _rendered(text, _parsed) if MARKDOWN_SYNTAX.search(text) else text


@settings(max_examples=1000)
@given(FIELDS)
def test_render_shortcuts_give_what_the_whole_parser_gives(text: str) -> None:
    assert render(text) == _rendered_the_long_way(text), repr(text)


@settings(max_examples=1000)
@given(_lines(PROSE_PIECES))
def test_the_prose_shortcut_renders_as_the_whole_parser_does(text: str) -> None:
    assert render(text) == _rendered_the_long_way(text), repr(text)


# Bullet lists of prose items, which a shortcut renders, and the markers, indents,
# blank lines and underlines beside which it must not.
LIST_MARKERS = st.sampled_from(["- ", "- ", "- ", "-  ", "* ", "+ ", "  - ", "-", "1. ", ""])
LIST_LINES = st.builds(lambda marker, text: marker + text, LIST_MARKERS, _lines(PROSE_PIECES))
LISTS = st.builds(
    lambda lines, end: "\n".join(lines) + end,
    st.lists(st.one_of(LIST_LINES, LIST_LINES, st.sampled_from(["", "---", "===", " "])),
             min_size=1, max_size=5),
    st.sampled_from(["", "\n", "\n\n", " "]),
)  # fmt: skip


@settings(max_examples=1000)
@given(LISTS)
def test_the_list_shortcut_renders_as_the_whole_parser_does(text: str) -> None:
    assert _html(text) == _parsed(text), repr(text)
    assert render(text) == _rendered_the_long_way(text), repr(text)


def test_near_misses_of_the_list_shortcut() -> None:
    for text in [
        "- a\n- b", "- a\n- b\n", "- a\n\n- b", "- a\n  - b", "- a\nb", "- a\n---",
        "- a\n===", "- a\n* b", "- a\n-b", "- 1 a", "- [ ] a", "- [x] a", "- # a", "- > a",
        "- a  \n- b", "- a\t\n- b", "- a\r\n- b", "- **a**\n- *b* `c`", '- a "b"', "-  a",
        "- a\n- ", "- a\n-", "- é\n- Ω",
    ]:  # fmt: skip
        assert _html(text) == _parsed(text), repr(text)


def test_near_misses_of_the_render_shortcuts() -> None:
    for text in [
        "", " ", "\n", " \n ", "\u00a0", "\x1c", "plain", "a\n", "a  ", "1. a", "1.a", "- a",
        "-a", "a - b", "a_b", "a*b", "3 < 4", "a & b", "$x$", "\\(x\\)", "{{c1::a}}", "a\r\nb",
        "a **b**", "a**b**", "a **b**c", "a **b**.", "a **b.** c", "a *b*)", "a *b*_", "a `c`",
        "a `c``d`", "a ``c``", "a ` c `", 'a "`c`" "d"', "a **b** *c* `d` and **e f**",
    ]:  # fmt: skip
        assert render(text) == _rendered_the_long_way(text), repr(text)


@pytest.mark.parametrize("bad_unit", ["a, ", "a ", "a-", "ab,", "[a, b] "])
def test_the_front_matter_shortcut_takes_linear_time(bad_unit: str) -> None:
    size = 60_000
    adversarial = "key: [" + _fill(bad_unit, size - 7) + ":"
    ordinary = _fill("title: Note 1\n", size)
    assert ratio(simple_mapping, adversarial, ordinary) < MAX_RATIO
