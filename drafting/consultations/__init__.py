"""Consultations: rounds of written comments and amendments on a published draft."""
