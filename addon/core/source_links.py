"""Links back to the exact spot a card came from: a web page's text fragment
(`#:~:text=`, so the browser scrolls to and marks the highlight) or a PDF's page
(`#page=N`). A fragment the client sent is kept as it is."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# A long highlight is matched by its first and last words (textStart,textEnd):
# whole passages make long URLs and break on any change of spacing.
EDGE_WORDS = 5


def _fragment_text(text: str) -> str:
    # The text directive reserves these; everything else may stay as it is.
    return quote(text, safe="")


def text_fragment(highlight: str) -> str:
    words = highlight.split()
    if not words:
        return ""
    if len(words) <= 2 * EDGE_WORDS:
        return ":~:text=" + _fragment_text(" ".join(words))
    start = " ".join(words[:EDGE_WORDS])
    end = " ".join(words[-EDGE_WORDS:])
    return f":~:text={_fragment_text(start)},{_fragment_text(end)}"


def source_link(url: str, highlight: str, page: int | str | None) -> str:
    if not url or "#" in url:
        return url
    is_pdf = urlsplit(url).path.lower().endswith(".pdf")
    if page not in (None, "") and (is_pdf or not highlight.strip()):
        return f"{url}#page={quote(str(page), safe='')}"
    if highlight.strip() and not is_pdf:
        return f"{url}#{text_fragment(highlight)}"
    return url
