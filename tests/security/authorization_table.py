"""Who may open what: the expected outcome of every route and method of the app, for each role,
on each kind of object a URL can name. tests/security/test_authorization_matrix.py holds the
app to it; a route of the app missing here, or listed here but gone from the app, fails it.

Roles, in the order of each row:

    anonymous    nobody logged in (no token for the API)
    owner        a delegate of AUT, the delegation that wrote the comments below
    other        a delegate of PAK: another delegation, invited to the same rounds
    observer     an observer (UNHCR), taking part in the document
    chair        the chair (GEO), taking part in the document
    secretariat  the secretariat (MDS)

Outcomes:

    A  allowed past the policy: any status but those below (2xx, a redirect other than to the
       login page, and also 400/409/422 from validation, deadlines or a stale revision, which
       come after the permission check)
    L  login required: a redirect to /login?next=… for pages, 401 for the API (and for the
       editor's in-place save, which answers a login that ended with 401 and the typed text)
    F  forbidden: 403 (the user may know the object exists, but not do this)
    H  hidden: 404 (the user may not learn the object exists)

Methods a path does not offer (405) are checked by the test from the URL map itself.

Objects (the variant's keys; several are joined with commas):

    doc=part       a document in which AUT, PAK, TUR, GEO and UNHCR take part
    doc=apart      a document in which only TUR takes part
    version=published / working   Draft 1 (published) / Draft 2 (working) of doc=part
    version=apart                 the published draft of doc=apart
    round=open     a sealed round on Draft 1, open (AUT, PAK, TUR invited)
    round=closed   a sealed round on Draft 1, closed (deadline passed: submissions revealed)
    round=apart    a sealed, open round on doc=apart (TUR invited)
    comment=draft      AUT's draft comment in round=open (its private work)
    comment=submitted  AUT's submitted amendment in round=open (sealed: no one else sees it)
    comment=closed     AUT's submitted amendment in round=closed (revealed to participants)
    comment=apart      TUR's submitted amendment in round=apart
    token=mine / theirs  the user's own API token / another person's
    person=other   the account of PAK's delegate (reset, deactivated, reactivated)
    q=working      compare Draft 1 with the working Draft 2 (?old=…&new=…)
    uid            the first numbered paragraph (the same identity in every version)
    silence=running   a silence procedure running on Draft 1 of doc=part
    silence=apart     a silence procedure running on the published draft of doc=apart
"""

from __future__ import annotations

ROLES = ("anonymous", "owner", "other", "observer", "chair", "secretariat")

# Rows reused below, to keep the table readable.
EVERYONE = "L A A A A A"
SECRETARIAT = "L F F F F A"
SECRETARIAT_HIDDEN = "L H H H H A"  # an object only the secretariat may know
NOBODY_HIDDEN = "L H H H H H"

_DOCUMENT = {"doc=part": EVERYONE, "doc=apart": SECRETARIAT_HIDDEN}
_VERSION = {
    "version=published": EVERYONE,
    "version=working": SECRETARIAT_HIDDEN,
    "version=apart": SECRETARIAT_HIDDEN,
}
# Translating a version: the secretariat, on a version it may read (language: "ru").
_TRANSLATE = {
    "version=published": SECRETARIAT,
    "version=working": SECRETARIAT_HIDDEN,
    "version=apart": SECRETARIAT_HIDDEN,
}
_ROUND = {"round=open": EVERYONE, "round=closed": EVERYONE, "round=apart": SECRETARIAT_HIDDEN}
_ROUND_MANAGE = {
    "round=open": SECRETARIAT,
    "round=closed": SECRETARIAT,
    "round=apart": SECRETARIAT_HIDDEN,
}
# Writing in a round: the delegates of invited delegations; the deadline is the operations'
# business (409 after it), not the policy's.
_ROUND_WRITE = {
    "round=open": "L A A F F F",
    "round=closed": "L A A F F F",
    "round=apart": "L H H H H F",
}
_WORD_FILE = {
    "round=open": "L A A F F A",
    "round=closed": "L A A F F A",
    "round=apart": "L H H H H A",
}
_COMPILATION = {
    "round=open": SECRETARIAT,  # sealed and open: the chair waits for the deadline
    "round=closed": "L F F F A A",
    "round=apart": SECRETARIAT_HIDDEN,
}
# The secretariat's working draft editor: the working draft is hidden from everyone else; on a
# published draft the others are refused, the secretariat told it is published (409).
_EDITOR = {"version=working": SECRETARIAT_HIDDEN, "version=published": SECRETARIAT}
# Marking a paragraph's status: the chair and the secretariat, on a draft they may read.
_MARK = {
    "version=published": "L F F F A A",
    "version=working": SECRETARIAT_HIDDEN,
    "version=apart": SECRETARIAT_HIDDEN,
}
# Reading one comment: its own delegation always; a draft nobody else; a sealed submission the
# secretariat; a revealed one every participant.
_COMMENT_READ = {
    "comment=draft": "L A H H H H",
    "comment=submitted": "L A H H H A",
    "comment=closed": EVERYONE,
    "comment=apart": SECRETARIAT_HIDDEN,
}
# Changing one comment: only its own delegation, whoever else may read it.
_COMMENT_CHANGE = {
    "comment=draft": "L A H H H H",
    "comment=submitted": "L A H H H F",
    "comment=closed": "L A F F F F",
    "comment=apart": "L H H H H F",
}
# Co-sponsoring: a delegate of another invited delegation, on an amendment it can see (after
# the deadline the operation refuses it, past the policy).
_SUPPORT = {
    "comment=draft": "L F H H H H",
    "comment=submitted": "L F H H H F",
    "comment=closed": "L F A F F F",
    "comment=apart": "L H H H H F",
}
# The chair's convergence view: the chair and the secretariat, never the delegations.
_CONVERGENCE_ROUND = {
    "round=open": "L F F F A A",
    "round=closed": "L F F F A A",
    "round=apart": SECRETARIAT_HIDDEN,
}
_CONVERGENCE_VERSION = {
    "version=published": "L F F F A A",
    "version=working": SECRETARIAT_HIDDEN,
    "version=apart": SECRETARIAT_HIDDEN,
}
_DECIDE = {
    "comment=draft": NOBODY_HIDDEN,  # a draft was never sent to the secretariat
    "comment=submitted": "L F H H H A",
    "comment=closed": SECRETARIAT,
    "comment=apart": SECRETARIAT_HIDDEN,
}

TABLE: dict[tuple[str, str], dict[str, str]] = {
    # ----------------------------------------------------------------------------- people
    ("auth.login", "GET"): {"": "A A A A A A"},
    ("auth.login", "POST"): {"": "A A A A A A"},
    ("auth.logout", "POST"): {"": "A A A A A A"},
    ("auth.settings", "GET"): {"": EVERYONE},
    ("auth.settings", "POST"): {"": EVERYONE},
    ("auth.people", "GET"): {"": SECRETARIAT},
    ("auth.add_delegation", "POST"): {"": SECRETARIAT},
    ("auth.add_user", "POST"): {"": SECRETARIAT},
    ("auth.reset_password", "POST"): {"person=other": SECRETARIAT},
    ("auth.deactivate", "POST"): {"person=other": SECRETARIAT},
    ("auth.reactivate", "POST"): {"person=other": SECRETARIAT},
    ("auth.change_password", "GET"): {"": EVERYONE},
    ("auth.change_password", "POST"): {"": EVERYONE},
    ("auth.renew_feeds", "POST"): {"": EVERYONE},
    ("tokens.tokens", "GET"): {"": EVERYONE},
    ("tokens.tokens", "POST"): {"": EVERYONE},
    ("tokens.revoke", "POST"): {"token=mine": EVERYONE, "token=theirs": NOBODY_HIDDEN},
    ("audit.events", "GET"): {"": SECRETARIAT},
    ("audit.export_csv", "GET"): {"": SECRETARIAT},
    ("audit.export_json", "GET"): {"": SECRETARIAT},
    ("outbox.messages", "GET"): {"": SECRETARIAT},
    ("favicon", "GET"): {"": "A A A A A A"},
    # -------------------------------------------------------------------------- documents
    ("documents.index", "GET"): {"": EVERYONE},
    ("documents.new_document", "GET"): {"": SECRETARIAT},
    ("documents.new_document", "POST"): {"": SECRETARIAT},
    ("documents.document", "GET"): _DOCUMENT,
    ("documents.history", "GET"): _DOCUMENT,
    # The meeting screen shows the working draft to everyone taking part, as the room sees it.
    ("meeting.screen", "GET"): _DOCUMENT,
    ("meeting.live", "GET"): _DOCUMENT,
    # The editor tells the screen which paragraph it opened: the secretariat, on a working draft.
    ("meeting.opened", "POST"): {
        "version=working": SECRETARIAT_HIDDEN,
        "version=published": "L F F F F F",
    },
    ("documents.participants", "POST"): {"doc=part": SECRETARIAT, "doc=apart": SECRETARIAT_HIDDEN},
    ("documents.compare", "GET"): {**_DOCUMENT, "doc=part,q=working": SECRETARIAT_HIDDEN},
    ("documents.compare_docx", "GET"): {**_DOCUMENT, "doc=part,q=working": SECRETARIAT_HIDDEN},
    # The feed is read by feed readers with a token in its address; without one, and without
    # a login, there is no feed to find (404), not a login page.
    ("feeds.document_feed", "GET"): {
        "doc=part": "H A A A A A",
        "doc=apart": "H H H H H A",
    },
    ("importing.upload", "GET"): {"doc=part": SECRETARIAT, "doc=apart": SECRETARIAT_HIDDEN},
    ("importing.upload", "POST"): {"doc=part": SECRETARIAT, "doc=apart": SECRETARIAT_HIDDEN},
    ("importing.confirm", "POST"): {"doc=part": SECRETARIAT, "doc=apart": SECRETARIAT_HIDDEN},
    ("documents.version", "GET"): _VERSION,
    ("documents.export_markdown", "GET"): _VERSION,
    ("documents.export_docx", "GET"): _VERSION,
    ("documents.export_pdf", "GET"): _VERSION,
    ("documents.export_akn", "GET"): _VERSION,
    ("documents.publish", "POST"): {
        "version=working": SECRETARIAT_HIDDEN,
        "version=published": SECRETARIAT,  # the secretariat: "already published" (409)
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("consultations.new", "GET"): {
        "version=published": SECRETARIAT,
        "version=working": SECRETARIAT_HIDDEN,  # the secretariat: "publish it first" (409)
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("consultations.new", "POST"): {
        "version=published": SECRETARIAT,
        "version=working": SECRETARIAT_HIDDEN,
        "version=apart": SECRETARIAT_HIDDEN,
    },
    # ---------------------------------------------------------------------------- editing
    ("editing.start", "GET"): {
        "version=published": SECRETARIAT,
        "version=working": SECRETARIAT_HIDDEN,
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("editing.start", "POST"): {
        "version=published": SECRETARIAT,  # the secretariat: one working draft at a time (422)
        "version=working": SECRETARIAT_HIDDEN,
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("editing.editor", "GET"): _EDITOR,
    ("editing.paragraph", "GET"): _EDITOR,
    ("editing.edit_form", "GET"): _EDITOR,
    ("editing.save", "POST"): _EDITOR,
    ("editing.insert", "GET"): _EDITOR,
    ("editing.insert", "POST"): _EDITOR,
    ("editing.split", "GET"): _EDITOR,
    ("editing.split", "POST"): _EDITOR,
    ("editing.merge", "POST"): _EDITOR,
    ("editing.move", "POST"): _EDITOR,
    ("editing.delete", "POST"): _EDITOR,
    ("editing.apply", "POST"): {
        "version=working,comment=submitted": SECRETARIAT_HIDDEN,
        "version=working,comment=draft": NOBODY_HIDDEN,
        "version=published,comment=submitted": SECRETARIAT,  # 403 before the comment is read
        "version=published,comment=closed": SECRETARIAT,
    },
    # -------------------------------------------------------------------------- rounds
    ("consultations.consultation", "GET"): _ROUND,
    ("consultations.extend", "POST"): _ROUND_MANAGE,
    ("consultations.close", "POST"): _ROUND_MANAGE,
    ("comments.draft", "GET"): _ROUND,
    ("comments.new", "GET"): _ROUND_WRITE,
    ("comments.record", "GET"): _ROUND_MANAGE,
    ("comments.record", "POST"): _ROUND_MANAGE,
    ("comments.new", "POST"): _ROUND_WRITE,
    ("comments.submit_drafts", "POST"): _ROUND_WRITE,
    # A marked-up Word file: a delegate for their own delegation, the secretariat for any.
    ("word_file.upload", "GET"): _WORD_FILE,
    ("word_file.upload", "POST"): _WORD_FILE,
    ("word_file.confirm", "POST"): _WORD_FILE,
    ("compilation.compilation", "GET"): _COMPILATION,
    ("compilation.export_csv", "GET"): _COMPILATION,
    ("compilation.export_docx", "GET"): _COMPILATION,
    ("convergence.of_round", "GET"): _CONVERGENCE_ROUND,
    ("convergence.of_version", "GET"): _CONVERGENCE_VERSION,
    # -------------------------------------------------------------------------- comments
    ("comments.history", "GET"): _COMMENT_READ,
    ("comments.edit", "GET"): _COMMENT_CHANGE,
    ("comments.edit", "POST"): _COMMENT_CHANGE,
    ("comments.submit", "POST"): _COMMENT_CHANGE,
    ("comments.withdraw", "POST"): _COMMENT_CHANGE,
    ("comments.support", "POST"): _SUPPORT,
    ("comments.unsupport", "POST"): _SUPPORT,
    # Support and objection: as co-sponsoring (a delegate of another delegation, on an
    # amendment it can see); after the deadline the policy allows it too.
    ("comments.state_stance", "POST"): _SUPPORT,
    ("comments.withdraw_stance", "POST"): _SUPPORT,
    ("compilation.decide", "POST"): _DECIDE,
    # -------------------------------------------------------------------------- silence
    # Starting one: the secretariat, on a published version (the one already running on each
    # document makes it a 409, past the policy); breaking one: the delegates taking part.
    ("silence.start", "GET"): {
        "version=published": SECRETARIAT,
        "version=working": "L H H H H F",
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("silence.start", "POST"): {
        "version=published": SECRETARIAT,
        "version=working": "L H H H H F",
        "version=apart": SECRETARIAT_HIDDEN,
    },
    ("silence.silence", "GET"): {"silence=running": EVERYONE, "silence=apart": SECRETARIAT_HIDDEN},
    ("silence.break_silence", "POST"): {
        "silence=running": "L A A F F F",
        "silence=apart": "L H H H H F",
    },
    ("translations.upload", "GET"): _TRANSLATE,
    ("translations.upload", "POST"): _TRANSLATE,
    ("translations.confirm", "POST"): _TRANSLATE,
    ("translations.remaining", "GET"): _TRANSLATE,
    ("translations.update_paragraph", "POST"): _TRANSLATE,
    ("translations.publish", "POST"): _TRANSLATE,
    ("translations.side_by_side", "GET"): _VERSION,
    # ------------------------------------------------------------------------------ API
    ("api.openapi", "GET"): {"": "A A A A A A"},
    ("api.documents", "GET"): {"": EVERYONE},
    ("api.document", "GET"): _DOCUMENT,
    ("api.comparison", "GET"): {**_DOCUMENT, "doc=part,q=working": SECRETARIAT_HIDDEN},
    ("api.document_consultations", "GET"): _DOCUMENT,
    ("api.version", "GET"): _VERSION,
    ("api.consultation", "GET"): _ROUND,
    ("api.comments", "GET"): _ROUND,
    ("api.create_comment", "POST"): _ROUND_WRITE,
    ("api.comment", "GET"): _COMMENT_READ,
    ("api.edit_comment", "PATCH"): _COMMENT_CHANGE,
    ("api.submit_comment", "POST"): _COMMENT_CHANGE,
    ("api.withdraw_comment", "POST"): _COMMENT_CHANGE,
    # The uid is a paragraph of doc=part: on version=apart the API answers 404 for it.
    ("api.set_paragraph_status", "PUT"): {
        key: rights for key, rights in _MARK.items() if key != "version=apart"
    },
    # ----------------------------------------------------------------- paragraph status
    ("statuses.mark", "POST"): _MARK,
    ("statuses.mark_several", "POST"): _MARK,
    ("api.state_stance", "PUT"): _SUPPORT,
    ("api.withdraw_stance", "DELETE"): _SUPPORT,
}
