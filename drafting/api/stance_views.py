"""Support and objection through the API: a delegation's tools state, change or withdraw its
stance on another delegation's amendment, under the same policy as the draft page."""

from __future__ import annotations

from drafting.api.bodies import read_body
from drafting.api.caller import caller
from drafting.api.edge import WRITES, bp, refuses
from drafting.api.loading import load_comment
from drafting.api.stance_schemas import Stance, StanceChange
from drafting.api.views import body
from drafting.auth.policy import authorize
from drafting.consultations import stances


@bp.put("/comments/<id:comment_id>/stance")
@bp.doc(operationId="stateStance", **body(StanceChange))
@bp.response(200, Stance, description="The delegation's stance as it now stands.")
@refuses(*WRITES)
def state_stance(comment_id: int):
    """Support or object to another delegation's amendment, with an optional reason; sent
    again, it replaces the delegation's earlier stance. Not on the delegation's own amendment,
    and not before the amendment is visible to it (a sealed round: after the deadline)."""
    comment = load_comment(comment_id)
    authorize(caller(), "comment.take_stance", comment)  # the policy first, then the body
    data = read_body(StanceChange())
    return stances.state_stance(caller(), comment, data["kind"], data.get("reason", ""))


@bp.delete("/comments/<id:comment_id>/stance")
@bp.doc(operationId="withdrawStance")
@bp.response(204, description="Withdrawn (or there was none).")
@refuses(*WRITES)
def withdraw_stance(comment_id: int):
    """Withdraw the delegation's stance on the amendment."""
    stances.withdraw_stance(caller(), load_comment(comment_id))
    return ""
