"""Request validation and handlers; every handler takes the collection as an argument."""
