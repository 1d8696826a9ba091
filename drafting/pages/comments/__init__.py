"""Pages where a delegation writes, previews, submits, edits, withdraws and co-sponsors comments:
one blueprint, "comments", in several rooms.

- ``blueprint``: the blueprint, and where a comment stands on the draft page;
- ``refusals``: loading a comment and asking the policy, with the reason a person can read;
- ``checks``: what a sent form must carry (the origin, the delegation, the revision read);
- ``deadline``: the reader's deadline and countdown;
- ``reading``: the draft with its comments;
- ``form_page`` and ``writing``: the comment form, and the one flow that takes it, new or edited;
- ``actions``: the one-button actions (submit, withdraw, co-sponsor);
- ``stances``: support for, or objection to, another delegation's amendment;
- ``history``: a comment's revisions;
- ``recording``: the secretariat recording a delegation's comment on its behalf.
"""

from drafting.pages.comments import actions, history, reading, recording, stances, writing
from drafting.pages.comments.blueprint import bp

# The view modules are imported for their routes, which they add to ``bp``.
__all__ = ["actions", "bp", "history", "reading", "recording", "stances", "writing"]
