"""Tables in a Word draft: the draft format has none, so a table is refused by name rather than
flattened into paragraphs in silence (its cells read one after another would make a text that
nobody wrote)."""

from __future__ import annotations

from collections.abc import Iterator

from drafting.documents.docx_archive import WML, DocxError

__all__ = ["refuse_tables"]

_CONTAINERS = {f"{WML}{tag}" for tag in ("sdt", "customXml", "sdtContent", "ins", "moveTo")}


def refuse_tables(body) -> None:  # noqa: ANN001
    """Raise DocxError naming where the first table that survives its tracked changes stands:
    after which paragraph of text, quoting it, so the secretariat finds it in Word."""
    count, last = 0, ""
    for element in _reading_order(body):
        if element.tag == f"{WML}p":
            text = _plain(element)
            if text:
                count, last = count + 1, text
        elif _has_text(element):
            first = next((t for row in _kept_rows(element) if (t := _row_text(row))), "")
            where = (
                f"at its start (“{_cut(first)}”)"
                if count == 0
                else f"after paragraph {count} (“{_cut(last)}”)"
            )
            raise DocxError(
                f"The file has a table {where}; tables cannot be imported: turn it into "
                "paragraphs or remove it, and import the file again."
            )


def _reading_order(container) -> Iterator:  # noqa: ANN001
    for child in container:
        if child.tag in (f"{WML}p", f"{WML}tbl"):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _reading_order(child)


def _kept_rows(table) -> Iterator:  # noqa: ANN001
    """The rows that stay once tracked changes are accepted (a deleted row goes)."""
    for row in table.iter(f"{WML}tr"):
        if row.find(f"{WML}trPr/{WML}del") is None:
            yield row


def _has_text(table) -> bool:  # noqa: ANN001
    return any(_plain(row) for row in _kept_rows(table))


def _row_text(row) -> str:  # noqa: ANN001
    return " | ".join(text for cell in row.iter(f"{WML}tc") if (text := _plain(cell)))


def _plain(element) -> str:  # noqa: ANN001
    """The text an element shows once tracked changes are accepted (deleted text left out)."""
    return " ".join("".join(t.text or "" for t in element.iter(f"{WML}t")).split())


def _cut(text: str) -> str:
    return text if len(text) <= 60 else text[:59].rstrip() + "…"
