"""Consultations: rounds of written comments and amendments on a published draft."""

# Loading this domain registers the policy's rules on rounds and comments, and the settling of
# decisions when a draft they are reflected in is published.
from drafting.consultations import amending, policy, silence  # noqa: F401
