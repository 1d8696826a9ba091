"""The OASIS schema of Akoma Ntoso 3.0 (in ../shared/corpus/akn), loaded once and offline: the
schema imports xml.xsd, which is resolved to the copy beside it, never fetched from the web."""

from __future__ import annotations

from functools import cache

import pytest
from lxml import etree

from tests.exports.readers import CORPUS

AKN_SCHEMA_DIR = CORPUS / "akn"
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


class _LocalXmlSchema(etree.Resolver):
    """xml.xsd from the copy beside the schema, whatever address asks for it."""

    def resolve(self, url, public_id, context):
        if url and url.rsplit("/", 1)[-1] == "xml.xsd":
            return self.resolve_filename(str(AKN_SCHEMA_DIR / "xml.xsd"), context)
        return None


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlSchema())
    return etree.XMLSchema(etree.parse(str(AKN_SCHEMA_DIR / "akomantoso30.xsd"), parser))


def akn_schema() -> etree.XMLSchema:
    if not AKN_SCHEMA_DIR.is_dir():
        pytest.skip("../shared/corpus/akn (the OASIS schema) is not beside the checkout")
    return _schema()


def valid_akn(xml: bytes) -> etree._Element:
    """The parsed document, after asserting that it validates (naming the first error)."""
    root = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    schema = akn_schema()
    assert schema.validate(root), schema.error_log.last_error
    return root
