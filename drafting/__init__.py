"""The drafting service: versioned drafts of declarations, negotiated in writing.

The packages stand in layers, each importing only those below it (see the README)."""
