"""Links back to the exact spot: text fragments for web pages, pages for PDFs."""

from __future__ import annotations

from addon.core.source_links import source_link


def test_web_page_link_carries_a_text_fragment_of_the_highlight() -> None:
    url = source_link("https://example.org/post", "ls lists,  files & more", None)
    assert url == "https://example.org/post#:~:text=ls%20lists%2C%20files%20%26%20more"


def test_long_highlight_is_matched_by_its_first_and_last_words() -> None:
    words = " ".join(f"w{i}" for i in range(30))
    url = source_link("https://example.org/", words, None)
    assert url.endswith("#:~:text=w0%20w1%20w2%20w3%20w4,w25%20w26%20w27%20w28%20w29")


def test_pdf_link_opens_the_page_and_a_clients_fragment_is_kept() -> None:
    assert source_link("https://x.org/a.pdf", "some text", 7) == "https://x.org/a.pdf#page=7"
    assert source_link("https://x.org/a#sec-2", "text", 3) == "https://x.org/a#sec-2"
    assert source_link("https://x.org/a", "", None) == "https://x.org/a"
    assert source_link("", "text", 2) == ""
