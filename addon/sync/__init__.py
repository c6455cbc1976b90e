"""Two-way sync of a Markdown folder with the collection."""
