"""What a sync did, per side, for the command line (`--json` or text) and the GUI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class SideCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    moved: int = 0
    unchanged: int = 0
    conflicts: int = 0
    errors: int = 0


@dataclass(frozen=True)
class PendingDeletion:
    """Notes one side would lose, per file and deck, while a mass deletion waits for a yes."""

    side: str  # "anki" or "markdown": the side the notes would be deleted from
    file: str
    deck: str
    notes: int

    def text(self) -> str:
        where = "Anki" if self.side == "anki" else "the Markdown files"
        cause = "removed from the file" if self.side == "anki" else "deleted in Anki"
        plural = "note" if self.notes == 1 else "notes"
        return (
            f"{self.notes} {plural} of deck {self.deck} ({self.file}) {cause}: delete from {where}"
        )


@dataclass
class SyncSummary:
    anki: SideCounts = field(default_factory=SideCounts)
    markdown: SideCounts = field(default_factory=SideCounts)
    errors: list[str] = field(default_factory=list)  # "file:line: reason"
    conflicts: list[str] = field(default_factory=list)  # "file:line: field: ..."
    warnings: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # cards that break the rules of good cards
    note_types: list[str] = field(default_factory=list)  # changes made to note types
    files_renamed: list[str] = field(default_factory=list)  # decks renamed in Anki
    # Set when the sync stopped before changing anything, waiting for a yes.
    needs_confirmation: str | None = None
    media_imported: int = 0
    media_exported: int = 0
    # What a stopped mass deletion would delete, per side, file and deck.
    pending_deletions: list[PendingDeletion] = field(default_factory=list)
    # The collection was undone or restored behind the last sync's back: nothing was
    # deleted, and `restored` notes missing from Anki were added back from the files.
    moved_back: bool = False
    restored: int = 0
    # A dry run changed nothing: the counts are what a sync would do, and `planned` says
    # what it would do to each note and why (side, action, key, where, reason).
    dry_run: bool = False
    planned: list[dict[str, str]] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return self.needs_confirmation is not None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stopped

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SyncSummary:
        """A summary another process sent (`POST /v1/sync`), as `to_json` wrote it."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        for side in ("anki", "markdown"):
            values[side] = SideCounts(**values.get(side, {}))
        values["pending_deletions"] = [
            PendingDeletion(**item) for item in values.get("pending_deletions", [])
        ]
        return cls(**values)

    def text(self) -> str:
        lines: list[str] = []
        if self.dry_run:
            lines.append("Dry run: nothing was changed. A sync would do this:")
        if self.needs_confirmation:
            lines.append(f"Nothing was synced: {self.needs_confirmation}")
            lines += [f"  {deletion.text()}" for deletion in self.pending_deletions]
        if self.moved_back:
            lines.append(
                "The collection was restored or undone since the last sync: nothing was "
                f"deleted; {self.restored} {'note was' if self.restored == 1 else 'notes were'} "
                "restored to Anki"
            )
        for side, counts in (("Anki", self.anki), ("Markdown", self.markdown)):
            done = [
                f"{value} {name}"
                for name, value in asdict(counts).items()
                if value and name != "unchanged"
            ]
            lines.append(
                f"{side}: "
                + (", ".join(done) if done else "no changes")
                + f" ({counts.unchanged} unchanged)"
            )
        if self.media_imported or self.media_exported:
            lines.append(
                f"Media: {self.media_imported} added to Anki, {self.media_exported} "
                "written to media/"
            )
        for title, items in (
            ("Note types", self.note_types),
            ("Files renamed (decks renamed in Anki)", self.files_renamed),
            ("Conflicts (both versions kept in the file)", self.conflicts),
            ("Warnings", self.warnings),
            ("Hints (cards that could be shorter or simpler)", self.hints),
            ("Errors", self.errors),
            ("Planned", _planned_lines(self.planned)),
        ):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        return "\n".join(lines)


# A first sync plans a line per note: the text shows the first ones (--json has all).
PLANNED_SHOWN = 100


def _planned_lines(planned: list[dict[str, str]]) -> list[str]:
    lines = []
    for decision in planned[:PLANNED_SHOWN]:
        side = "Anki" if decision["side"] == "anki" else "Markdown"
        note = f" {decision['key']}" if decision["key"] else ""
        where, reason = decision["where"], decision["reason"]
        lines.append(f"{side}: {decision['action']}{note} ({where}): {reason}")
    if len(planned) > PLANNED_SHOWN:
        lines.append(f"… and {len(planned) - PLANNED_SHOWN} more (--json lists them all)")
    return lines
