"""The note types a folder starts with when it has no `note_types/` yet: question and
answer, cloze, and multiple choice, in the AnkiOps layout."""

from __future__ import annotations

from .notetypes import content_css

STYLING = (
    """.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.5;
  text-align: left; color: #1f2328; background: #fff; max-width: 42em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6edf3; background: #0d1117; }
.extra { margin-top: 1em; font-size: .85em; opacity: .8; }
"""
    + content_css()
)


def _yaml(name: str, fields: list[tuple[str, str, bool]], template: str, cloze: bool) -> str:
    lines = [f"name: {name}"]
    if cloze:
        lines.append("is_cloze: true")
    lines += [
        "styling: ../Styling.css",
        "templates:",
        f"  - name: {template}",
        "    front: Front.template.anki",
        "    back: Back.template.anki",
        "fields:",
    ]
    for field, label, identifying in fields:
        lines += [f"  - name: {field}", f'    prefix: "{label}:"']
        if identifying:
            lines.append("    is_identifying: true")
    return "\n".join(lines) + "\n"


EXTRA = (
    '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n'
    '{{#More}}<div class="extra">{{More}}</div>{{/More}}'
)
CHOICES = "".join(
    f"{{{{#Choice {i}}}}}<li>{{{{Choice {i}}}}}</li>{{{{/Choice {i}}}}}" for i in range(1, 9)
)

FILES: dict[str, str] = {
    "Styling.css": STYLING,
    "MarkdownQA/note_type.yaml": _yaml(
        "MarkdownQA",
        [
            ("Question", "Q", True),
            ("Answer", "A", True),
            ("Extra", "E", False),
            ("More", "M", False),
        ],
        "Card 1",
        cloze=False,
    ),
    "MarkdownQA/Front.template.anki": "{{Question}}\n",
    "MarkdownQA/Back.template.anki": "{{FrontSide}}\n<hr id=answer>\n{{Answer}}\n" + EXTRA + "\n",
    "MarkdownCloze/note_type.yaml": _yaml(
        "MarkdownCloze",
        [("Text", "T", True), ("Extra", "E", False), ("More", "M", False)],
        "Cloze",
        cloze=True,
    ),
    "MarkdownCloze/Front.template.anki": "{{cloze:Text}}\n",
    "MarkdownCloze/Back.template.anki": "{{cloze:Text}}\n" + EXTRA + "\n",
    "MarkdownChoice/note_type.yaml": _yaml(
        "MarkdownChoice",
        [("Question", "Q", True)]
        + [(f"Choice {i}", f"C{i}", True) for i in range(1, 9)]
        + [("Answer", "A", True), ("Extra", "E", False), ("More", "M", False)],
        "Card 1",
        cloze=False,
    ),
    "MarkdownChoice/Front.template.anki": "{{Question}}\n<ol>" + CHOICES + "</ol>\n",
    "MarkdownChoice/Back.template.anki": "{{FrontSide}}\n<hr id=answer>\nAnswer: {{Answer}}\n"
    + EXTRA
    + "\n",
}
