"""The pure text core: the draft format and its blocks, inline Markdown with source offsets,
the Markdown renderer for pages, and the rule for names. No Flask, no database."""
