"""HTML fields ↔ Markdown: nothing a reader sees is lost either way."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addon.core.html_markdown import to_markdown
from addon.core.markdown import render
from tests.html_view import view

CORPUS = json.loads((Path(__file__).parent / "corpus" / "fields.json").read_text())


@pytest.mark.parametrize("field", CORPUS)
def test_corpus_fields_survive_both_ways(field: str) -> None:
    markdown = to_markdown(field)
    assert view(render(markdown)) == view(field), markdown
    assert to_markdown(render(markdown)) == markdown


def test_what_markdown_cannot_say_stays_html() -> None:
    assert to_markdown("H<sub>2</sub>O") == "H<sub>2</sub>O"
    assert to_markdown("<u>u</u>") == "<u>u</u>"
    assert to_markdown('<font color="red">x</font>') == '<font color="red">x</font>'
    assert to_markdown("<ul><li>a<br>b</li></ul>") == "<ul><li>a<br>b</li></ul>"
    assert to_markdown("&lt;b&gt;") == "&lt;b&gt;"


def test_text_that_looks_like_markdown_is_escaped() -> None:
    assert to_markdown("1. text") == "1\\. text"
    assert to_markdown("_a_b_") == "\\_a\\_b\\_"
    assert to_markdown("* x") == "\\* x"
    assert to_markdown("# x") == "\\# x"
    assert to_markdown("- x") == "\\- x"


def test_markdown_as_written_renders_what_anki_shows() -> None:
    assert render("**b** *i* ~~s~~ ==m== H~2~O x^2^") == (
        "<strong>b</strong> <em>i</em> <del>s</del> <mark>m</mark> H<sub>2</sub>O x<sup>2</sup>"
    )
    assert (
        render("\\(a_1 * b_2\\) and **\\(x\\)**") == "\\(a_1 * b_2\\) and <strong>\\(x\\)</strong>"
    )
    assert render("`{{c1::code}}` [{{c2::link}}](https://x.org)") == (
        '<code>{{c1::code}}</code> <a href="https://x.org">{{c2::link}}</a>'
    )
    code = render("```python\nif x: # c\n    return 'y'\n```")
    assert code.startswith('<pre class="cc-code" data-lang="python"><code>')
    assert '<span class="cc-k">if</span>' in code and '<span class="cc-c"># c</span>' in code
    assert "- [x] done" not in render("- [x] done") and "checkbox" in render("- [x] done")
    assert render("plain text") == "plain text"  # no syntax: the parser is skipped
    assert render("![cat](media/cat.png){width=700}") == (
        '<img src="media/cat.png" alt="cat" width="700" />'
    )


TEXT = st.text(
    alphabet=st.sampled_from(list("ab cd*_#-+1.)[]<>&\\`{}:|=~^!$\n日本مر\xa0")),
    min_size=1,
    max_size=12,
)
# (Inline only: a `\\[` kept in HTML text pairs with any later `\\]`, dollars or not.)
DOLLAR_FORMULAS = ['<span class="cc-tex">\\(a^2\\)</span>', '<span class="cc-tex">\\(x_1\\)</span>']
INLINE_TAGS = ["b", "i", "u", "sub", "sup", "code", "s", "mark", 'span style="color: red"']


def test_dollar_math_is_mathjax_in_anki_and_dollars_in_the_file() -> None:
    markdown = "Area $\\pi r^2$, sum $$\\sum_i a_i$$, costs \\$5 and \\$10, `$x$`"
    html = render(markdown)
    assert html == (
        'Area <span class="cc-tex">\\(\\pi r^2\\)</span>, sum '
        '<span class="cc-tex">\\[\\sum_i a_i\\]</span>, costs $5 and $10, <code>$x$</code>'
    )
    assert to_markdown(html) == markdown
    display = "Before\n\n$$\na + b\n$$\n\nafter"
    assert to_markdown(render(display)) == display
    # Dollars typed in Anki that would read as a formula stay text.
    assert to_markdown("from $x$ to") == "from \\$x\\$ to"
    assert render(to_markdown("from $x$ to")) == "from $x$ to"


@st.composite
def inline_html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["text", "text", "tag", "br", "img", "cloze", "math", "dollars"])
        )
        if kind == "text":
            parts.append(_html_text(draw(TEXT)))
        elif kind == "br":
            parts.append("<br>")
        elif kind == "img":
            parts.append(
                draw(st.sampled_from(['<img src="a.png">', '<img src="b.png" width="70">']))
            )
        elif kind == "cloze":
            parts.append("{{c1::" + _html_text(draw(TEXT)).replace("}", "") + "}}")
        elif kind == "math":
            parts.append("\\(x_1 * y\\)")
        elif kind == "dollars":
            parts.append(draw(st.sampled_from(DOLLAR_FORMULAS)))
        elif depth < 2:
            tag = draw(st.sampled_from(INLINE_TAGS))
            name = tag.split()[0]
            inner = draw(inline_html(depth + 1)) if name != "code" else _html_text(draw(TEXT))
            parts.append(f"<{tag}>{inner}</{name}>")
    return "".join(parts)


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def field_html(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["inline", "p", "ul", "h", "pre"]))
        if kind == "inline":
            blocks.append(draw(inline_html()))
        elif kind == "p":
            blocks.append(f"<p>{draw(inline_html())}</p>")
        elif kind == "ul":
            items = draw(st.lists(inline_html(), min_size=1, max_size=3))
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        elif kind == "h":
            blocks.append(f"<h3>{draw(inline_html())}</h3>")
        else:
            blocks.append(f"<pre><code>{_html_text(draw(TEXT))}</code></pre>")
    return "".join(blocks)


@settings(max_examples=300, deadline=None)
@given(field_html())
def test_any_field_survives_markdown_and_back(field: str) -> None:
    markdown = to_markdown(field)
    assert view(render(markdown)) == view(field), markdown
    assert to_markdown(render(markdown)) == markdown


def _render_seconds(text: str) -> float:
    start = time.perf_counter()
    to_markdown(render(text))
    return time.perf_counter() - start


def test_dollars_cost_what_ordinary_text_costs() -> None:
    # Large enough that work growing with the square of the formulas shows.
    size = 80_000
    ordinary = ("An answer with *some* words. " * size)[:size]
    hostile = [
        "$$" + "a" * (size - 2),  # a display formula never closed
        "$a " * (size // 3),  # dollars that never close on their line
        ("$$a" * size)[:size],
        "`" + "$a$" * (size // 3),  # a code span never closed, full of formulas
    ]
    base = min(_render_seconds(ordinary) for _ in range(3))
    for text in hostile:
        worst = min(_render_seconds(text) for _ in range(3))
        assert worst < 8 * base + 0.05, (text[:12], worst, base)
