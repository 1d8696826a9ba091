"""Schemathesis holds the API to its own OpenAPI description: for a delegate and for the
secretariat, on a database with documents, a round and comments, no answer is a server error,
and every answer's status, content type, headers and body are the ones described."""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from drafting.consultations.commenting import create_comment, withdraw_comment
from drafting.consultations.models import Comment
from drafting.documents.importing import import_version
from drafting.extensions import db
from tests.api.conftest import DRAFT, paragraph

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ID_PARAMETERS = ("document_id", "version_id", "consultation_id", "comment_id")


@pytest.fixture
def negotiation(people, published, open_round):
    """A second published draft and a working one, a sealed round on the first with comments
    of AUT (submitted, draft, withdrawn) and PAK; the ids an example may name."""
    document = published.document
    draft_1 = import_version(
        None, document, DRAFT.replace("next year", "in Geneva"), label="Draft 1", publish=True
    )
    working = import_version(None, document, DRAFT.replace("shared", "common"), label="Draft 2")
    consultation = open_round()

    def comment(user, kind, label=None, submit=True, **texts):
        uid = paragraph(published, label).uid if label else None
        made, _ = create_comment(
            user,
            consultation,
            kind=kind,
            paragraph_uid=uid,
            form_token=uuid.uuid4().hex,
            submit=submit,
            **texts,
        )
        return made

    comments = [
        comment(people.aut, "paragraph", "1.", body="Say “fair” too."),
        comment(people.aut, "general", body="A private draft.", submit=False),
        comment(people.pak, "replace", "2.", proposed_text="We will cooperate on pathways."),
        withdrawn := comment(people.aut, "delete", "2.", body="Redundant."),
    ]
    withdraw_comment(people.aut, withdrawn)
    db.session.commit()
    return {
        "document_id": [document.id],
        "version_id": [published.id, draft_1.id, working.id],
        "consultation_id": [consultation.id],
        "comment_id": [c.id for c in comments],
        "uid": paragraph(published, "1.").uid,
    }


def _with_known_ids(case, choice, ids):
    """Let about half the examples name objects that exist rather than random numbers, and some
    of those send what a client would (a real paragraph, the comment's current revision)."""
    if choice is None:
        return case
    for name in ID_PARAMETERS:
        if name in (case.path_parameters or {}):
            case.path_parameters[name] = ids[name][choice % len(ids[name])]
    if case.query and "old" in case.query and "new" in case.query:
        case.query["old"], case.query["new"] = ids["version_id"][0], ids["version_id"][1]
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and "kind" in body and choice % 2 == 0:
        body.update(kind="paragraph", paragraph_uid=ids["uid"], body=f"Remark {choice}.")
    if body is not None and isinstance(body.get("base_revision"), int) and choice % 3:
        db.session.expire_all()
        comment = db.session.get(Comment, case.path_parameters["comment_id"])
        body["base_revision"] = comment.revision
        if "body" in body and choice % 2 == 0:
            body.update(body=f"Reworded {choice}.", quote="")
    return case


@pytest.mark.slow  # fuzzes the whole API from its description; CI runs it
def test_api_conforms_to_its_description(app, people, negotiation, token_for):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    secrets = {"delegate": token_for(people.aut), "secretariat": token_for(people.secretariat)}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the description itself, which schemathesis leaves out.
    assert len(operations) == 15, [o.label for o in operations]
    for operation in operations:
        for secret in secrets.values():
            _run(app, operation, GenerationMode.POSITIVE, 25, secret, negotiation)
        # Data that breaks the description: refused, and in the described shapes, all the same.
        _run(app, operation, GenerationMode.NEGATIVE, 10, secrets["delegate"], negotiation)


def _run(app, operation, mode, examples, secret, ids):
    strategy = st.tuples(
        operation.as_strategy(generation_mode=mode), st.none() | st.integers(0, 11)
    ).map(lambda pair: _with_known_ids(pair[0], pair[1], ids))

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        db.session.commit()
        with app.app_context():
            headers = {"Authorization": f"Bearer {secret}"}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

    check()
