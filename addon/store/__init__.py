"""The only code that touches `anki.collection.Collection`."""

# `anki.cards` imported before `anki.collection` fails on a circular import inside
# anki; importing the collection module first makes any later order safe.
import anki.collection  # noqa: F401
