"""Long Word files written as WordprocessingML text: python-docx makes the house document
(styles, header, properties) with a placeholder where the long part goes, and the text written
for that part (the redline's paragraphs, the compilation's table rows, the compiled text) takes
the placeholder's place in the saved package. Parsing thousands of elements into python-docx's
tree only to serialise them again cost more than writing them.
"""

from __future__ import annotations

import io
import zipfile

__all__ = ["PLACEHOLDER", "with_body"]

DOCUMENT_PART = "word/document.xml"
PLACEHOLDER = "drafting-docx-body-placeholder"


def with_body(package: bytes, body: bytes, *, element: str = "w:p") -> bytes:
    """The .docx ``package`` with the ``element`` (a paragraph, or a table row) holding the
    placeholder text replaced by ``body``: WordprocessingML in the ``w`` prefix, which the
    document part declares."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    opening, closing = f"<{element}>".encode(), f"</{element}>".encode()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == DOCUMENT_PART:
                marker = data.index(PLACEHOLDER.encode())
                start = data.rindex(opening, 0, marker)
                end = data.index(closing, marker) + len(closing)
                data = data[:start] + body + data[end:]
            target.writestr(item, data)
    return output.getvalue()
