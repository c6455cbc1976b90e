"""HTML (as fields hold it after editing in Anki) → Markdown, losing nothing.

Whatever Markdown can say is written as Markdown; whatever it cannot (underline,
sub/superscript, colours, `<font>`, styled spans, tables with merged cells, line
breaks inside list items, `<div>` layout) is kept as inline HTML. Text that would
read as Markdown is escaped so it stays text. `render(to_markdown(html))` shows what
`html` shows, and `to_markdown(render(md)) == md` for what this module writes.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from .formulas import DOLLARS, formula_spans
from .markdown import TEX_CLASS

VOID = {"br", "img", "hr", "input", "wbr", "col", "source", "area", "meta", "link"}
BLOCK = {
    "p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "thead", "tbody", "tfoot",
    "tr", "td", "th", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "figure", "details", "summary", "dl", "dt", "dd", "center",
}  # fmt: skip
EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "del": "~~",
            "strike": "~~", "mark": "=="}  # fmt: skip
# `[` is left alone: `\[` would read as display math, and a bracket only links
# when `](` follows, which the escaped `]` prevents.
# Where a <br> goes, until it is known whether it ends its paragraph.
BREAK = "\x00br\x00"
_TRAILING_BREAK = re.compile("\x00br\x00(?=(?:[*~=]|</[a-z0-9]+>|\\s)*$)")
_ESCAPED = re.compile(r"([`*_~^]|\](?=[(\[]))")
# What would begin a block at the start of a line: a heading, quote, list item, a
# thematic break or a setext underline.
_LINE_START = re.compile(
    r"^([ \t]*)(#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d+[.)](?=[ \t]|$)|[=-](?=[=\- \t]*$))",
    re.MULTILINE,
)

# Elements inside elements: the writer recurses, and more than a few dozen levels is
# no layout anyone reads; beyond this the field is refused, not the sync crashed.
MAX_NESTING = 100


class HtmlTooDeep(ValueError):
    """The HTML nests more elements than MAX_NESTING."""


@dataclass
class Node:
    tag: str  # "" for text
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    @cached_property
    def is_block(self) -> bool:
        return self.tag in BLOCK or any(c.is_block for c in self.children if c.tag)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            if len(self.stack) > MAX_NESTING:
                raise HtmlTooDeep(
                    f"the field nests HTML elements more than {MAX_NESTING} deep, which "
                    "Markdown cannot hold: simplify it in Anki"
                )
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        siblings = self.stack[-1].children
        if siblings and siblings[-1].tag == "":
            siblings[-1].text += data
        else:
            siblings.append(Node("", text=data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(Node("#comment", text=data))


# How Python's HTMLParser ends a comment.
_COMMENT_CLOSE = re.compile(r"--\s*>")


def _defuse_unclosed(text: str) -> str:
    """`<` as `&lt;` where it opens a tag or comment that nothing closes, and before
    `<![` (a marked section, which HTMLParser drops, or fails on if it is not CDATA).

    HTMLParser reads an unclosed `<` as text in the end, but only after searching the
    rest of the input for its end, again from every later `<`: quadratic, 16 s for
    40 KB of `<a` lines. Which `<` that is follows from the last `>` and `-->` alone,
    so one pass finds them all; the parser then reads the same text it did before."""
    last_gt = text.rfind(">")
    if text.find("<", last_gt + 1) == -1 and "<!" not in text:
        return text
    comment_start = max((m.start() for m in _COMMENT_CLOSE.finditer(text)), default=-1)
    pieces: list[str] = []
    position = 0
    while (at := text.find("<", position)) != -1:
        unclosed = (
            at > last_gt
            or (text.startswith("<!--", at) and at + 4 > comment_start)
            or text.startswith("<![", at)
        )
        pieces += [text[position:at], "&lt;" if unclosed else "<"]
        position = at + 1
    return "".join(pieces) + text[position:]


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(_defuse_unclosed(text))
    builder.close()
    return builder.root


# --- HTML out (for what Markdown cannot say) ---


def _open_tag(node: Node) -> str:
    attrs = "".join(
        f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"' for k, v in node.attrs
    )
    return f"<{node.tag}{attrs}>"


def to_html(node: Node, pre: bool = False) -> str:
    if node.tag == "":
        text = node.text if pre else re.sub(r"\n\s*\n", "\n", node.text)
        # (A blank line would end the HTML block in Markdown; outside <pre> it shows
        # the same as one line break.)
        # (Dollars and backticks as entities: in Markdown two dollars would read as
        # a formula, and a backtick as the start of code around one.)
        escaped = html.escape(text, quote=False).replace("$", "&#36;").replace("`", "&#96;")
        return escaped.replace("\xa0", "&nbsp;")
    if node.tag == "#comment":
        return f"<!--{node.text}-->"
    inner = "".join(to_html(c, pre or node.tag == "pre") for c in node.children)
    if node.tag == "#root":
        return inner
    if node.tag in VOID:
        return _open_tag(node)
    return f"{_open_tag(node)}{inner}</{node.tag}>"


# --- inline Markdown ---


def _escape_text(text: str) -> str:
    out: list[str] = []
    position = 0
    for start, end in formula_spans(text):
        out.append(_escape_plain(text[position:start]))
        out.append(text[start:end])  # MathJax is set aside by the renderer: as written
        position = end
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = html.escape(text.replace("\n", " "), quote=False).replace("\xa0", "&nbsp;")
    # A backslash as an entity: `\\` next to a formula's `\(` would be ambiguous.
    text = _ESCAPED.sub(r"\\\1", text.replace("\\", "&#92;"))
    # Literal "{width=" after an image would read as its size.
    text = text.replace("{width=", "&#123;width=")
    # Any dollar could open or close a formula (a price's, "$5", with one further on).
    text = text.replace("$", "\\$")
    return text.replace("==", "\\=\\=")


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text.startswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanking_ok(inner: str, before: str, after: str) -> bool:
    """CommonMark only opens emphasis before punctuation when the delimiter itself
    follows space or punctuation (and likewise for closing)."""
    # A pending <br> becomes a line break: whitespace to its neighbours.
    before = " " if before == "\x00" else before
    after = " " if after == "\x00" else after
    if before in "*~=_" or after in "*~=_":
        return False  # it would merge with a neighbouring delimiter run
    if _is_punctuation(inner[0]) and not (before.isspace() or _is_punctuation(before)):
        return False
    return not (_is_punctuation(inner[-1]) and not (after.isspace() or _is_punctuation(after)))


def _merge_texts(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if node.tag == "" and out and out[-1].tag == "":
            out[-1] = Node("", text=out[-1].text + node.text)
        else:
            out.append(node)
    return out


def _merge_twins(nodes: list[Node]) -> list[Node]:
    """`<code>a</code><code>b</code>` shows as `<code>ab</code>`, and only the merged
    form can be written in Markdown (two spans in a row would run together)."""
    merged: list[Node] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and node.tag in (*EMPHASIS, "code")
            and previous.tag == node.tag
            and previous.attrs == node.attrs
        ):
            children = previous.children + node.children
            merged[-1] = Node(node.tag, node.attrs, _merge_texts(children))
        else:
            merged.append(node)
    return merged


def _inline(nodes: list[Node], active: frozenset[str] = frozenset()) -> str:
    """`active`: the emphasis already around these nodes (nesting it again shows nothing)."""
    nodes = _merge_twins(nodes)
    pieces = [_inline_node(node, active) for node in nodes]
    for index, node in enumerate(nodes):
        mark = EMPHASIS.get(node.tag)
        piece = pieces[index]
        opens = piece.startswith("$")
        closes = piece.endswith("$") and not piece.endswith("\\$")
        if node.tag and (opens or closes):
            # Only a formula's dollars are left unescaped. A letter or digit against
            # them would make them text: then the element is kept as HTML, whose tags
            # stand between the dollars and their neighbours.
            before, after = _neighbours(pieces, index)
            if (opens and re.match(r"[\w$\\]", before)) or (
                closes and (after.isdigit() or after == "$")
            ):
                pieces[index] = _as_html(node, active)
                continue
        if mark and not node.attrs and piece.startswith(mark) and not piece.startswith("<"):
            before, after = _neighbours(pieces, index)
            if not _flanking_ok(piece[len(mark) : -len(mark)], before, after):
                pieces[index] = _as_html(node, active)
    return "".join(pieces)


def _neighbours(pieces: list[str], index: int) -> tuple[str, str]:
    """The characters just before and after pieces[index] (a space at either end).
    (Indices, not slices: a copy of the pieces per emphasis or formula is quadratic.)"""
    before = next((pieces[i][-1] for i in range(index - 1, -1, -1) if pieces[i]), " ")
    after = next((pieces[i][0] for i in range(index + 1, len(pieces)) if pieces[i]), " ")
    return before, after


def _as_html(node: Node, active: frozenset[str]) -> str:
    return f"{_open_tag(node)}{_inline(node.children, active)}</{node.tag}>"


def _plain_text(node: Node) -> str:
    return node.text if node.tag == "" else "".join(_plain_text(c) for c in node.children)


def _inline_node(node: Node, active: frozenset[str]) -> str:
    tag = node.tag
    if tag == "":
        return _escape_text(node.text)
    if tag == "#comment":
        return to_html(node)
    if tag == "br":
        return _open_tag(node) if node.attrs else BREAK
    if tag in EMPHASIS and not node.attrs and EMPHASIS[tag] in active:
        return _inline(node.children, active)
    if tag in EMPHASIS and not node.attrs:
        mark = EMPHASIS[tag]
        inner = _inline(node.children, active | {mark})
        # The delimiters must touch visible text that cannot merge with them.
        if (
            inner.strip()
            and inner == inner.strip()
            and BREAK not in inner
            and not inner.startswith(("*", "~", "=", "_", "<"))
            and not inner.endswith(("*", "~", "=", "_", ">"))
        ):
            return f"{mark}{inner}{mark}"
    if (dollars := _dollar_math(node)) is not None:
        return dollars
    if tag == "code" and not node.attrs and all(c.tag == "" for c in node.children):
        text = _plain_text(node).replace("\n", " ")  # a line break in <code> shows as a space
        if text.strip():
            return _code_span(text)
    if tag == "a" and [k for k, _ in node.attrs] == ["href"] and node.children:
        href = node.attr("href") or ""
        inner = _inline(node.children, active)
        if inner.strip() and BREAK not in inner and not re.search(r"[\s()<>]", href):
            return f"[{inner}]({href})"
    if tag == "img" and {k for k, _ in node.attrs} <= {"src", "alt", "width"} and node.attr("src"):
        src = node.attr("src") or ""
        alt = node.attr("alt")
        width = node.attr("width")
        if (
            not re.search(r"[\s()<>]", src)
            and (alt is None or not re.search(r"[\[\]\\]", alt))
            and (width is None or width.isdigit())
        ):
            size = f"{{width={width}}}" if width else ""
            return f"![{alt or ''}]({src}){size}"
    if tag in VOID:
        return _open_tag(node)
    # Markdown has no word for it: keep the element, with Markdown inside.
    return _as_html(node, active)


def _dollar_math(node: Node) -> str | None:
    """`<span class="cc-tex">\\(x\\)</span>`, as `$...$` made it, is written `$x$` again."""
    if node.tag != "span" or node.attrs != [("class", TEX_CLASS)]:
        return None
    if not all(c.tag == "" for c in node.children):
        return None
    tex = _plain_text(node)
    for opening, closing, dollars in (("\\(", "\\)", "$"), ("\\[", "\\]", "$$")):
        if tex.startswith(opening) and tex.endswith(closing):
            written = f"{dollars}{tex[2:-2]}{dollars}"
            # Only what reads back as the same formula (a line of it that would start
            # a Markdown block would be escaped); anything else stays HTML.
            if DOLLARS.fullmatch(written) and not _LINE_START.search(written[1:]):
                return written
            return None
    return None


def _fix_line_starts(markdown: str) -> str:
    """At the start of a line, `#`, `>`, `-`, `+`, `=`, `|`, `* ` and `1.` would begin a
    block; an escaped first character keeps the line a paragraph's text."""

    def fix(match: re.Match[str]) -> str:
        indent, marker = match.group(1), match.group(2)
        if marker[0].isdigit():
            return f"{indent}{marker[:-1]}\\{marker[-1]}"
        return f"{indent}\\{marker}"  # (for "##", escaping the first "#" is enough)

    fixed = _LINE_START.sub(fix, markdown)
    # Leading spaces are not shown in HTML; four of them would start a code block.
    return re.sub(r"^[ \t]+", "", fixed, flags=re.MULTILINE)


def _paragraph(nodes: list[Node]) -> str:
    text = _inline(nodes).strip(" ")
    # A hard break cannot end a paragraph in Markdown: there it stays <br>.
    text = _TRAILING_BREAK.sub("<br>", text)
    return _fix_line_starts(text.replace(BREAK, "\\\n"))


# --- blocks ---


def _shows_something(node: Node) -> bool:
    if node.tag == "":
        # A no-break space shows (as a space that keeps a line open): only ASCII
        # whitespace is nothing.
        return bool(node.text.strip(" \t\n\r\f"))
    return node.tag in ("img", "input", "hr") or any(_shows_something(c) for c in node.children)


def _break_count(node: Node) -> int:
    return int(node.tag == "br") + sum(_break_count(c) for c in node.children)


def _breaks(nodes: list[Node]) -> str:
    """A paragraph that shows only line breaks, as the one HTML form that reads back
    the same: spaces and empty formatting show nothing and are left out."""
    count = sum(_break_count(n) for n in nodes)
    return "<p>" + "<br>" * count + "</p>" if count else ""


def _is_blank(node: Node) -> bool:
    return node.tag == "" and not node.text.strip(" \t\n\r")


def _blocks(nodes: list[Node]) -> list[str]:
    out: list[str] = []
    run: list[Node] = []

    def flush() -> None:
        while run and _is_blank(run[0]):
            run.pop(0)
        while run and _is_blank(run[-1]):
            run.pop()
        if run:
            out.append(_paragraph(run) if any(map(_shows_something, run)) else _breaks(run))
        run.clear()

    previous = ""
    alternate = False
    for node in nodes:
        if node.tag and node.is_block:
            flush()
            # Two lists in a row would merge into one; switching markers keeps them apart.
            alternate = node.tag == previous and node.tag in ("ul", "ol") and not alternate
            out.append(_block(node, alternate))
            previous = node.tag
        else:
            if not _is_blank(node):
                previous = ""
            run.append(node)
    flush()
    return [b for b in out if b]


def _block(node: Node, alternate: bool = False) -> str:
    tag = node.tag
    if not _shows_something(node) and tag not in ("hr", "pre"):
        # Only line breaks (or an empty list's bullets): kept as HTML, as Markdown would
        # drop or merge them.
        return _breaks([node]) if tag == "p" else to_html(node)
    if not node.attrs or tag in ("pre", "ol"):
        if tag == "p" and not any(c.tag and c.is_block for c in node.children):
            return _paragraph(node.children) or to_html(node)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _inline(node.children).strip()
            if text and BREAK not in text and not any(c.is_block for c in node.children if c.tag):
                if text.endswith("#"):  # a heading's trailing #s would be dropped
                    text = text[:-1] + "\\#"
                return f"{'#' * int(tag[1])} {text}"
        if tag == "hr":
            return "***"
        if tag == "blockquote":
            inner = "\n\n".join(_blocks(node.children))
            if inner:
                return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if tag in ("ul", "ol"):
            listed = _list(node, alternate)
            if listed is not None:
                return listed
        if tag == "pre":
            fenced = _fence(node)
            if fenced is not None:
                return fenced
        if tag == "table":
            table = _table(node)
            if table is not None:
                return table
    return to_html(node)


def _list(node: Node, alternate: bool = False) -> str | None:
    items = [c for c in node.children if not _is_blank(c)]
    if not items or any(c.tag != "li" or c.attrs for c in items):
        return None
    start_attr = node.attr("start") if node.tag == "ol" else None
    if [k for k, _ in node.attrs if k != "start"]:
        return None
    number = int(start_attr) if start_attr and start_attr.isdigit() else 1
    lines: list[str] = []
    for index, item in enumerate(items):
        if node.tag == "ol":
            marker = f"{number + index}{')' if alternate else '.'} "
        else:
            marker = "* " if alternate else "- "
        inline = [c for c in item.children if c.tag not in ("ul", "ol")]
        nested = [c for c in item.children if c.tag in ("ul", "ol")]
        if any(c.tag == "br" or (c.tag and c.is_block) for c in inline):
            return None  # a line break or block inside an item: Markdown cannot say it
        text = _paragraph(inline).strip()
        if not text and not nested:
            return None  # an empty item: Markdown would make the list loose, or drop it
        lines.append(marker + text)
        for sub in nested:
            sub_md = _list(sub)
            if sub_md is None:
                return None
            lines.extend(" " * len(marker) + line for line in sub_md.split("\n"))
    return "\n".join(lines)


def _fence(node: Node) -> str | None:
    children = [c for c in node.children if not _is_blank(c)]
    attr_names = {k for k, _ in node.attrs}
    if len(children) != 1 or children[0].tag != "code" or not attr_names <= {"class", "data-lang"}:
        return None
    code = children[0]
    language = node.attr("data-lang") or ""
    css = code.attr("class") or ""
    if css.startswith("language-"):
        language = css[len("language-") :]
    text = _plain_text(code)
    if not text.endswith("\n"):
        text += "\n"
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, re.MULTILINE)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text}{fence}"


def _table(node: Node) -> str | None:
    rows: list[Node] = []
    for part in node.children:
        if part.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in part.children if r.tag == "tr")
        elif part.tag == "tr":
            rows.append(part)
        elif not _is_blank(part):
            return None
    if not rows:
        return None
    cells = [[c for c in row.children if c.tag in ("td", "th")] for row in rows]
    width = len(cells[0])
    if (
        any(len(r) != width for r in cells)
        or any(c.tag != "th" for c in cells[0])
        or any(c.tag != "td" for r in cells[1:] for c in r)
        or any(
            k != "style" or not re.fullmatch(r"text-align: ?(left|right|center);?", v or "")
            for r in cells
            for c in r
            for k, v in c.attrs
        )
    ):
        return None
    aligns = [re.sub(r"text-align: ?(\w+);?", r"\1", c.attr("style") or "") for c in cells[0]]

    def cell(c: Node) -> str | None:
        if any(x.tag and x.is_block for x in c.children) or any(x.tag == "br" for x in c.children):
            return None
        return _inline(c.children).strip().replace("|", "\\|")

    rendered = [[cell(c) for c in row] for row in cells]
    if any(v is None for row in rendered for v in row):
        return None
    rule = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(v or "" for v in rendered[0]) + " |"]
    lines.append("| " + " | ".join(rule.get(a, "---") for a in aligns) + " |")
    lines.extend("| " + " | ".join(v or "" for v in row) + " |" for row in rendered[1:])
    return "\n".join(lines)


def to_markdown(field_html: str) -> str:
    blocks = [b for b in _blocks(parse_html(field_html).children) if b]
    return "\n\n".join(blocks).replace(BREAK, "<br>")
