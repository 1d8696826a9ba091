"""Classic XSS payloads in every text a person can write, rendered in every view and export:
no forbidden tag, attribute or URL scheme reaches the HTML, and the exports carry the text as
text.

Each payload gets a world of its own in which every writable text carries it: the document's
title, a version's label and publication note, a paragraph, a comment's quote, body and
proposed text, a decision's justification and "reflected in", a round's title and
instructions, an extension's reason, a delegation's name, a person's name, an API token's name
(and so the audit trail, whose details repeat them). Where the operation refuses the text
(Markdown fields refuse raw HTML and script links), the refusal is checked through the page,
with the text shown back escaped, and the text is then stored behind the operation's back, as
a row written by an older release or another tool would be, so that the views are tested on it
too: the renderer is the last line of defence, not the form.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from lxml import etree
from sqlalchemy import update

from drafting.extensions import db
from tests.conftest import PASSWORD
from tests.consultations.conftest import DRAFT

# (name, payload). Each is prefixed with a marker so that a test can tell the text did reach
# the view (escaped), which makes "nothing forbidden in the page" mean something.
PAYLOADS = [
    ("script", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("md-javascript", "[x](javascript:alert(1))"),
    ("md-javascript-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-javascript-entity", "[x](java&#115;cript:alert(1))"),
    ("md-javascript-space", "[x]( javascript:alert(1))"),
    ("md-data-url", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md-vbscript", "[x](vbscript:msgbox(1))"),
    ("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("broken-nesting", "<<script>script>alert(1)<</script>/script>"),
    ("attribute-break", '"><script>alert(1)</script>'),
    ("single-quote-break", "'><img src=x onerror=alert(1)>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("md-image-title", '![x](https://example.org/x.png "a" onerror="alert(1)")'),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("style-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("md-autolink", "<javascript:alert(1)>"),
]

BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}


def marker(name: str) -> str:
    return f"XSS{PAYLOADS.index(next(p for p in PAYLOADS if p[0] == name)):02d}"


def with_marker(name: str, payload: str) -> str:
    return f"{marker(name)} {payload}"


# ---------------------------------------------------------------------------------------------
# What may not reach a page


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"a <script> that is not one of the app's: {attrs}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element: {attrs}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"a <meta http-equiv=refresh>: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            if name in ("style", "srcdoc"):
                self.problems.append(f"a {name}= attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None and bad_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")


def bad_url(value: str) -> bool:
    """A URL with a script or data scheme, however spelt: entities decoded, whitespace and
    control characters (which browsers drop) removed, case ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", unescape(unescape(value))).lower()
    return cleaned.startswith(BAD_SCHEMES)


def html_problems(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


def text_of(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


def xml_problems(data: bytes) -> list[str]:
    """Well-formed XML in which no element is a script or frame and no attribute a handler or
    a script link, in any namespace."""
    problems = []
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname.lower()
        if local == "script" or local in FORBIDDEN_TAGS:
            problems.append(f"a <{local}> element")
        for name, value in element.attrib.items():
            local_name = etree.QName(name).localname.lower()
            if local_name.startswith("on"):
                problems.append(f"an attribute {local_name} on <{local}>")
            if local_name in {"href", "src", "target", "action"} and bad_url(value):
                problems.append(f"<{local} {local_name}={value!r}>")
    return problems


def docx_problems(data: bytes) -> tuple[list[str], str]:
    """Every XML part of a .docx checked as above, no relationship to a script or data URL,
    and the document's text (every w:t) to look for the marker in."""
    problems, texts = [], []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            # The parts that carry the document's texts and links (not styles, theme, fonts).
            if not (name.startswith("word/") and name.endswith((".xml", ".rels"))):
                continue
            if name.split("/")[-1].startswith(
                ("styles", "theme", "font", "settings", "webSettings", "numbering")
            ):
                continue
            part = package.read(name)
            problems += [f"{name}: {p}" for p in xml_problems(part)]
            if name == "word/document.xml":
                root = etree.fromstring(part)
                texts = [t.text or "" for t in root.iter() if etree.QName(t).localname == "t"]
    return problems, "".join(texts)


# ---------------------------------------------------------------------------------------------
# A world where every writable text carries the payload


@dataclass
class XssWorld:
    payload: str
    ids: dict[str, int | str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # fields the operations refused


def _bypass(model, row_id: int, **values) -> None:
    """Store what an operation refused straight into its row, as an older release might have,
    cut to the column's length (PostgreSQL enforces it; SQLite does not)."""
    columns = model.__table__.columns
    values = {
        key: value[: columns[key].type.length]
        if isinstance(value, str) and getattr(columns[key].type, "length", None)
        else value
        for key, value in values.items()
    }
    db.session.flush()
    db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.expire_all()


def build_xss_world(payload: str, password_hash: str, n: int = 0) -> XssWorld:
    from drafting.api.operations import TokenError, create_token
    from drafting.auth.operations import create_delegation, create_user
    from drafting.consultations import commenting, decisions, rounds
    from drafting.consultations.models import Comment, Consultation, Decision, Extension
    from drafting.documents import importing, publishing
    from drafting.documents import operations as documents
    from drafting.documents.editing import open_working_draft
    from drafting.documents.models import Document, Paragraph, Version

    world = XssWorld(payload)
    delegations = {}
    # Organisations' codes, so that several worlds fit in one database (AUT0, AUT1, …).
    for code in ("MDS", "GEO", "AUT", "PAK"):
        delegations[code] = create_delegation(
            None,
            name=payload[:200] if code == "PAK" else f"Delegation {code}{n}",
            code=f"{code}{n}",
            kind="organisation",
        )
    users = {}
    for role, code, user_role in (
        ("secretariat", "MDS", "secretariat"),
        ("chair", "GEO", "chair"),
        ("owner", "AUT", "delegate"),
        ("other", "PAK", "delegate"),
    ):
        users[role] = create_user(
            None,
            email=f"{role}{n}@example.org",
            name=payload[:200] if role == "owner" else f"{role.title()} of {code}",
            role=user_role,
            delegation=delegations[code],
            password="",
            password_hash=password_hash,
        )
        world.emails[role] = f"{role}{n}@example.org"

    def attempt(what: str, action, fallback):
        """The operation with the payload; when it refuses, the fallback (safe text, then the
        payload stored behind its back)."""
        try:
            with db.session.begin_nested():
                return action()
        except (ValueError, LookupError):
            world.refused.append(what)
            return fallback()

    document = attempt(
        "document title",
        lambda: documents.create_document(
            None, title=payload, participants=list(delegations.values())
        ),
        lambda: documents.create_document(
            None, title="Declaration", participants=list(delegations.values())
        ),
    )
    if "document title" in world.refused:
        _bypass(Document, document.id, title=payload)
    importing.import_version(None, document, DRAFT, label="Zero draft", publish=True)
    draft1 = attempt(
        "version label",
        lambda: importing.import_version(None, document, DRAFT, label=payload),
        lambda: importing.import_version(None, document, DRAFT, label="Draft 1"),
    )
    if "version label" in world.refused:
        _bypass(Version, draft1.id, label=payload)
    first = next(p for p in draft1.paragraphs if p.label == "1.")
    uid = first.uid
    # The paragraph text: an import with it is refused when it is not plain Markdown (checked
    # through the page below); here it is stored into the working draft before publication.
    _bypass(Paragraph, first.id, text=f"{payload} We affirm the principle.")
    attempt(
        "publication note",
        lambda: publishing.publish_version(None, draft1, note=payload),
        lambda: publishing.publish_version(None, draft1, note="A note."),
    )
    # A refused note cannot be stored behind the operation's back: the note is written at
    # publication, and the database refuses any change to a published version afterwards. Its
    # refusal is checked through the publishing form (check_refusals).
    db.session.refresh(draft1)

    now = datetime.now(UTC)
    consultation = attempt(
        "round title and instructions",
        lambda: rounds.open_consultation(
            None,
            draft1,
            title=payload,
            instructions=payload,
            opens_dt=now - timedelta(hours=1),
            closes_dt=now + timedelta(days=10),
            timezone="Europe/Vienna",
            invited=[delegations["AUT"], delegations["PAK"]],
            visibility="open",
        ),
        lambda: rounds.open_consultation(
            None,
            draft1,
            title="Comments",
            instructions="Write.",
            opens_dt=now - timedelta(hours=1),
            closes_dt=now + timedelta(days=10),
            timezone="Europe/Vienna",
            invited=[delegations["AUT"], delegations["PAK"]],
            visibility="open",
        ),
    )
    if "round title and instructions" in world.refused:
        _bypass(Consultation, consultation.id, title=payload, instructions=payload)

    def comment(kind, *, submit, texts):
        return commenting.create_comment(
            users["owner"],
            consultation,
            kind=kind,
            paragraph_uid=uid if kind == "replace" else None,
            form_token=uuid.uuid4().hex,
            submit=submit,
            **texts,
        )[0]

    safe = {"quote": "", "body": "A reason.", "proposed_text": "We affirm duties."}
    texts = {"quote": payload, "body": payload, "proposed_text": payload}
    amendment = attempt(
        "comment quote, body and proposed text",
        lambda: comment("replace", submit=True, texts=texts),
        lambda: comment("replace", submit=True, texts=safe),
    )
    if "comment quote, body and proposed text" in world.refused:
        _bypass(Comment, amendment.id, **texts)
    draft = attempt(
        "draft comment body",
        lambda: comment("general", submit=False, texts={"body": payload}),
        lambda: comment("general", submit=False, texts={"body": "A draft."}),
    )
    if "draft comment body" in world.refused:
        _bypass(Comment, draft.id, body=payload)
    extension = attempt(
        "extension reason",
        lambda: rounds.grant_extension(
            None, consultation, delegations["PAK"], now + timedelta(days=12), payload
        ),
        lambda: rounds.grant_extension(
            None, consultation, delegations["PAK"], now + timedelta(days=12), "Asked."
        ),
    )
    if "extension reason" in world.refused:
        _bypass(Extension, extension.id, reason=payload)
    decision = attempt(
        "decision justification and reflected in",
        lambda: decisions.record_decision(
            users["secretariat"],
            amendment,
            outcome="partly_accepted",
            justification=payload,
            reflected_in=payload,
        ),
        lambda: decisions.record_decision(
            users["secretariat"], amendment, outcome="partly_accepted", justification="Yes."
        ),
    )
    if "decision justification and reflected in" in world.refused:
        _bypass(Decision, decision.id, justification=payload, reflected_in=payload)

    working = open_working_draft(users["secretariat"], draft1, label="Draft 2")
    working_first = next(p for p in working.paragraphs if p.uid == uid)
    _bypass(Paragraph, working_first.id, text=f"{payload} In the working draft.")
    from drafting.api.models import ApiToken

    for role in ("owner", "secretariat"):
        refused = len(world.refused)
        token, _secret = attempt(
            "token name",
            lambda role=role: create_token(users[role], payload),
            lambda role=role: create_token(users[role], "Script"),
        )
        if len(world.refused) > refused:  # too long: the names of several payloads at once
            _bypass(ApiToken, token.id, name=payload)
    db.session.commit()
    world.ids = {
        "document": document.id,
        "zero": document.versions[0].id,
        "published": draft1.id,
        "working": working.id,
        "round": consultation.id,
        "amendment": amendment.id,
        "draft": draft.id,
        "uid": uid,
    }
    assert TokenError  # imported for the reader: token names are plain text, never refused
    return world


# ---------------------------------------------------------------------------------------------
# The sweep


def _views(ids) -> dict[str, list[str]]:
    """The pages that show the texts, by who opens them."""
    d, v, w, z, r = ids["document"], ids["published"], ids["working"], ids["zero"], ids["round"]
    return {
        "secretariat": [
            "/",
            f"/documents/{d}",
            f"/documents/{d}/history",
            f"/versions/{v}",
            f"/versions/{w}",
            f"/documents/{d}/compare?old={z}&new={v}",
            f"/documents/{d}/compare?old={z}&new={v}&view=side",
            f"/documents/{d}/compare?old={v}&new={w}",
            f"/documents/{d}/compare?old={v}&new={w}&view=side",
            f"/consultations/{r}",
            f"/consultations/{r}/draft",
            f"/consultations/{r}/compilation",
            f"/comments/{ids['amendment']}/history",
            f"/versions/{w}/edit",
            f"/versions/{w}/edit/{ids['uid']}/form",
            f"/versions/{w}/edit/{ids['uid']}/split",
            f"/versions/{v}/next-draft",
            "/audit",
            "/people",
            "/settings/tokens",
        ],
        "owner": [
            "/",
            f"/documents/{d}",
            f"/versions/{v}",
            f"/documents/{d}/compare?old={z}&new={v}&mine=1",
            f"/consultations/{r}",
            f"/consultations/{r}/draft",
            f"/comments/{ids['draft']}/edit",
            f"/comments/{ids['amendment']}/history",
            f"/consultations/{r}/comments/new?kind=replace&paragraph={ids['uid']}",
            "/settings/tokens",
        ],
        "chair": [f"/consultations/{r}/compilation", f"/documents/{d}/history"],
    }


def _exports(ids) -> list[str]:
    d, v, z, r = ids["document"], ids["published"], ids["zero"], ids["round"]
    return [
        f"/versions/{v}.docx",
        f"/documents/{d}/compare.docx?old={z}&new={v}",
        f"/consultations/{r}/compilation.docx?layout=table",
        f"/consultations/{r}/compilation.docx?layout=text",
        f"/versions/{v}.pdf",
        f"/versions/{v}.md",
        f"/consultations/{r}/compilation.csv",
        "/audit.csv",
        "/audit.json",
        f"/documents/{d}/feed.atom",
    ]


def logged_in(app, email: str):
    """A client of its own, logged in as ``email``."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"could not log in as {email}"
    return client


def check_html(response, where: str, mark: str, problems: list[str], *, shows=True) -> None:
    page = response.get_data(as_text=True)
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
        return
    assert response.mimetype == "text/html", f"{where}: {response.mimetype}"
    problems += [f"{where}: {p}" for p in html_problems(page)]
    if shows and mark not in text_of(page):
        problems.append(f"{where}: the text does not reach the page, so it proves nothing")


def check_export(response, url: str, mark: str, problems: list[str]) -> None:
    data = response.data
    if response.status_code != 200:
        problems.append(f"{url}: {response.status_code}")
        return
    if response.mimetype != "application/atom+xml":
        disposition = response.headers.get("Content-Disposition", "")
        if "attachment" not in disposition:
            problems.append(f"{url}: not sent as a download ({disposition!r})")
    if response.mimetype.endswith("html"):
        problems.append(f"{url}: served as {response.mimetype}")
    if url.split("?")[0].endswith(".docx"):
        found, text = docx_problems(data)
        problems += [f"{url}: {p}" for p in found]
        if mark not in text:
            problems.append(f"{url}: the text does not reach the document")
    elif url.endswith(".pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() or "" for page in reader.pages)
        if mark not in text:
            problems.append(f"{url}: the text does not reach the PDF")
        for needle in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/OpenAction"):
            if needle in data:
                problems.append(f"{url}: the PDF carries {needle!r}")
        for annotation_uri in re.findall(rb"/URI\s*\(([^)]*)\)", data):
            if bad_url(annotation_uri.decode("latin-1")):
                problems.append(f"{url}: a link to {annotation_uri!r}")
    elif url.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        if mark not in "".join("".join(row) for row in rows):
            problems.append(f"{url}: the text does not reach the CSV")
    elif url.endswith(".json"):
        json.loads(data)
        if response.mimetype != "application/json":
            problems.append(f"{url}: served as {response.mimetype}")
    elif url.split("?")[0].endswith(".atom"):
        problems += [f"{url}: {p}" for p in xml_problems(data)]
        if mark.encode() not in data:
            problems.append(f"{url}: the text does not reach the feed")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: without X-Content-Type-Options: nosniff")


def check_api(client, world: XssWorld, token: str, mark: str, problems: list[str]) -> None:
    ids = world.ids
    headers = {"Authorization": f"Bearer {token}"}
    for path in (
        "/api/v1/documents",
        f"/api/v1/documents/{ids['document']}",
        f"/api/v1/versions/{ids['published']}",
        f"/api/v1/consultations/{ids['round']}",
        f"/api/v1/consultations/{ids['round']}/comments",
        f"/api/v1/comments/{ids['amendment']}",
        f"/api/v1/documents/{ids['document']}/comparison?old={ids['zero']}&new={ids['published']}",
    ):
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.mimetype != "application/json":
            problems.append(f"{path}: served as {response.mimetype}")
        if response.headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{path}: without nosniff")
        if mark not in json.dumps(response.get_json(), ensure_ascii=False):
            problems.append(f"{path}: the text does not reach the JSON")


def check_refusals(clients, world: XssWorld, mark: str, problems: list[str]) -> None:
    """Typed into the forms: where the text is refused, the refusal is a 4xx that shows the
    text back, escaped; where it is taken, the page that follows is safe too."""
    from drafting.text.draft_format import forbidden_markup

    ids, payload = world.ids, world.payload
    refused_markup = forbidden_markup(payload) is not None

    def sent(where, response, *, must_refuse: bool, shows_text: bool = True):
        if must_refuse:
            if not 400 <= response.status_code < 500:
                problems.append(f"{where}: {response.status_code}, not a refusal")
            check_html(response, where, mark, problems, shows=shows_text)
        elif response.status_code >= 400:
            check_html(response, where, mark, problems, shows=False)

    client = clients["owner"]
    form = {
        "kind": "general",
        "paragraph": "",
        "body": payload,
        "quote": "",
        "proposed_text": "",
        "form_token": uuid.uuid4().hex,
        "action": "save",
    }
    response = client.post(f"/consultations/{ids['round']}/comments/new", data=form)
    sent("comment form", response, must_refuse=refused_markup)
    form = dict(form, action="preview", kind="replace", paragraph=ids["uid"], proposed_text=payload)
    form["body"] = "Why."
    response = client.post(f"/consultations/{ids['round']}/comments/new", data=form)
    check_html(response, "comment preview", mark, problems)

    client = clients["secretariat"]
    response = client.post(
        f"/versions/{ids['working']}/edit/{ids['uid']}",
        data={"source": f"1. {payload}", "revision": "1"},
    )
    sent("editor save", response, must_refuse=refused_markup)
    response = client.post(
        f"/versions/{ids['working']}/edit/insert",
        data={"after": ids["uid"], "source": payload},
    )
    sent("editor insert", response, must_refuse=refused_markup)
    response = client.post(
        f"/documents/{ids['document']}/import",
        data={
            "label": "Imported",
            "file": (io.BytesIO(f"# Title\n\n1. {payload}\n".encode()), "draft.md"),
        },
        content_type="multipart/form-data",
    )
    # Refused: one working draft at a time; whatever the reason, the page must be safe.
    check_html(response, "import", mark, problems, shows=False)
    response = client.post(
        "/people/delegations", data={"name": payload, "code": payload, "kind": "state"}
    )
    sent("delegation code", response, must_refuse=True, shows_text=False)
    response = client.post(
        f"/versions/{ids['working']}/publish",
        data={"label": payload, "note": payload, "confirm": ""},
    )
    check_html(response, "publish form (unconfirmed)", mark, problems)
    response = client.post("/settings/tokens", data={"name": payload})
    check_html(response, "token created", mark, problems)


def sweep(app, world: XssWorld, name: str) -> list[str]:
    """Every view, export and form of one world, as its people see them: what is wrong."""
    from drafting.api.operations import create_token
    from drafting.auth.models import User

    mark = marker(name)
    problems: list[str] = []
    clients = {role: logged_in(app, world.emails[role]) for role in world.emails}
    for role, urls in _views(world.ids).items():
        for url in urls:
            response = clients[role].get(url)
            if response.status_code != 200:
                problems.append(f"{role} {url}: {response.status_code}")
                continue
            # The editor's split page and the next-draft page do not repeat every text.
            shows = not url.endswith(("/split", "/next-draft"))
            check_html(response, f"{role} {url}", mark, problems, shows=shows)
    for url in _exports(world.ids):
        check_export(clients["secretariat"].get(url), url, mark, problems)
    user = db.session.scalar(db.select(User).where(User.email == world.emails["secretariat"]))
    _token, secret = create_token(user, "XSS sweep")
    db.session.commit()
    check_api(clients["secretariat"], world, secret, mark, problems)
    check_refusals(clients, world, mark, problems)
    return [f"{name} ({world.payload!r}): {problem}" for problem in problems]


# Three groups, each in one database: the app and its templates are built once per group.
GROUPS = [PAYLOADS[i::3] for i in range(3)]


@pytest.mark.slow  # every payload in every text, view and export: CI runs it
@pytest.mark.parametrize("group", GROUPS, ids=["group-1", "group-2", "group-3"])
def test_no_payload_reaches_a_page_or_an_export(app, password_hash, group):
    from tests.conftest import FormClient

    app.test_client_class = FormClient
    problems: list[str] = []
    for n, (name, payload) in enumerate(group):
        world = build_xss_world(with_marker(name, payload), password_hash, n)
        problems += sweep(app, world, name)
    assert not problems, "\n".join(problems)


def test_the_checker_finds_what_it_looks_for():
    """The checks above would see a payload that got through."""
    page = (
        '<script src="/static/app.js"></script><p>fine</p><script>alert(1)</script>'
        '<img src=x onerror="alert(1)"><a href=" jav&#x09;ascript:alert(1)">x</a>'
        '<a href="DATA:text/html,x">y</a><iframe></iframe><p style="color:red">z</p>'
        '<svg><a xlink:href="javascript:alert(1)">q</a></svg><form action="vbscript:x">'
    )
    problems = html_problems(page)
    assert len(problems) == 8, problems
    assert not html_problems('<script src="/static/drafting.js"></script><a href="/x">x</a>')
    assert xml_problems(b'<feed><x:script xmlns:x="urn:x"/><a href="javascript:x"/></feed>')
