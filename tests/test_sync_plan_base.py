"""The base a sync leaves for a note: each side's fields fingerprinted as that side
holds them, whether or not the two sides read the same."""

from __future__ import annotations

from addon.core.note_keys import fingerprint
from addon.core.sync_plan import fields_fingerprint, new_base


def test_the_base_fingerprints_each_side_as_it_is() -> None:
    md = {"Front": "a *b*", "Back": "same", "Extra": "", "Only": "md"}
    html = {"Front": "a <em>b</em>", "Back": "same", "Extra": "x", "Only": ""}
    base = new_base("k", 7, "T", "f.md", "D", md, html, ("t",), "\nblock\n")
    assert base.md == {
        "Front": fingerprint("a *b*"),
        "Back": fingerprint("same"),
        "Only": fingerprint("md"),
    }
    assert base.anki == {
        "Front": fingerprint("a <em>b</em>"),
        "Back": fingerprint("same"),
        "Extra": fingerprint("x"),
    }
    assert base.block == fingerprint("block")
    assert base.row == fields_fingerprint("T", html, ("t",), "D")
