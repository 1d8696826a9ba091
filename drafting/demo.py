"""The sample declaration: delegations, one user per role and three drafts, from `drafts/`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from drafting.auth import operations as people
from drafting.auth.models import Delegation, User
from drafting.consultations import commenting, decisions, recording, rounds
from drafting.consultations.models import Consultation
from drafting.database import utcnow
from drafting.documents import importing, statuses, translations
from drafting.documents import operations as documents
from drafting.documents.models import AgreementStatus, Document
from drafting.documents.translation_alignment import align_translation
from drafting.extensions import db
from drafting.times import format_instant, to_utc


@dataclass
class Sample:
    document: Document
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    created: bool = True

    def _rounds(self) -> list[str]:
        rounds = db.session.scalars(
            select(Consultation)
            .where(Consultation.version.has(document_id=self.document.id))
            .order_by(Consultation.id)
        ).all()
        return [
            f"Round of comments: “{c.title}”, deadline {format_instant(c.closes_dt, c.timezone)}"
            for c in rounds
        ]

    def summary(self) -> str:
        state = "Loaded" if self.created else "Already loaded"
        lines = [
            f"{state}: “{self.document.title}” with versions "
            + ", ".join(f"{v.label} ({v.status.value})" for v in self.document.versions),
            *self._rounds(),
            "",
            f"Sample logins:\n  {'role':<12} {'e-mail':<28} {'password':<24} delegation",
        ]
        lines += [
            f"  {role:<12} {email:<28} {password:<24} {code}"
            for role, email, password, code in self.logins
        ]
        return "\n".join(lines)


def load_sample(force: bool = False) -> Sample:
    """Load the sample into the database (flushes; the caller commits). Safe to run twice."""
    sample_dir = current_app.config["SAMPLE_DIR"]
    spec = tomllib.loads((sample_dir / "sample.toml").read_text(encoding="utf-8"))
    logins = [(u["role"], u["email"], u["password"], u["delegation"]) for u in spec["users"]]
    title = spec["document"]["title"]
    existing = db.session.scalar(select(Document).where(Document.title == title))
    if existing is not None and not force:
        return Sample(existing, logins, created=False)

    by_code = {d.code: d for d in db.session.scalars(select(Delegation))}
    for entry in spec["delegations"]:
        if entry["code"] not in by_code:
            by_code[entry["code"]] = people.create_delegation(
                None, name=entry["name"], code=entry["code"], kind=entry["kind"]
            )
    known = set(db.session.scalars(select(User.email)))
    for entry in spec["users"]:
        if entry["email"] not in known:
            people.create_user(
                None,
                email=entry["email"],
                name=entry["name"],
                role=entry["role"],
                delegation=by_code[entry["delegation"]],
                password=entry["password"],
            )

    document = documents.create_document(None, title=title, participants=list(by_code.values()))
    for entry in spec["versions"]:
        source = (sample_dir / entry["file"]).read_text(encoding="utf-8")
        importing.import_version(
            None, document, source, label=entry["label"], publish=entry.get("published", False)
        )
    db.session.flush()
    users = {u.email: u for u in db.session.scalars(select(User))}
    secretariat = users[next(u["email"] for u in spec["users"] if u["role"] == "secretariat")]
    for entry in spec.get("translations", []):
        source = (sample_dir / entry["file"]).read_text(encoding="utf-8")
        _translate_sample(secretariat, _sample_version(document, entry["version"]), entry, source)
    for entry in spec.get("statuses", []):
        version = _sample_version(document, entry["version"])
        statuses.set_paragraph_status(
            users[entry["by"]],
            version,
            _sample_paragraph(version, entry["paragraph"]),
            AgreementStatus(entry["status"]),
            note=entry.get("note", ""),
        )
    if "consultation" in spec:
        _open_sample_round(document, spec["consultation"], spec["dialogue"]["secretariat"])
    return Sample(document, logins)


def _sample_version(document: Document, label: str):
    return next(v for v in document.versions if v.label == label)


def _translate_sample(secretariat: User, version, entry: dict, source: str) -> None:
    """Store the sample's translation paragraph by paragraph, as the secretariat does on the
    translation page; the paragraph the sample leaves out (absent from the file) stays to
    translate."""
    left_out = _sample_paragraph(version, entry.get("untranslated"))
    originals = [p for p in version.paragraphs if p is not left_out]
    alignment = align_translation(originals, translations.read_translation(source))
    if not alignment.is_complete:
        raise LookupError(
            f"The sample's translation does not align: {alignment.describe_problems()}"
        )
    for row in alignment.rows:
        translations.update_paragraph(
            secretariat, version, entry["language"], row.original.uid, row.block.text
        )


def _open_sample_round(document: Document, spec: dict, secretariat_code: str) -> None:
    """Open the sample's round of comments and write its comments as the sample people."""
    version = next(v for v in document.versions if v.label == spec["version"])
    closes = datetime.strptime(spec["closes"], "%Y-%m-%d %H:%M")
    deadline = to_utc(closes.date(), closes.time(), spec["timezone"])
    now = utcnow()
    if deadline <= now:  # a sample loaded after its date still shows an open round
        deadline = now + timedelta(days=30)
    consultation = rounds.open_consultation(
        None,
        version,
        title=spec["title"],
        opens_dt=now - timedelta(hours=1),
        closes_dt=deadline,
        timezone=spec["timezone"],
        invited=[d for d in document.participants if d.code != secretariat_code],
        visibility=spec["visibility"],
        late_rule=spec["late_rule"],
        instructions=spec.get("instructions", "").strip(),
    )
    by_email = {u.email: u for u in db.session.scalars(select(User))}
    secretariat = next(u for u in by_email.values() if u.is_secretariat)
    for entry in spec.get("comments", []):
        paragraph = _sample_paragraph(version, entry.get("paragraph"))
        comment, _ = commenting.create_comment(
            by_email[entry["by"]],
            consultation,
            kind=entry["kind"],
            paragraph_uid=paragraph.uid if paragraph else None,
            quote=entry.get("quote", ""),
            body=entry.get("body", ""),
            proposed_text=entry.get("proposed_text", ""),
            submit=entry.get("submit", False),
        )
        if decision := entry.get("decision"):
            link = {}
            if where := decision.get("reflected_paragraph"):
                # Linked by identity, so the page names it by its number of the day.
                label = decision["reflected_version"]
                later = next(v for v in document.versions if v.label == label)
                reflecting = _sample_paragraph(later, where)
                link = {"reflected_paragraph_uid": reflecting.uid, "reflected_version_id": later.id}
            decisions.record_decision(
                secretariat,
                comment,
                outcome=decision["outcome"],
                justification=decision.get("justification", ""),
                is_shared=decision.get("shared", True),
                reflected_in=decision.get("reflected_in", ""),
                **link,
            )
    by_code = {d.code: d for d in document.participants}
    for entry in spec.get("recorded", []):
        paragraph = _sample_paragraph(version, entry.get("paragraph"))
        recording.record_comment(
            secretariat,
            consultation,
            by_code[entry["delegation"]],
            kind=entry["kind"],
            source=entry["source"],
            received_dt=utcnow() - timedelta(minutes=30),
            paragraph_uid=paragraph.uid if paragraph else None,
            quote=entry.get("quote", ""),
            body=entry.get("body", ""),
            proposed_text=entry.get("proposed_text", ""),
        )


def _sample_paragraph(version, key: str | None):
    if not key:
        return None
    for paragraph in version.paragraphs:
        if paragraph.label == key or paragraph.text.startswith(key):
            return paragraph
    raise LookupError(f"The sample names a paragraph that {version.label} lacks: {key!r}")
