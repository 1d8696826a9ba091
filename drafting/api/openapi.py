"""The OpenAPI 3 description of the API, served at /api/v1/openapi.json."""

from __future__ import annotations


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Drafting service API", "version": "1"},
        "paths": {},
    }
