"""A note of a vault (Obsidian, Zettelkasten, Logseq-style Markdown) and the cards
marked inside it.

Only marked text is a card; everything else is prose, kept byte for byte. A note is
read as pieces: prose, and card blocks, each card block being exactly the characters
the card owns (a line for `Question :: Answer`, a paragraph for a `?` card or a
cloze). Writing a card back replaces only those characters.

Marking, as vault users already write it:
- `Question :: Answer` on one line (`:::` for a card both ways);
- a paragraph with a line `?` (`??` both ways) between question and answer;
- a paragraph with `==highlights==` or `{{c1::…}}` is a cloze;
each inside a marked scope: a note tagged `#flashcards` (or `cards: true` in its front
matter), a section whose heading carries `#flashcards`, or a paragraph tagged `#card`.
`#no-flashcards` (or `cards: false`) opts a note or section out. A card keeps its
identity in an Obsidian block id at the end of its block (`^cc-…`, or an id the
block already had), which is also where the card's link points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .conflicts import has_record
from .deck_text import FRONT_MATTER, Note, next_fence
from .decks import DeckNameError, deck_from_name, deck_from_tag, is_deck_tag
from .front_matter import FrontMatterError, front_matter_mapping

OPT_IN = "flashcards"
OPT_OUT = "no-flashcards"
CARD_TAG = "card"
DECK_TAG = "deck/"
KEY_PREFIX = "cc-"
BLOCK_ID = re.compile(r"\^([A-Za-z0-9-]+)")
WORD = re.compile(r"\S+")
TAG = re.compile(r"#([A-Za-z_][\w/-]*)")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
LIST_PREFIX = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?")
CLOZE_OPEN = re.compile(r"\{\{c\d+::")
# Greedy and without nested options, so that a long run without `}}` costs one scan;
# the hint is split off in Python.
ANKI_CLOZE = re.compile(r"\{\{c(\d+)::([^{}]*)\}\}")
HIGHLIGHT = re.compile(r"==([^=\s](?:[^=]*[^=\s])?)==")
QUESTION_LINE = ("?", "??")


class VaultTextError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class VaultCard:
    kind: str  # "basic" or "cloze"
    key: str | None  # the block id, None until the first sync gives one
    line: int
    front: str  # basic: the question; cloze: the text, clozes as {{cN::…}}
    back: str  # basic: the answer
    reverse: bool
    tags: tuple[str, ...]  # the block's own tags (markers and deck tags left out)
    deck: str | None  # None: the vault's rule or the default deck decides
    headings: tuple[str, ...]


@dataclass
class CardBlock:
    """The characters one card owns, split so that its text can be replaced alone:
    `lead` + front + `middle` + back + `tail` (the tail holds its tags and block id)."""

    text: str
    line: int
    kind: str = "basic"
    lead: str = ""
    middle: str = ""
    tail: str = ""
    highlights: bool = False  # a cloze written with ==…==, written back the same way
    # A one-line card with other lines of its paragraph before / after it.
    joined: tuple[bool, bool] = (False, False)
    card: VaultCard | None = None
    problem: VaultTextError | None = None
    known: str | None = None  # set by the sync when the block is as the last sync left it
    note: Note | None = None  # the card as the sync's note, filled in by the sync


@dataclass
class VaultText:
    front_matter: str
    pieces: list[str | int] = field(default_factory=list)  # prose, or an index into blocks
    blocks: list[CardBlock] = field(default_factory=list)
    problems: list[VaultTextError] = field(default_factory=list)
    title: str = ""
    deck: str | None = None  # the note's deck (front matter or a note-level tag)

    def text(self) -> str:
        body = [p if isinstance(p, str) else self.blocks[p].text for p in self.pieces]
        return self.front_matter + "".join(body)

    @property
    def cards(self) -> list[VaultCard]:
        return [b.card for b in self.blocks if b.card is not None]

    @property
    def notes(self) -> list[Note]:
        """The cards as the sync's notes, once the sync has filled them in."""
        return [b.note for b in self.blocks if b.note is not None]


# -- reading -------------------------------------------------------------------------


def mask_code(line: str) -> str:
    """The line with inline code spans blanked out (same length), so that markers inside
    code are not markers. Linear: each backtick run is looked at once per length."""
    if "`" not in line:
        return line
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(line):
        if line[index] == "`":
            start = index
            while index < len(line) and line[index] == "`":
                index += 1
            runs.append((start, index - start))
        else:
            index += 1
    by_length: dict[int, list[int]] = {}
    for position, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(position)
    cursor = dict.fromkeys(by_length, 0)
    masked = list(line)
    position = 0
    while position < len(runs):
        start, length = runs[position]
        later = by_length[length]
        while cursor[length] < len(later) and later[cursor[length]] <= position:
            cursor[length] += 1
        if cursor[length] == len(later):
            position += 1
            continue
        closing = later[cursor[length]]
        end = runs[closing][0] + length
        masked[start:end] = " " * (end - start)
        position = closing + 1
    return "".join(masked)


def _tags_in(masked: str) -> list[str]:
    if "#" not in masked:
        return []
    return [
        m.group(1)
        for m in TAG.finditer(masked)
        if m.start() == 0 or masked[m.start() - 1] in " \t(["
    ]


def _split_tail(line: str) -> tuple[str, str, list[str], str | None]:
    """A card's last line as (content, tail, tags in the tail, block id): the tail is the
    run of tags, `deck:` words and a block id that ends the line."""
    tokens = list(WORD.finditer(line))
    cut = len(line.rstrip())
    tags: list[str] = []
    key: str | None = None
    for token in reversed(tokens):
        word = token.group(0)
        block_id = BLOCK_ID.fullmatch(word)
        if block_id and key is None and not tags:
            key = block_id.group(1)
        elif TAG.fullmatch(word):
            tags.insert(0, word[1:])
        elif is_deck_tag(word) and len(word) > len("deck:"):
            tags.insert(0, word)
        else:
            break
        cut = token.start()
    content = line[:cut].rstrip()
    return content, line[len(content) :], tags, key


def _block_id(line: str) -> str | None:
    """The block id that ends `line` (as `_split_tail` finds it), found from its last
    `^` instead of splitting the line into words: most lines have none."""
    at = line.rfind("^")
    if at < 0 or (at > 0 and not line[at - 1].isspace()):
        return None
    found = BLOCK_ID.fullmatch(line[at:].rstrip())
    return found.group(1) if found else None


def _meta(raw: str, problems: list[VaultTextError]) -> dict[str, object]:
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}
    try:
        return front_matter_mapping(match.group(1) or "")
    except FrontMatterError as exc:
        problems.append(VaultTextError(exc.line, exc.reason))
        return {}


def _meta_tags(meta: dict[str, object]) -> list[str]:
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    return [str(t).lstrip("#") for t in tags] if isinstance(tags, list) else []


def deck_of_tags(tags: list[str]) -> str | None:
    """`deck/a/b`, `deck:a/b` or (as the Spaced Repetition plugin writes) `flashcards/a/b`."""
    for tag in tags:
        lower = tag.lower()
        if lower.startswith(DECK_TAG) or lower.startswith(OPT_IN + "/"):
            return deck_from_name(tag.split("/", 1)[1])
        if is_deck_tag(tag):
            return deck_from_tag(tag)
    return None


def _is_marker(tag: str) -> bool:
    lower = tag.lower()
    return (
        lower in (OPT_IN, OPT_OUT, CARD_TAG)
        or lower.startswith((DECK_TAG, OPT_IN + "/"))
        or is_deck_tag(tag)
    )


@dataclass
class _Paragraph:
    lines: list[str]  # with their line endings
    masked: list[str]  # without them, inline code blanked out (mask_code)
    line: int  # 1-based, in the whole file
    offset: int  # index of the first line in the body's lines
    headings: tuple[str, ...]
    scope: bool | None  # the innermost heading's opt-in (None: the note decides)


def _paragraphs(lines: list[str], first_line: int) -> tuple[list[_Paragraph], list[str], list[str]]:
    """Paragraphs outside code fences, with their headings; the tags found anywhere in
    the body (outside code), and those on lines that hold nothing but tags."""
    out: list[_Paragraph] = []
    note_tags: list[str] = []
    tag_lines: list[str] = []
    stack: list[tuple[int, str, bool | None]] = []
    current: list[str] = []
    current_masked: list[str] = []
    start = 0
    fence: str | None = None

    def close() -> None:
        nonlocal current, current_masked
        scope = next((s for _, _, s in reversed(stack) if s is not None), None)
        headings = tuple(title for _, title, _ in stack)
        out.append(_Paragraph(current, current_masked, first_line + start, start, headings, scope))
        current, current_masked = [], []

    for index, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        inside = fence
        if fence is not None or bare.lstrip(" ")[:1] in ("`", "~"):
            fence = next_fence(bare, fence)
        if inside is not None or fence is not None:
            if current:
                close()
            continue
        masked = mask_code(bare)
        heading = HEADING.match(masked)
        if heading:
            if current:
                close()
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            tags = [t.lower() for t in _tags_in(masked)]
            scope = True if OPT_IN in tags else False if OPT_OUT in tags else None
            title = TAG.sub("", bare[heading.start(2) : heading.end(2)]).strip(" \t#")
            stack.append((level, title, scope))
            continue
        found = _tags_in(masked)
        if found:
            note_tags += found
            if not TAG.sub("", masked).strip():
                tag_lines += found
        if not bare.strip():
            if current:
                close()
            continue
        if not current:
            start = index
        current.append(line)
        current_masked.append(masked)
    if current:
        close()
    return out, note_tags, tag_lines


def parse_vault_text(text: str, title: str, taken: set[str] | None = None) -> VaultText:
    """The note and its cards. `taken` collects the block ids seen so far in the vault,
    so an id used twice is reported where it is used the second time."""
    seen = taken if taken is not None else set()
    text = text.replace("\r\n", "\n")  # the sync writes CRLF files back as CRLF
    match = FRONT_MATTER.match(text)
    raw = match.group(0) if match else ""
    result = VaultText(raw)
    meta = _meta(raw, result.problems)
    result.title = str(meta.get("title") or title)
    body = text[len(raw) :]
    lines = body.splitlines(keepends=True)
    first_line = raw.count("\n") + 1
    paragraphs, body_tags, tag_lines = _paragraphs(lines, first_line)
    tags = _meta_tags(meta) + body_tags
    lowered = {t.lower() for t in tags}
    cards_flag = meta.get("cards")
    opted_in = (
        cards_flag is True or OPT_IN in lowered or any(t.startswith(OPT_IN + "/") for t in lowered)
    )
    opted_out = cards_flag is False or OPT_OUT in lowered
    try:
        explicit = meta.get("deck")
        note_tags = _meta_tags(meta) + tag_lines  # not the tags of one card's line
        result.deck = deck_from_name(str(explicit)) if explicit else deck_of_tags(note_tags)
    except DeckNameError as exc:
        result.problems.append(VaultTextError(1, str(exc)))
    cursor = 0
    for paragraph in paragraphs:
        note_scope = paragraph.scope if paragraph.scope is not None else opted_in and not opted_out
        for start, end, block in _card_blocks(paragraph, note_scope, seen):
            result.pieces.append("".join(lines[cursor : start[0]]) + lines[start[0]][: start[1]])
            result.pieces.append(len(result.blocks))
            result.blocks.append(block)
            if block.problem is not None:
                result.problems.append(block.problem)
            # The rest of the card's last line is prose (its line ending, at least).
            lines[end[0]] = lines[end[0]][end[1] :]
            cursor = end[0]
    result.pieces.append("".join(lines[cursor:]))
    result.pieces = [p for p in result.pieces if p != ""]
    return result


Position = tuple[int, int]  # (index into the body's lines, column)


def _card_blocks(
    paragraph: _Paragraph, in_scope: bool, seen: set[str]
) -> list[tuple[Position, Position, CardBlock]]:
    bare = [line.rstrip("\r\n") for line in paragraph.lines]
    masked = paragraph.masked
    own_tags = [t.lower() for line in masked for t in _tags_in(line)]
    marked = CARD_TAG in own_tags or (in_scope and OPT_OUT not in own_tags)
    # A block the sync gave an id stays a card while it keeps a card's shape.
    if not marked and not any(
        (key := _block_id(line)) is not None and key.startswith(KEY_PREFIX) for line in bare
    ):
        return []
    last = paragraph.offset + len(bare) - 1
    whole = ((paragraph.offset, 0), (last, len(bare[-1])))
    asked = next((i for i, m in enumerate(masked) if m.strip() in QUESTION_LINE), None)
    # One-line cards above a `?` are cards of their own; the `?` card's question
    # starts after the last of them.
    end = len(bare) if asked is None else asked
    inline = [i for i in range(end) if _separator(masked[i]) is not None]
    found = [
        ((paragraph.offset + i, 0), (paragraph.offset + i, len(bare[i])),
         _inline(paragraph, bare[i], paragraph.line + i, (i > 0, i < len(bare) - 1), seen))
        for i in inline
    ]  # fmt: skip
    if asked is not None:
        start = inline[-1] + 1 if inline else 0
        block = _multi_line(paragraph, bare[start:], asked - start, paragraph.line + start, seen)
        found.append(((paragraph.offset + start, 0), whole[1], block))
    if found:
        return found
    joined = "\n".join(masked)
    if CLOZE_OPEN.search(joined) or HIGHLIGHT.search(joined):
        return [(*whole, _cloze(paragraph, bare, masked, seen))]
    return []


def _separator(masked: str) -> tuple[int, int] | None:
    """Where `::` (or `:::`) splits a line into question and answer: the first one
    outside code and outside `{{…}}`; None when there is none."""
    first = masked.find("::")
    if first < 0:
        return None
    if "{{" not in masked:  # nothing to be inside of: the first one it is
        return first, 3 if masked.startswith(":::", first) else 2
    return _separator_scan(masked)


def _separator_scan(masked: str) -> tuple[int, int] | None:
    """`_separator` the long way, character by character, keeping count of `{{…}}`."""
    depth = 0
    index = 0
    while index < len(masked) - 1:
        pair = masked[index : index + 2]
        if pair == "{{":
            depth += 1
            index += 2
        elif pair == "}}" and depth:
            depth -= 1
            index += 2
        elif pair == "::" and not depth:
            length = 3 if masked[index : index + 3] == ":::" else 2
            return index, length
        else:
            index += 1
    return None


def _finish(
    block: CardBlock, paragraph: _Paragraph, front: str, back: str, reverse: bool,
    tags: list[str], key: str | None, seen: set[str],
) -> CardBlock:  # fmt: skip
    where = block.line
    if key is not None and key in seen:
        block.problem = VaultTextError(
            where, f"block id ^{key} is used twice in the vault: remove this copy's id"
        )
        return block
    if not front.strip() or (block.kind == "basic" and not back.strip()):
        side = "question" if not front.strip() else "answer"
        block.problem = VaultTextError(where, f"this card has an empty {side}")
        return block
    if block.kind == "cloze" and not _clozes_filled(front):
        block.problem = VaultTextError(where, "a cloze has nothing inside")
        return block
    try:
        deck = deck_of_tags(tags)
    except DeckNameError as exc:
        block.problem = VaultTextError(where, str(exc))
        return block
    if key is not None:
        seen.add(key)
    kept = tuple(dict.fromkeys(t for t in tags if not _is_marker(t)))
    block.card = VaultCard(
        block.kind, key, where, front, back, reverse, kept, deck, paragraph.headings
    )
    return block


def _clozes_filled(text: str) -> bool:
    found = list(ANKI_CLOZE.finditer(text))
    return bool(found) and all(_cloze_answer(m).strip() for m in found)


def _inline(
    paragraph: _Paragraph, line: str, number: int, joined: tuple[bool, bool], seen: set[str]
) -> CardBlock:
    content, tail, tags, key = _split_tail(line)
    prefix = LIST_PREFIX.match(content)
    start = prefix.end() if prefix else 0
    start += len(content[start:]) - len(content[start:].lstrip())
    separator = _separator(mask_code(content))
    if separator is None:  # its `::` is in the tail: a `deck:` word such as `deck::a`
        block = CardBlock(line, number, "basic", tail=tail, joined=joined)
        block.problem = VaultTextError(
            number, "the card's `::` is inside the deck tag that ends the line (deck::…): "
            "write the deck as deck:a/b",
        )  # fmt: skip
        return block
    at, length = separator
    question = content[start:at]
    answer = content[at + length :]
    middle = content[start + len(question.rstrip()) : len(content) - len(answer.lstrip())]
    block = CardBlock(line, number, "basic", content[:start], middle, tail, joined=joined)
    return _finish(block, paragraph, question.strip(), answer.strip(), length == 3, tags, key, seen)


def _multi_line(
    paragraph: _Paragraph, bare: list[str], asked: int, line: int, seen: set[str]
) -> CardBlock:
    content, tail, tags, key = _split_tail(bare[-1])
    lines = [*bare[:-1], content]
    question = "\n".join(lines[:asked])
    answer = "\n".join(lines[asked + 1 :])
    middle = "\n" + lines[asked] + "\n"
    block = CardBlock("\n".join(bare), line, "basic", "", middle, tail)
    reverse = lines[asked].strip() == "??"
    return _finish(block, paragraph, question, answer, reverse, tags, key, seen)


def _cloze(paragraph: _Paragraph, bare: list[str], masked: list[str], seen: set[str]) -> CardBlock:
    content, tail, tags, key = _split_tail(bare[-1])
    text = "\n".join([*bare[:-1], content])
    highlights = not CLOZE_OPEN.search("\n".join(masked))
    block = CardBlock("\n".join(bare), paragraph.line, "cloze", "", "", tail, highlights)
    front = highlights_to_clozes(text) if highlights else text
    return _finish(block, paragraph, front, "", False, tags, key, seen)


def highlights_to_clozes(text: str) -> str:
    """`==a== and ==b==` → `{{c1::a}} and {{c2::b}}`, outside code."""
    masked = "\n".join(mask_code(line) for line in text.split("\n"))
    out: list[str] = []
    last = 0
    for number, match in enumerate(HIGHLIGHT.finditer(masked), start=1):
        out.append(text[last : match.start()])
        out.append(f"{{{{c{number}::{text[match.start(1) : match.end(1)]}}}}}")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def clozes_to_highlights(text: str) -> str:
    """The way back, for clozes without a hint; a cloze with a hint stays as it is."""
    return ANKI_CLOZE.sub(lambda m: m.group(0) if "::" in m.group(2) else f"=={m.group(2)}==", text)


def _cloze_answer(match: re.Match[str]) -> str:
    return match.group(2).split("::", 1)[0]


# -- writing -------------------------------------------------------------------------


def _inline_value(value: str) -> str:
    """A value for a one-line card: no line breaks, and no `::` that would split it."""
    return value.replace("\n", "<br>").replace("::", ":\\:")


def _paragraph_value(value: str) -> str:
    """A value inside a paragraph: no blank line (it would end the card) and no line
    that reads as the `?` between question and answer."""
    lines = [line if line.strip() else "<br>" for line in value.split("\n")]
    return "\n".join("\\" + line if line.strip() in QUESTION_LINE else line for line in lines)


def obsidian_tag(tag: str) -> str:
    """An Anki tag as Obsidian writes tags: `a::b` is `a/b`; other characters a tag
    cannot hold become `_`."""
    return re.sub(r"[^\w/-]", "_", tag.replace("::", "/"))


def anki_tag(tag: str) -> str:
    return tag.replace("/", "::")


def _retag(block: CardBlock, tags: Sequence[str]) -> str:
    """The tail with the card's own tags replaced; markers, deck and block id kept."""
    _, _, old, _ = _split_tail(block.tail)
    if [anki_tag(t) for t in old if not _is_marker(t)] == list(tags):
        return block.tail
    words = block.tail.split()
    kept = [w for w in words if (w.startswith("#") and _is_marker(w[1:])) or is_deck_tag(w)]
    ids = [w for w in words if BLOCK_ID.fullmatch(w)]
    new = [*kept, *(f"#{obsidian_tag(t)}" for t in tags), *ids]
    return " " + " ".join(new) if new else ""


def rewrite(block: CardBlock, front: str, back: str, tags: Sequence[str] | None = None) -> str:
    """The block with new question and answer (or cloze text) and, if given, the card's
    own tags; everything else is kept."""
    tail = block.tail if tags is None else _retag(block, tags)
    if block.kind == "cloze":
        text = clozes_to_highlights(front) if block.highlights else front
        return _paragraph_value(text) + tail
    if block.middle.startswith("\n"):
        return _paragraph_value(front) + block.middle + _paragraph_value(back) + tail
    if has_record(front) or has_record(back):
        # A conflict record needs its lines: the card is written as a `?` card, in a
        # paragraph of its own, so that the one-line cards around it stay theirs.
        before, after = ("\n" if joined else "" for joined in block.joined)
        card = _paragraph_value(front) + "\n?\n" + _paragraph_value(back) + tail
        return before + card + after
    return block.lead + _inline_value(front) + block.middle + _inline_value(back) + tail


def new_card(key: str, kind: str, front: str, back: str, tags: Sequence[str]) -> str:
    """A card made in Anki, as a block of its own."""
    tail = "".join(f" #{obsidian_tag(t)}" for t in tags) + f" ^{key}"
    if kind == "cloze":
        return _paragraph_value(front) + tail
    if "\n" in front or "\n" in back:
        return _paragraph_value(front) + "\n?\n" + _paragraph_value(back) + tail
    return _inline_value(front) + " :: " + _inline_value(back) + tail


def with_key(block: CardBlock, key: str) -> str:
    """The block with its block id at the end, where Obsidian looks for it."""
    return block.text.rstrip() + f" ^{key}" + block.text[len(block.text.rstrip()) :]


def unmark(block: CardBlock, front: str, back: str) -> str:
    """A card deleted in Anki leaves its prose (`front` and `back` as the file has
    them): the markers that made it a card, its deck tag and its block id go, so it
    does not come back as a new card."""
    _, _, tags, _ = _split_tail(block.text.split("\n")[-1])
    tail = "".join(f" #{t}" for t in tags if not _is_marker(t))
    if block.kind == "cloze":
        text = block.text[: len(block.text) - len(block.tail)]
        plain = ANKI_CLOZE.sub(_cloze_answer, text)
        return HIGHLIGHT.sub(lambda m: m.group(1), plain) + tail
    if block.middle.startswith("\n"):
        return front + "\n" + back + tail
    return block.lead + front + ": " + back + tail


# -- good cards ----------------------------------------------------------------------

LONG_ANSWER = 200  # characters
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.MULTILINE)


def card_hints(card: VaultCard) -> list[str]:
    """Where a card breaks the usual rules of good cards: hints, never errors."""
    hints: list[str] = []
    if card.kind == "cloze":
        numbers = {m.group(1) for m in ANKI_CLOZE.finditer(card.front)}
        if len(numbers) > 3:
            hints.append(f"{len(numbers)} clozes in one card: split the note into smaller ones")
        return hints
    if len(card.back) > LONG_ANSWER:
        hints.append(
            f"the answer is {len(card.back)} characters long: short answers are remembered better"
        )
    items = len(LIST_ITEM.findall(card.back))
    if items >= 3:
        hints.append(f"a list of {items} items answered as one card: ask for each, or use clozes")
    return hints
