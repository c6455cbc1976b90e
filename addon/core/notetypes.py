"""The add-on's own note types: fields, card templates and styling.

They are found in a collection by the ids stored in its config, never by name, so a
user may rename them and they work in any Anki language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .. import WEB_DIR

KEY_FIELD = "Context Connect ID"
REVISION_FIELD = "Context Connect Revision"
CONTEXT_FIELDS = ("Title", "URL", "Highlight", "Location", "Image", "Created")
BOOKKEEPING_FIELDS = (KEY_FIELD, REVISION_FIELD)

_CONTEXT_BLOCK = r"""
<div class="cc-context">
{{#Highlight}}<blockquote class="cc-highlight">{{Highlight}}</blockquote>{{/Highlight}}
{{#Image}}<div class="cc-image">{{Image}}</div>{{/Image}}
<div class="cc-source">
{{#Title}}{{#URL}}<a class="cc-link" href="{{text:URL}}">{{Title}}</a>{{/URL}}
{{^URL}}{{Title}}{{/URL}}{{/Title}}
{{^Title}}{{#URL}}<a class="cc-link" href="{{text:URL}}">{{text:URL}}</a>{{/URL}}{{/Title}}
{{#URL}}<span class="cc-domain"></span>{{/URL}}
{{#Location}}<span class="cc-location">{{Location}}</span>{{/Location}}
{{#Created}}<span class="cc-created">{{Created}}</span>{{/Created}}
</div>
</div>
<script>
/* The source's domain beside its title, so a reader sees where the link goes. */
for (const link of document.querySelectorAll(".cc-link")) {
  try {
    const domain = link.parentElement.querySelector(".cc-domain");
    if (domain) domain.textContent = new URL(link.href).hostname.replace(/^www\./, "");
  } catch (error) { /* not a URL: no domain shown */ }
}
</script>
""".strip()

_EXTRA = '{{#Extra}}<div class="cc-extra">{{Extra}}</div>{{/Extra}}'


@dataclass(frozen=True)
class NoteTypeSpec:
    kind: str  # "basic" or "cloze": also the key under which its id is stored
    name: str
    content_fields: tuple[str, ...]
    front: str
    back: str
    is_cloze: bool

    @property
    def fields(self) -> tuple[str, ...]:
        return self.content_fields + CONTEXT_FIELDS + BOOKKEEPING_FIELDS

    @property
    def sort_field(self) -> str:
        return self.content_fields[0]


BASIC = NoteTypeSpec(
    kind="basic",
    name="Context Connect — Basic",
    content_fields=("Front", "Back", "Extra"),
    front="{{Front}}",
    back=f'{{{{FrontSide}}}}\n<hr id="answer">\n{{{{Back}}}}\n{_EXTRA}\n{_CONTEXT_BLOCK}',
    is_cloze=False,
)
CLOZE = NoteTypeSpec(
    kind="cloze",
    name="Context Connect — Cloze",
    content_fields=("Text", "Extra"),
    front="{{cloze:Text}}",
    back=f"{{{{cloze:Text}}}}\n{_EXTRA}\n{_CONTEXT_BLOCK}",
    is_cloze=True,
)
SPECS = {spec.kind: spec for spec in (BASIC, CLOZE)}
CONFIG_KEY = "contextConnect.noteTypeIds"


def content_css() -> str:
    """Styling of what the Markdown renderer emits; shared with the starter note types."""
    return (WEB_DIR / "content.css").read_text(encoding="utf-8")


def card_css() -> str:
    return (WEB_DIR / "card.css").read_text(encoding="utf-8") + content_css()


# In the note type: the fingerprint of the look (CSS and templates) as we last wrote it.
LOOK_KEY = "contextConnectLook"
# Looks that versions before LOOK_KEY shipped (the first two releases' basic and cloze):
# a note type still looking exactly like one was not changed by its user.
EARLIER_LOOKS = frozenset(
    {"534dfcfb4e3fbaf9", "9a2052f970aa065d", "e8f6299d007097ff", "274635f2a683c489"}
)


def look_fingerprint(css: str, front: str, back: str) -> str:
    return hashlib.sha256("\x1f".join((css, front, back)).encode("utf-8")).hexdigest()[:16]
