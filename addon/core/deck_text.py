"""The text of a deck file: front matter, then notes separated by `---` lines.

A file is kept as its pieces (front matter, note blocks, separators) exactly as read,
so writing back one changed note leaves every other byte of the file as it was.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field

from .decks import DeckNameError, deck_from_tag, is_deck_tag
from .front_matter import FrontMatterError, front_matter_mapping
from .note_keys import fingerprint
from .note_type_defs import NoteTypeDef, recognise

SEPARATOR = "---"
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LABEL_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?: |$)")
KEY_COMMENT = re.compile(r"^<!--\s*note_key:\s*(\S+)\s*-->\s*$")
TAGS_COMMENT = re.compile(r"^<!--\s*tags:(.*?)-->\s*$")
# AnkiOps writes each note's type before its fields; the labels usually tell it too.
TYPE_COMMENT = re.compile(r"^<!--\s*note_type:\s*(.*?)\s*-->\s*$")
# A block that only holds comments, blank lines or a conflict record is not a note.
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.DOTALL)


def next_fence(line: str, fence: str | None) -> str | None:
    """The code fence open after `line` (None outside code), given the one open before.
    A fence closes with a line of at least as many of its characters and nothing else."""
    opener = FENCE.match(line)
    if fence is None:
        return opener.group(1)[0] * len(opener.group(1)) if opener else None
    closing = line.strip()
    return None if opener and closing.startswith(fence) and set(closing) <= {fence[0]} else fence


class DeckTextError(ValueError):
    """A problem at a line of a file: `file:line: reason`."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class Note:
    line: int  # first line of the block, 1-based
    key: str | None
    tags: list[str]
    note_type: NoteTypeDef
    fields: dict[str, str]  # field name → Markdown
    deck: str | None = None  # a note's own deck, where the layout has one (vault cards)


@dataclass
class Block:
    """One note's text, or a problem with it (the rest of the file still loads)."""

    text: str
    line: int
    note: Note | None = None
    problem: DeckTextError | None = None
    # Set, with `note` left unparsed, when the block is exactly as the last sync left it.
    known: str | None = None


@dataclass
class DeckText:
    front_matter: str  # raw, "" when absent
    deck: str | None  # from a `deck:` tag in the front matter
    blocks: list[Block] = field(default_factory=list)
    separators: list[str] = field(default_factory=list)  # between blocks, as read
    problems: list[DeckTextError] = field(default_factory=list)

    @property
    def notes(self) -> list[Note]:
        return [b.note for b in self.blocks if b.note is not None]

    def text(self) -> str:
        out = [self.front_matter]
        for index, block in enumerate(self.blocks):
            if index:
                out.append(self.separators[index - 1])
            out.append(block.text)
        return "".join(out)


def _front_matter(text: str) -> tuple[str, str | None, list[DeckTextError]]:
    match = FRONT_MATTER.match(text)
    if not match:
        return "", None, []
    raw = match.group(0)
    try:
        data = front_matter_mapping(match.group(1) or "")
    except FrontMatterError as exc:
        return raw, None, [DeckTextError(exc.line, exc.reason)]
    tags = data.get("tags") or []
    # A number or a mapping there holds no deck tag (and stopped the whole sync once).
    tags = tags.split() if isinstance(tags, str) else tags if isinstance(tags, list) else []
    decks = [str(t) for t in tags if is_deck_tag(str(t))]
    if len(decks) > 1:
        return raw, None, [DeckTextError(1, f"front matter has {len(decks)} deck: tags; keep one")]
    if decks:
        try:
            return raw, deck_from_tag(decks[0]), []
        except DeckNameError as exc:
            return raw, None, [DeckTextError(1, str(exc))]
    return raw, None, []


def _split(body: str, first_line: int) -> tuple[list[tuple[str, int]], list[str]]:
    """Blocks (text, first line) and the separators between them. A separator is a
    `---` line with a blank line on both sides, outside code fences."""
    lines = body.splitlines(keepends=True)
    blocks: list[tuple[str, int]] = []
    separators: list[str] = []
    start = 0
    fence: str | None = None
    for index, line in enumerate(lines):
        # Most lines open no fence and hold no rule: two cheap tests skip them.
        if fence is not None or line.lstrip(" ")[:1] in ("`", "~"):
            inside = fence
            fence = next_fence(line.rstrip("\r\n"), fence)
            if inside is not None or fence is not None:
                continue
        if SEPARATOR not in line:
            continue
        stripped = line.rstrip("\r\n")
        blank_before = index > 0 and not lines[index - 1].strip()
        blank_after = index + 1 < len(lines) and not lines[index + 1].strip()
        if stripped.strip() == SEPARATOR and blank_before and blank_after and index > start:
            # The blank lines around the rule belong to the separator.
            block_end = index - 1
            while block_end > start and not lines[block_end - 1].strip():
                block_end -= 1
            sep_end = index + 1
            while sep_end < len(lines) and not lines[sep_end].strip():
                sep_end += 1
            blocks.append(("".join(lines[start:block_end]), first_line + start))
            separators.append("".join(lines[block_end:sep_end]))
            start = sep_end
    blocks.append(("".join(lines[start:]), first_line + start))
    return blocks, separators


def block_fingerprint(text: str) -> str:
    """A block's identity, whatever blank lines the file puts around it."""
    return fingerprint(text.strip("\n"))


def parse_block(
    text: str, line: int, types: Sequence[NoteTypeDef], known: set[str],
    recognised: dict[tuple[str, ...], NoteTypeDef | None] | None = None,
) -> Note | None:  # fmt: skip
    """The note in a block; None for a block with nothing but blank lines and comments."""
    key: str | None = None
    tags: list[str] = []
    named_type: str | None = None
    parts: list[tuple[str, int, list[str]]] = []  # label, line, content lines
    fence: str | None = None
    for offset, raw in enumerate(text.splitlines()):
        number = line + offset
        if fence is None and not parts:
            if not raw.strip():
                continue
            if m := KEY_COMMENT.match(raw.strip()):
                key = m.group(1)
                continue
            if m := TAGS_COMMENT.match(raw.strip()):
                tags = m.group(1).split()
                continue
            if m := TYPE_COMMENT.match(raw.strip()):
                named_type = m.group(1) or None
                continue
        label_match = LABEL_LINE.match(raw) if fence is None else None
        content = raw
        if label_match and label_match.group(1) in known:
            content = raw[len(label_match.group(1)) + 1 :].lstrip()
            label = label_match.group(1)
            if any(label == seen for seen, _, _ in parts):
                raise DeckTextError(number, f"label {label}: appears twice in this note")
            parts.append((label, number, [raw[len(label) + 1 :].removeprefix(" ")]))
        elif not parts:
            if label_match:
                raise DeckTextError(
                    number,
                    f"unknown label {label_match.group(1)}: (known: "
                    + ", ".join(f"{k}:" for k in sorted(known))
                    + ")",
                )
            raise DeckTextError(number, "note has no field label: start it with e.g. Q: or T:")
        else:
            parts[-1][2].append(raw)
        if parts:
            fence = next_fence(content, fence)
    if not parts:
        if key is not None:
            raise DeckTextError(line, "note has a key but no fields")
        return None
    labels = tuple(label for label, _, _ in parts)
    note_type: NoteTypeDef | None
    if named_type is not None:
        note_type = _named_type(named_type, labels, types, line)
    else:
        cache = recognised if recognised is not None else {}
        if labels not in cache:
            cache[labels] = recognise(labels, types)
        note_type = cache[labels]
    if note_type is None:
        listed = ", ".join(f"{label}:" for label in labels)
        raise DeckTextError(line, f"no note type has the labels {listed}: check note_types/")
    fields = {
        note_type.labels[label]: "\n".join(content).strip("\n") for label, _, content in parts
    }
    if note_type.is_cloze and not re.search(r"{{c\d+::", "".join(fields.values())):
        raise DeckTextError(line, f"{note_type.name} note has no cloze: write {{{{c1::...}}}}")
    first = line + next((i for i, raw in enumerate(text.splitlines()) if raw.strip()), 0)
    return Note(first, key, tags, note_type, fields)


def _named_type(
    name: str, labels: Sequence[str], types: Sequence[NoteTypeDef], line: int
) -> NoteTypeDef:
    """The type a `<!-- note_type: ... -->` comment names, which must have the labels."""
    found = next((t for t in types if t.name == name), None)
    if found is None:
        known = ", ".join(sorted(t.name for t in types))
        raise DeckTextError(line, f"note_type {name!r} is not defined in note_types/ ({known})")
    foreign = [label for label in labels if label not in found.labels]
    if foreign:
        listed = ", ".join(f"{label}:" for label in foreign)
        raise DeckTextError(line, f"note type {name} has no label {listed}")
    return found


def parse_deck_text(
    text: str, types: Sequence[NoteTypeDef], known: Container[str] = ()
) -> DeckText:
    """`known` holds fingerprints of blocks as the last sync left them: those are not
    parsed (a no-op sync of a large folder must be cheap); see `Block.known`."""
    text = text.replace("\r\n", "\n")
    front, deck, problems = _front_matter(text)
    body = text[len(front) :]
    first_line = front.count("\n") + 1
    pieces, separators = _split(body, first_line)
    labels = {label for t in types for label in t.labels}
    result = DeckText(front, deck, separators=separators, problems=problems)
    recognised: dict[tuple[str, ...], NoteTypeDef | None] = {}
    for block_text, line in pieces:
        block = Block(block_text, line)
        if known and (seen := block_fingerprint(block_text)) in known:
            block.known = seen
            result.blocks.append(block)
            continue
        try:
            block.note = parse_block(block_text, line, types, labels, recognised)
        except DeckTextError as exc:
            block.problem = exc
            result.problems.append(exc)
        result.blocks.append(block)
    return result


def _escape_field(markdown: str, labels: Iterable[str]) -> str:
    """Lines that would read as a label or a note separator are written so they stay
    field text: `A\\:` (an escaped colon renders as ':') and `***` (the same rule)."""
    known = set(labels)
    out: list[str] = []
    fence: str | None = None
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        inside = fence
        fence = next_fence(line, fence)
        if inside is None:
            label = LABEL_LINE.match(line)
            if label and label.group(1) in known:
                line = f"{label.group(1)}\\:{line[len(label.group(1)) + 1 :]}"
            elif line.strip() == SEPARATOR and index > 0 and not lines[index - 1].strip():
                line = "***"
        out.append(line)
    return "\n".join(out)


def format_note(
    key: str | None, tags: Sequence[str], note_type: NoteTypeDef, fields: dict[str, str]
) -> str:
    """A note block as the writer produces it; empty fields are left out."""
    lines: list[str] = []
    if key:
        lines.append(f"<!-- note_key: {key} -->")
    if tags:
        lines.append(f"<!-- tags: {' '.join(tags)} -->")
    all_labels = [f.label for f in note_type.fields]
    for definition in note_type.fields:
        value = fields.get(definition.name, "")
        if value.strip():
            escaped = _escape_field(value, all_labels)
            # A value opening with a code fence starts on its own line, as fences must;
            # so does a conflict record, whose markers editors find only in column 0.
            joint = "\n" if FENCE.match(escaped) or escaped.startswith("<<<<<<< ") else " "
            lines.append(f"{definition.label}:{joint}{escaped}")
    return "\n".join(lines) + "\n"


DEFAULT_SEPARATOR = "\n---\n\n"


def replace_block(deck: DeckText, index: int, text: str) -> None:
    """The blank lines around the old note stay: they are the file's layout."""
    old = deck.blocks[index].text
    content = old.strip("\n")
    if not content:
        deck.blocks[index] = Block(text, deck.blocks[index].line)
        return
    start = old.index(content)
    lead, trail = old[:start], old[start + len(content) :]
    deck.blocks[index] = Block(lead + text.rstrip("\n") + (trail or "\n"), deck.blocks[index].line)


def append_block(deck: DeckText, text: str) -> None:
    if deck.blocks and deck.blocks[-1].text.strip():
        if not deck.blocks[-1].text.endswith("\n"):
            deck.blocks[-1] = Block(deck.blocks[-1].text + "\n", deck.blocks[-1].line)
        deck.separators.append(DEFAULT_SEPARATOR)
        deck.blocks.append(Block(text, 0))
    elif deck.blocks:
        deck.blocks[-1] = Block(text, deck.blocks[-1].line)
    else:
        deck.blocks.append(Block(text, 0))


def remove_block(deck: DeckText, index: int) -> None:
    del deck.blocks[index]
    if deck.separators:
        del deck.separators[index - 1 if index > 0 else 0]
