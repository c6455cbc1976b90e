"""Images and links in vault cards: `![[diagram.png]]` (Obsidian's embed, found by its
name anywhere in the vault, `|200` for its width) and `![alt](path/in/vault.png)` become
Anki media; an image added in Anki is written to the vault's `attachments/` and
embedded as `![[name]]`. `[[Note]]` and the note embed `![[Note]]` become links that
open the note in Obsidian, and come back as written (see core/wikilinks). Nothing
outside the vault is read or written."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..core.field_media import anki_name, replace_sources
from ..core.html_markdown import HtmlTooDeep, to_markdown
from ..core.markdown import render
from ..core.paths import OutsideFolder, read_inside
from ..core.wikilinks import (
    Held,
    Wikilink,
    anchor,
    open_uri,
    replace_marked,
    replace_wikilinks,
    written_back,
)
from .media import FieldConverter, FieldNotConverted, MediaStore

ATTACHMENTS = "attachments"
EMBED = re.compile(r"!\[\[([^\[\]|#\n]+?)(?:\|(\d{1,5}))?\]\]")
IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\s]+)\)(?:\{width=(\d{1,5})\})?")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"}
NOTE_SUFFIX = ".md"


class VaultMedia(FieldConverter):
    def __init__(
        self, vault: Path, anki: MediaStore, written: set[Path], skipped: set[str]
    ) -> None:
        super().__init__(vault, anki, written)
        self._skipped = skipped
        self._files: tuple[dict[str, str], dict[str, str]] | None = None  # see _walk
        self._vault_name = quote(vault.resolve().name, safe="")
        self._imported: dict[str, str] = {}  # path inside the vault → Anki name
        self._vault_of: dict[str, str] = {}  # Anki name → file name in the vault

    def _walk(self) -> tuple[dict[str, str], dict[str, str]]:
        """The vault's files, as Obsidian finds them by name (the one nearest the top
        wins), walked once per sync when a card first embeds or links one: its images
        by name → path; and what a wikilink may name (a note's name or path without
        `.md`, another file's name or path), lower-cased → the path Obsidian opens."""
        if self._files is None:
            images: dict[str, str] = {}
            linkable: dict[str, str] = {}
            for directory, folders, files in os.walk(self._folder):
                folders[:] = sorted(f for f in folders if f not in self._skipped)
                inside = os.path.relpath(directory, self._folder).replace(os.sep, "/")
                for name in sorted(files):
                    path = name if inside == "." else f"{inside}/{name}"
                    suffix = PurePosixPath(name).suffix.lower()
                    if suffix in IMAGE_SUFFIXES:
                        _nearest(images, name, path)
                    opened = path[: -len(NOTE_SUFFIX)] if suffix == NOTE_SUFFIX else path
                    _nearest(linkable, opened.rsplit("/", 1)[-1].lower(), opened)
                    linkable[opened.lower()] = opened
            self._files = images, linkable
        return self._files

    def _index(self) -> dict[str, str]:
        return self._walk()[0]

    def to_anki(self, markdown: str) -> str:
        if "![" not in markdown and "[[" not in markdown:
            return render(markdown)
        held = Held()

        def link(wikilink: Wikilink) -> str | None:
            if wikilink.embed:
                image = EMBED.fullmatch(wikilink.source)
                if PurePosixPath(wikilink.note).suffix.lower() in IMAGE_SUFFIXES:
                    return self._image(image) if image else None
            if wikilink.note:
                note = self._resolve(wikilink.note)
            elif wikilink.fragment and self.file.endswith(NOTE_SUFFIX):  # `[[#Heading]]`
                note = self.file[: -len(NOTE_SUFFIX)]
            else:
                return None
            href = open_uri(self._vault_name, note, wikilink.fragment)
            return held.hold(anchor(wikilink, href))

        rendered = held.restore(render(replace_wikilinks(markdown, link)))
        return replace_sources(rendered, self._import_vault)

    def _image(self, embed: re.Match[str]) -> str:
        name = embed.group(1).strip()
        path = name if "/" in name else self._index().get(name, name)
        width = f"{{width={embed.group(2)}}}" if embed.group(2) else ""
        return f"![{PurePosixPath(name).name}]({quote(path)}){width}"

    def _resolve(self, note: str) -> str:
        """The file a wikilink names, as Obsidian finds it: by path, else by name
        anywhere in the vault (nearest the top); a note that is not there by its name."""
        name = note[: -len(NOTE_SUFFIX)] if note.lower().endswith(NOTE_SUFFIX) else note
        return self._walk()[1].get(name.lower(), name)

    def _import_vault(self, src: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            return src  # a URL
        path = unquote(src)
        if path not in self._imported:
            try:
                data = read_inside(self._folder, path)
            except OutsideFolder as exc:
                self.refused.append(f"{self.where}: image {src} not read: {exc}")
                return src
            except OSError:
                self.missing.add(path)
                return src
            name = self._anki.add(PurePosixPath(path).name, data)
            self._imported[path] = name
            self._vault_of[name] = PurePosixPath(path).name
            self.imported += 1
        return self._imported[path]

    def to_markdown(self, html: str) -> str:
        held = Held()

        def link(wikilink: Wikilink, shown: str) -> str | None:
            back = written_back(wikilink, shown)
            return back if not back else held.hold(back)

        try:
            text = to_markdown(replace_sources(replace_marked(html, link), self._export_vault))
        except HtmlTooDeep as exc:
            raise FieldNotConverted(f"{self.where}: {exc}: this note is not synced") from None

        def embed(match: re.Match[str]) -> str:
            name = unquote(match.group(2))
            if name not in self._index() or "/" in name:
                return match.group(0)
            return f"![[{name}|{match.group(3)}]]" if match.group(3) else f"![[{name}]]"

        return held.restore(IMAGE.sub(embed, text))

    def _export_vault(self, src: str) -> str:
        """An image in Anki, as the vault has it: the file the card embedded, or a new
        file in `attachments/`."""
        name = anki_name(src)
        if name is None:
            return src
        if name in self._vault_of:
            return quote(self._vault_of[name])
        if name in self._index():
            return quote(name)
        written = self._export_file(name, f"{ATTACHMENTS}/")
        if written is None:
            return src
        self._index()[written] = f"{ATTACHMENTS}/{written}"
        self._vault_of[name] = written
        return quote(written)


def _nearest(index: dict[str, str], name: str, path: str) -> None:
    """Obsidian's choice among files of one name: the one nearest the vault's top."""
    known = index.get(name)
    if known is None or known.count("/") > path.count("/"):
        index[name] = path
