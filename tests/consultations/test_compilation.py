"""The compilation of a round: every comment under its paragraph, attributed, filtered; the
secretariat's decisions; the figures; and who may see it, before and after the deadline."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import lxml.html
import pytest
import time_machine
from sqlalchemy import event

from drafting.audit.models import AuditEvent
from drafting.consultations import commenting, cosponsoring, decisions
from drafting.consultations.models import Comment, Decision
from drafting.extensions import db
from tests.consultations.conftest import delegation, paragraph

REPLACEMENT = "We will cooperate on safe, orderly and regular pathways."
INSERTION = "We will review progress together every two years."


def _submit(person, consultation, kind, on=None, **fields):
    comment, _ = commenting.create_comment(
        person,
        consultation,
        kind=kind,
        paragraph_uid=on.uid if on is not None else None,
        submit=True,
        **fields,
    )
    return comment


@pytest.fixture
def compiled(open_round, people, published):
    """An "open" round (everyone sees everything at once, so PAK can co-sponsor AUT's
    proposal) with a comment of every kind, one private draft and one withdrawn comment."""
    consultation = open_round(visibility="open")
    p1, p2, p4 = (paragraph(published, label) for label in ("1.", "2.", "4."))
    part_two = paragraph(published, "Part II: Action")
    s = SimpleNamespace(consultation=consultation, people=people, version=published)
    s.general = _submit(
        people.aut, consultation, "general", body="A *structural* remark on the whole text."
    )
    s.on_p1 = _submit(
        people.pak,
        consultation,
        "paragraph",
        p1,
        quote="shared responsibility",
        body="Say who shares the responsibility.",
    )
    s.replace = _submit(
        people.aut,
        consultation,
        "replace",
        p2,
        proposed_text=REPLACEMENT,
        body="Agreed language of earlier rounds.",
    )
    s.insert = _submit(people.aut, consultation, "insert", p2, proposed_text=INSERTION)
    s.section = _submit(people.tur, consultation, "section", part_two, body="Add a chapeau here.")
    s.delete = _submit(people.tur, consultation, "delete", p4, body="Premature.")
    cosponsoring.support_comment(people.pak, s.insert)
    s.draft, _ = commenting.create_comment(
        people.pak, consultation, kind="general", body="Our private draft, not for the others."
    )
    s.withdrawn = _submit(people.tur, consultation, "general", body="Second thoughts on this.")
    commenting.withdraw_comment(people.tur, s.withdrawn)
    s.never_submitted, _ = commenting.create_comment(
        people.pak, consultation, kind="general", body="Drafted, then dropped unsent."
    )
    commenting.withdraw_comment(people.pak, s.never_submitted)
    db.session.commit()
    return s


_STEP = re.compile(
    r"^(?P<tag>[a-z0-9]*)(?P<classes>(?:\.[\w-]+)*)(?:\[(?P<name>[\w-]+)(?:=(?P<value>[\w-]+))?\])?$"
)


def css(element, selector: str) -> list:
    """The elements under ``element`` matching a simple CSS selector: steps of a tag, classes
    and one attribute test, separated by spaces (lxml's own needs the cssselect package)."""
    steps = []
    for part in selector.split():
        match = _STEP.match(part)
        assert match, part
        tests = [
            f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
            for name in match["classes"].split(".")
            if name
        ]
        if match["name"]:
            name, value = match["name"], match["value"]
            tests.append(f"@{name}='{value}'" if value else f"@{name}")
        steps.append("descendant::" + (match["tag"] or "*") + "".join(f"[{t}]" for t in tests))
    return element.xpath("./" + "/".join(steps))


def _url(consultation, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/consultations/{consultation.id}/compilation" + (f"?{query}" if query else "")


def _page(client, consultation, **args) -> str:
    response = client.get(_url(consultation, **args))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _shown_ids(html: str) -> set[int]:
    tree = lxml.html.fromstring(html)
    return {int(a.get("id")[2:]) for a in css(tree, "article.comment-card")}


def test_the_secretariat_sees_each_paragraphs_comments_attributed_in_document_order(
    client, auth, compiled
):
    s = compiled
    auth.login(s.people.secretariat)
    html = _page(client, s.consultation)

    def at(text: str) -> int:
        assert text in html, text
        return html.index(text)

    # General comments first, then the text paragraph by paragraph, each followed by its
    # comments; a proposed new paragraph right after the paragraph it follows.
    assert at("General comments") < at("structural</em> remark") < at("Part I: Principles")
    assert at("shared responsibility.") < at("Say who shares") < at("regular pathways.</p>")
    assert at("regular pathways.</p>") < at(f'id="c-{s.replace.id}"') < at(f'id="c-{s.insert.id}"')
    assert at(f'id="c-{s.insert.id}"') < at("Part II: Action")
    assert at("Part II: Action") < at("Add a chapeau here.") < at("We support the platform")
    assert at("We will meet again next year.") < at("Premature.")
    tree = lxml.html.fromstring(html)
    card = tree.get_element_by_id(f"c-{s.on_p1.id}")
    assert css(card, ".delegation-code")[0].text_content() == "PAK"
    assert css(card, ".delegation-name")[0].text_content() == "Delegation PAK"
    assert css(card, "blockquote.quote")[0].text_content() == "shared responsibility"
    # The replacement as a word-level redline against the paragraph; the insertion's sponsor.
    redline = css(tree.get_element_by_id(f"c-{s.replace.id}"), ".proposed-text")[0]
    assert [i.text_content().strip() for i in css(redline, "ins")] == [", orderly"]
    insert = tree.get_element_by_id(f"c-{s.insert.id}")
    assert "Supported by PAK" in css(insert, ".supporters")[0].text_content()
    assert "New paragraph proposed after paragraph 2." in html
    # Drafts never appear; withdrawn comments only when asked for.
    assert "private draft" not in html and "Second thoughts" not in html
    assert s.withdrawn.id not in _shown_ids(html)
    with_withdrawn = _page(client, s.consultation, withdrawn=1)
    assert "Second thoughts" in with_withdrawn and "private draft" not in with_withdrawn
    # A comment withdrawn before it was ever submitted was only ever a private draft.
    assert "dropped unsent" not in with_withdrawn


def test_markdown_in_a_comment_is_shown_sanitised(client, auth, compiled):
    s = compiled
    auth.login(s.people.secretariat)
    html = _page(client, s.consultation)
    assert "<em>structural</em>" in html and "*structural*" not in html


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"delegation": "PAK"}, {"on_p1"}),
        ({"delegation": "tur"}, {"section", "delete"}),
        ({"kind": "amendment"}, {"replace", "insert", "delete"}),
        ({"kind": "comment"}, {"general", "on_p1", "section"}),
        ({"kind": "delete"}, {"delete"}),
        ({"kind": "amendment", "delegation": "AUT"}, {"replace", "insert"}),
        ({"late": "1"}, set()),
        ({"withdrawn": "1", "delegation": "TUR"}, {"section", "delete", "withdrawn"}),
        ({"kind": "no-such-kind"}, {"general", "on_p1", "replace", "insert", "section", "delete"}),
    ],
)
def test_the_compilation_filters_by_delegation_and_kind(client, auth, compiled, args, expected):
    s = compiled
    auth.login(s.people.secretariat)
    html = _page(client, s.consultation, **args)
    assert _shown_ids(html) == {getattr(s, name).id for name in expected}


def test_the_filters_stay_in_the_form_and_only_commented_paragraphs_can_be_asked_for(
    client, auth, compiled
):
    s = compiled
    auth.login(s.people.secretariat)
    html = _page(client, s.consultation, delegation="PAK", kind="comment", commented=1)
    form = css(lxml.html.fromstring(html), "form.filters")[0]
    assert css(form, "select[name=delegation] option[selected]")[0].get("value") == "PAK"
    assert css(form, "select[name=kind] option[selected]")[0].get("value") == "comment"
    assert css(form, "input[name=commented]")[0].get("checked") is not None
    # Only paragraph 1 has a comment of PAK's: the other paragraphs are left out.
    assert "shared responsibility." in html
    assert "We will meet again next year." not in html
    assert "1 of 6 comments shown" in html


def test_filtering_by_decision_shows_the_undecided_or_those_with_one_outcome(
    client, auth, compiled
):
    s = compiled
    decisions.record_decision(s.people.secretariat, s.replace, outcome="accepted")
    decisions.record_decision(s.people.secretariat, s.delete, outcome="not_retained")
    db.session.commit()
    auth.login(s.people.secretariat)
    accepted = _page(client, s.consultation, decision="accepted")
    assert _shown_ids(accepted) == {s.replace.id}
    undecided = _page(client, s.consultation, decision="none")
    assert _shown_ids(undecided) == {s.general.id, s.on_p1.id, s.insert.id, s.section.id}


# ---------------------------------------------------------------------------------------------
# Who may see it


DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def sealed(open_round, people, published):
    with time_machine.travel(DEADLINE - timedelta(days=2), tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        _submit(people.aut, consultation, "general", body="Sealed until the deadline.")
        db.session.commit()
    return consultation


@pytest.mark.parametrize("path", ["compilation", "compilation.docx", "compilation.csv"])
def test_the_chair_sees_a_sealed_compilation_only_after_the_deadline(
    client, auth, people, sealed, path
):
    url = f"/consultations/{sealed.id}/{path}"
    with time_machine.travel(DEADLINE - timedelta(seconds=1), tick=False):
        auth.login(people.chair)
        assert client.get(url).status_code == 403
    with time_machine.travel(DEADLINE, tick=False):
        response = client.get(url)
        assert response.status_code == 200
        if path == "compilation":
            assert "Sealed until the deadline." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["aut", "pak", "observer"])
@pytest.mark.parametrize("path", ["compilation", "compilation.docx", "compilation.csv"])
def test_delegations_never_see_the_compilation(client, auth, people, sealed, who, path):
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        auth.login(getattr(people, who))
        assert client.get(f"/consultations/{sealed.id}/{path}").status_code == 403


def test_a_delegation_outside_the_process_does_not_learn_the_round_exists(
    client, auth, create_user, sealed
):
    auth.login(create_user("delegate", "FRA"))
    assert client.get(f"/consultations/{sealed.id}/compilation").status_code == 404
    assert client.get("/consultations/999999/compilation").status_code == 404


def test_the_secretariat_sees_the_compilation_while_the_round_is_open(client, auth, people, sealed):
    with time_machine.travel(DEADLINE - timedelta(days=1), tick=False):
        auth.login(people.secretariat)
        html = _page(client, sealed)
    assert "Sealed until the deadline." in html
    assert "This round is still open" in html


# ---------------------------------------------------------------------------------------------
# Decisions


def _decide(client, comment, query: str = "", **fields):
    data = {"outcome": "", "justification": "", "reflected_in": "", **fields}
    return client.post(f"/comments/{comment.id}/decision{query}", data=data)


def _decisions_recorded() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.action == "decision.recorded")
            .order_by(AuditEvent.id)
        )
    )


def test_the_secretariat_records_a_decision_and_returns_to_the_comment_with_its_filters(
    client, auth, compiled
):
    s = compiled
    auth.login(s.people.secretariat)
    response = _decide(
        client,
        s.replace,
        "?delegation=AUT&kind=amendment",
        outcome="accepted",
        justification="Taken over as proposed.",
        is_shared="y",
        reflected_in="paragraph 9 of Draft 1",
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"#c-{s.replace.id}")
    assert "delegation=AUT" in location and "kind=amendment" in location
    decision = db.session.scalar(db.select(Decision).where(Decision.comment_id == s.replace.id))
    assert (decision.outcome.value, decision.is_shared, decision.reflected_in) == (
        "accepted",
        True,
        "paragraph 9 of Draft 1",
    )
    assert decision.decided_by_id == s.people.secretariat.id
    [recorded] = _decisions_recorded()
    assert recorded.actor_id == s.people.secretariat.id and recorded.object_id == s.replace.id
    html = client.get(location).get_data(as_text=True)
    card = lxml.html.fromstring(html).get_element_by_id(f"c-{s.replace.id}")
    decision_text = css(card, ".decision")[0].text_content()
    assert "Accepted" in decision_text and "shared with delegations" in decision_text
    assert "Taken over as proposed." in decision_text
    assert "Reflected in paragraph 9 of Draft 1" in decision_text
    flash = css(lxml.html.fromstring(html), ".flash-success")[0].text_content()
    assert flash == "Decision recorded on AUT's comment on paragraph 2.: accepted."


def test_a_decision_can_be_changed_and_made_internal(client, auth, compiled):
    s = compiled
    auth.login(s.people.secretariat)
    assert _decide(client, s.delete, outcome="noted").status_code == 302
    # Unticking "shared" makes the decision internal.
    response = _decide(client, s.delete, outcome="not_retained", justification="Paragraph 4 stays.")
    assert response.status_code == 302
    db.session.expire_all()
    decision = db.session.scalar(db.select(Decision).where(Decision.comment_id == s.delete.id))
    assert (decision.outcome.value, decision.is_shared) == ("not_retained", False)
    assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 1
    changes = [(e.details["previous"], e.details["outcome"]) for e in _decisions_recorded()]
    assert changes == [(None, "noted"), ("noted", "not_retained")]
    card = lxml.html.fromstring(_page(client, s.consultation)).get_element_by_id(f"c-{s.delete.id}")
    assert "internal" in css(card, ".decision")[0].text_content()
    # The form shows the decision as it stands.
    form = css(card, ".decision-form form")[0]
    assert css(form, "option[selected]")[0].get("value") == "not_retained"
    assert css(form, "input[name=is_shared]")[0].get("checked") is None
    assert css(form, "textarea")[0].text == "Paragraph 4 stays."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": ""}, "Choose a decision from the list."),
        ({"outcome": "approved"}, "Choose a decision from the list."),
        ({"outcome": "noted", "reflected_in": "x" * 201}, "may have at most 200 characters"),
        (
            {"outcome": "noted", "justification": "[see](javascript:alert(1))"},
            "The justification",
        ),
    ],
)
def test_a_refused_decision_says_why_and_keeps_what_was_typed(
    client, auth, compiled, fields, message
):
    s = compiled
    auth.login(s.people.secretariat)
    typed = {"justification": "Our reasoning, typed with care.", "is_shared": "y", **fields}
    response = _decide(client, s.on_p1, "?kind=comment", **typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    card = lxml.html.fromstring(html).get_element_by_id(f"c-{s.on_p1.id}")
    details = css(card, "details.decision-form")[0]
    assert details.get("open") is not None
    assert message in css(details, ".error")[0].text_content()
    assert css(details, "textarea")[0].text == typed["justification"]
    assert css(details, "input[name=reflected_in]")[0].get("value", "") == typed.get(
        "reflected_in", ""
    )
    assert "kind=comment" in css(details, "form")[0].get("action")
    assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 0
    assert _decisions_recorded() == []


def test_a_withdrawn_comment_cannot_be_decided(client, auth, compiled):
    s = compiled
    auth.login(s.people.secretariat)
    response = _decide(client, s.withdrawn, "?withdrawn=1", outcome="noted")
    assert response.status_code == 422
    assert "Only a submitted comment can be decided on." in response.get_data(as_text=True)


def test_a_draft_cannot_be_decided_nor_found(client, auth, compiled):
    s = compiled
    auth.login(s.people.secretariat)
    assert _decide(client, s.draft, outcome="noted").status_code == 404
    assert _decide(client, s.never_submitted, outcome="noted").status_code == 404


def test_a_decision_needs_the_forms_csrf_token(client, auth, compiled):
    s = compiled
    auth.login(s.people.secretariat)
    assert _decide(client, s.general, outcome="noted", csrf_token=None).status_code == 400
    assert _decisions_recorded() == []


def test_the_chair_sees_decisions_but_cannot_record_them(client, auth, compiled):
    s = compiled
    decisions.record_decision(
        s.people.secretariat, s.general, outcome="partly_accepted", is_shared=False
    )
    db.session.commit()
    auth.login(s.people.chair)
    html = _page(client, s.consultation)
    card = lxml.html.fromstring(html).get_element_by_id(f"c-{s.general.id}")
    assert "Partly accepted" in css(card, ".decision")[0].text_content()
    assert "internal" in css(card, ".decision")[0].text_content()
    assert "Record a decision" not in html and "Change the decision" not in html
    assert _decide(client, s.general, outcome="noted").status_code == 403
    assert _decide(client, s.replace, outcome="noted").status_code == 403
    assert len(_decisions_recorded()) == 1


def test_a_delegate_cannot_record_a_decision(client, auth, compiled):
    s = compiled
    auth.login(s.people.pak)
    assert _decide(client, s.replace, outcome="accepted").status_code == 403
    assert _decisions_recorded() == []


# ---------------------------------------------------------------------------------------------
# Figures


def _figures(html: str) -> dict[str, list[int]]:
    rows = css(lxml.html.fromstring(html), ".figures-table tr[data-delegation]")
    return {
        row.get("data-delegation"): [int(td.text_content()) for td in css(row, "td")]
        for row in rows
    }


def test_the_figures_count_on_time_late_and_taken_into_account(
    client, auth, people, published, open_round
):
    with time_machine.travel(DEADLINE - timedelta(days=3), tick=False):
        consultation = open_round(closes_dt=DEADLINE, late_rule="accept")
        p1, p2 = paragraph(published, "1."), paragraph(published, "2.")
        aut_general = _submit(people.aut, consultation, "general", body="On time, AUT.")
        aut_replace = _submit(people.aut, consultation, "replace", p2, proposed_text=REPLACEMENT)
        pak_on_time = _submit(people.pak, consultation, "paragraph", p1, body="On time, PAK.")
        tur_gone = _submit(people.tur, consultation, "general", body="Withdrawn by TUR.")
        commenting.withdraw_comment(people.tur, tur_gone)
        db.session.commit()
    with time_machine.travel(DEADLINE + timedelta(milliseconds=1), tick=False):
        aut_late = _submit(people.aut, consultation, "delete", p1, body="Late, AUT.")
        pak_late = _submit(people.pak, consultation, "general", body="Late, PAK.")
        db.session.commit()
    assert aut_late.is_late and pak_late.is_late and not aut_general.is_late
    secretariat = people.secretariat
    decisions.record_decision(secretariat, aut_general, outcome="accepted")
    decisions.record_decision(secretariat, aut_replace, outcome="partly_accepted")
    decisions.record_decision(secretariat, aut_late, outcome="not_retained")
    decisions.record_decision(secretariat, pak_on_time, outcome="noted")
    db.session.commit()

    auth.login(secretariat)
    html = _page(client, consultation)
    # received, on time, late, amendments, decided, taken into account, withdrawn
    assert _figures(html) == {
        "AUT": [3, 2, 1, 2, 3, 2, 0],
        "PAK": [2, 1, 1, 0, 1, 0, 0],
        "TUR": [0, 0, 0, 0, 0, 0, 1],
        "total": [5, 3, 2, 2, 4, 2, 1],
    }
    assert "5 received (3 on time, 2 late), 4 decided, 2 taken into account" in html
    # Late comments are flagged, and can be listed alone; the figures ignore the filters.
    assert _shown_ids(_page(client, consultation, late=1)) == {aut_late.id, pak_late.id}
    card = lxml.html.fromstring(html).get_element_by_id(f"c-{pak_late.id}")
    assert css(card, ".badge-late")
    assert _figures(_page(client, consultation, delegation="PAK"))["total"][0] == 5


# ---------------------------------------------------------------------------------------------
# Speed: the number of queries does not grow with the round


@contextmanager
def count_queries():
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _source(paragraphs: int) -> str:
    blocks = ["# A longer declaration", "## Part I"]
    blocks += [f"{i}. Paragraph {i} of the text, as drafted." for i in range(1, paragraphs + 1)]
    return "\n\n".join(blocks) + "\n"


def _fill(consultation, version, people, comments_each: int) -> None:
    """Comments of every kind from AUT, PAK and TUR, some co-sponsored, some decided: more than
    500 in the large round, the size from which a select-in load splits into batches."""
    numbered = [p for p in version.paragraphs if p.label]
    writers = (people.aut, people.pak, people.tur)
    for n in range(comments_each):
        for w, person in enumerate(writers):
            target = numbered[(n * 3 + w) % len(numbered)]
            kind = ("paragraph", "replace", "insert", "delete", "general")[(n + w) % 5]
            fields = {"body": f"Comment {n} of {person.delegation.code}."}
            if kind in ("replace", "insert"):
                fields["proposed_text"] = f"Proposed wording {n} by {person.delegation.code}."
            comment = _submit(
                person, consultation, kind, None if kind == "general" else target, **fields
            )
            if n % 4 == 0 and comment.is_amendment:
                cosponsoring.support_comment(writers[(w + 1) % 3], comment)
            if n % 3 == 0:
                decisions.record_decision(people.secretariat, comment, outcome="noted")
    db.session.commit()


def _every_page_ids(client, consultation, **args) -> set[int]:
    """The comments shown on every page of the compilation, following its "next page" links."""
    shown: set[int] = set()
    for number in range(1, 100):
        html = _page(client, consultation, page=number, **args)
        shown |= _shown_ids(html)
        if "Next page (" not in html:
            return shown
    raise AssertionError("more than 99 pages")


def test_the_compilation_page_uses_a_constant_number_of_queries(
    client, auth, people, create_document, open_round
):
    participants = [delegation(c) for c in ("AUT", "PAK", "TUR", "GEO")]
    auth.login(people.secretariat)
    counts = []
    for paragraphs, comments_each in ((4, 2), (120, 180)):
        document = create_document(
            ("Zero draft", _source(paragraphs), True),
            title=f"Declaration of {paragraphs} paragraphs",
            participants=participants,
        )
        version = document.versions[0]
        consultation = open_round(version=version, visibility="open")
        _fill(consultation, version, people, comments_each)
        url = _url(consultation, withdrawn=1)
        db.session.commit()
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert len(_every_page_ids(client, consultation, withdrawn=1)) == 3 * comments_each
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    # 13 for the comments, their decisions, co-sponsors and figures; one each for the paragraph
    # statuses, the stances and the applied amendments that others conflict with.
    assert counts[1] <= 16, counts
    # The filters and the exports read the same loading.
    filtered = _url(consultation, delegation="PAK", decision="none")
    export = f"/consultations/{consultation.id}/compilation.csv"
    db.session.commit()
    with count_queries() as statements:
        assert client.get(filtered).status_code == 200
    assert len(statements) == counts[0]
    with count_queries() as statements:
        assert client.get(export).status_code == 200
    assert len(statements) <= counts[0]


def test_comments_are_shown_in_the_order_they_were_received_within_a_kind(client, auth, compiled):
    s = compiled
    later = _submit(
        s.people.pak, s.consultation, "general", body="A second general remark, from PAK."
    )
    db.session.commit()
    auth.login(s.people.secretariat)
    html = _page(client, s.consultation)
    assert html.index(f'id="c-{s.general.id}"') < html.index(f'id="c-{later.id}"')
    assert db.session.get(Comment, later.id).is_submitted
