"""The sample declaration: delegations, one user per role and three drafts, from `drafts/`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from drafting.auth import operations as people
from drafting.auth.models import Delegation, User
from drafting.documents import operations as documents
from drafting.documents.models import Document
from drafting.extensions import db


@dataclass
class Sample:
    document: Document
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    created: bool = True

    def summary(self) -> str:
        state = "Loaded" if self.created else "Already loaded"
        lines = [
            f"{state}: “{self.document.title}” with versions "
            + ", ".join(f"{v.label} ({v.status.value})" for v in self.document.versions),
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
        documents.import_version(
            None, document, source, label=entry["label"], publish=entry.get("published", False)
        )
    db.session.flush()
    return Sample(document, logins)
