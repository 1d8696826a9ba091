"""The JSON API under /api/v1: personal tokens, the same policy and deadlines as the pages."""
