"""Pure logic: no `anki`, no `aqt`, no I/O beyond what a function is handed."""
