"""Bookkeeping fields (keys, revisions) marked as internal in Anki's field options:
collapsed in the editor, left out of searches without a field name, and described, so
a stray edit is unlikely and a user who opens one knows what it is for."""

from __future__ import annotations

from anki.models import NotetypeDict

from ..core.note_type_defs import ANKIOPS_KEY_FIELD
from ..core.note_type_defs import KEY_FIELD as NOTE_KEY_FIELD
from ..core.notetypes import KEY_FIELD, REVISION_FIELD

FOLDER_KEY = (
    "Context Connect: links this note to its place in the Markdown folder. "
    "Do not edit: a changed key makes the sync treat it as a new note."
)
DESCRIPTIONS = {
    NOTE_KEY_FIELD: FOLDER_KEY,
    ANKIOPS_KEY_FIELD: FOLDER_KEY,
    KEY_FIELD: (
        "Context Connect: the id the sending app gave this card, so a resend updates it. "
        "Do not edit."
    ),
    REVISION_FIELD: (
        "Context Connect: a fingerprint of what the app last sent, to skip unchanged "
        "cards. Do not edit."
    ),
}


def mark_internal(notetype: NotetypeDict) -> bool:
    """True when a field's options changed (the caller saves the note type)."""
    changed = False
    for field in notetype["flds"]:
        description = DESCRIPTIONS.get(field["name"])
        if description is None:
            continue
        wanted = {"collapsed": True, "excludeFromSearch": True, "description": description}
        if any(field.get(key) != value for key, value in wanted.items()):
            field.update(wanted)
            changed = True
    return changed
