"""Documents: texts under negotiation, their versions and paragraphs; editing and publishing."""

# The policy's rules on documents are registered whenever this domain is loaded.
from drafting.documents import policy  # noqa: F401
