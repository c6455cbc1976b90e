"""The note types of vault cards: a question and answer (with an optional reverse
card) and a cloze, each carrying the card's way back to its block: a link that opens
the note at that block, the note's title and the headings above the block."""

from __future__ import annotations

from .note_type_defs import FieldDef, NoteTypeDef, TemplateDef
from .starter_note_types import STYLING

BASIC = "Context Connect Vault"
CLOZE = "Context Connect Vault Cloze"
# Fields the vault decides alone: an edit of them in Anki is put back at the next sync.
CONTEXT_FIELDS = ("Source", "Note", "Heading")

_CONTEXT = (
    '<div class="context">{{#Note}}<span class="note">{{Note}}</span>{{/Note}}'
    '{{#Heading}} › <span class="heading">{{Heading}}</span>{{/Heading}}'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}</div>'
)
_CSS = STYLING + (
    ".context { margin-top: 1.5em; font-size: .8em; opacity: .75; }\n"
    ".context .source a { color: inherit; text-decoration: underline; }\n"
)


def _fields(names: list[str]) -> tuple[FieldDef, ...]:
    # Labels are a deck file's business; a vault card's fields are never written as labels.
    return tuple(FieldDef(name, f"V{index}", index == 0) for index, name in enumerate(names))


DEFINITIONS = (
    NoteTypeDef(
        BASIC,
        _fields(["Front", "Back", "Reverse", *CONTEXT_FIELDS]),
        (
            TemplateDef(
                "Card 1", "{{Front}}", "{{FrontSide}}\n<hr id=answer>\n{{Back}}\n" + _CONTEXT
            ),
            TemplateDef(
                "Card 2",
                "{{#Reverse}}{{Back}}{{/Reverse}}",
                "{{FrontSide}}\n<hr id=answer>\n{{Front}}\n" + _CONTEXT,
            ),
        ),
        _CSS,
        False,
        "vault",
    ),
    NoteTypeDef(
        CLOZE,
        _fields(["Text", *CONTEXT_FIELDS]),
        (TemplateDef("Cloze", "{{cloze:Text}}", "{{cloze:Text}}\n" + _CONTEXT),),
        _CSS,
        True,
        "vault",
    ),
)
