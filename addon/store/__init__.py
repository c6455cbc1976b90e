"""The only code that touches `anki.collection.Collection`."""
