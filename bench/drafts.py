"""The draft pages, the comparison, the editor and the draft's exports at the size of a large
negotiation: server time and bytes against issue 14's goals.

Builds the database of ``bench/consultations.py`` (1,000 paragraphs × 5,000 comments from 40
delegations, and 20 × 50), kept in a file between runs with ``--keep FILE``, opens a working
draft from each Draft 1, and prints for each page its median server time and the bytes it sends
(goal: 300 ms, 1 MB), for each step of the editor on one paragraph (fetch, edit form, save:
goal 50 ms, the same at 20 and 1,000 paragraphs), and for the Word and PDF exports (goal 1 s).

    .venv/bin/python bench/drafts.py [--runs 5] [--keep /tmp/drafts-bench.sqlite]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import consultations as built  # noqa: E402
from sqlalchemy import select  # noqa: E402

from drafting.auth.models import User  # noqa: E402
from drafting.consultations.models import Consultation  # noqa: E402
from drafting.documents.editing import open_working_draft  # noqa: E402
from drafting.documents.models import Document, Paragraph, ParagraphKind  # noqa: E402
from drafting.extensions import db  # noqa: E402

PAGE_MS, PAGE_BYTES, EDIT_MS, EXPORT_MS = 300, 1_000_000, 50, 1_000


def timed(client, method: str, url: str, runs: int, data_of=None) -> tuple[float, int, int]:
    """Median seconds, bytes and status of ``runs`` requests after a warm-up."""
    times, response = [], None
    for run in range(runs + 1):
        started = time.perf_counter()
        if method == "GET":
            response = client.get(url, headers={"HX-Request": "true"} if data_of else {})
        else:
            response = client.post(url, data=data_of(run), headers={"HX-Request": "true"})
        if run:
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(response.data), response.status_code


def cases_of(app) -> dict[str, dict]:
    """The ids each size's pages need, found by the documents' titles."""
    found = {}
    with app.app_context():
        for name, (paragraphs, _comments) in built.SIZES.items():
            title = f"Declaration of {paragraphs:,} paragraphs"
            document = db.session.scalar(select(Document).where(Document.title == title))
            versions = sorted(document.versions, key=lambda v: v.id)
            consultation = db.session.scalar(
                select(Consultation).where(Consultation.version_id == versions[0].id)
            )
            working = next((v for v in versions if not v.is_published), None)
            if working is None:
                secretariat = db.session.scalar(
                    select(User).where(User.email == "secretariat@bench.example.org")
                )
                working = open_working_draft(secretariat, versions[1], label="Draft 2")
                db.session.commit()
            uid = db.session.scalar(
                select(Paragraph.uid)
                .where(
                    Paragraph.version_id == working.id, Paragraph.kind == ParagraphKind.PARAGRAPH
                )
                .order_by(Paragraph.position)
                .offset(paragraphs // 2)
                .limit(1)
            )
            found[name] = {
                "document": document.id,
                "zero": versions[0].id,
                "draft_1": versions[1].id,
                "working": working.id,
                "consultation": consultation.id,
                "uid": uid,
            }
    return found


def page_urls(ids: dict) -> list[tuple[str, str, str]]:
    compare = f"/documents/{ids['document']}/compare?old={ids['zero']}&new={ids['draft_1']}"
    return [
        ("delegation's draft page", "delegate", f"/consultations/{ids['consultation']}/draft"),
        ("Draft 1, earlier comments", "delegate", f"/versions/{ids['draft_1']}"),
        ("comparison", "delegate", compare),
        ("comparison, changes only", "delegate", compare + "&changes=only"),
        ("comparison, own comments", "delegate", compare + "&mine=1"),
        ("editor page", "secretariat", f"/versions/{ids['working']}/edit"),
        ("Word of Draft 1", "delegate", f"/versions/{ids['draft_1']}.docx"),
        ("PDF of Draft 1", "delegate", f"/versions/{ids['draft_1']}.pdf"),
    ]


def editor_steps(client, ids: dict, runs: int) -> list[tuple[str, float, int, int]]:
    base = f"/versions/{ids['working']}/edit/{ids['uid']}"
    form = client.get(base + "/form", headers={"HX-Request": "true"}).get_data(as_text=True)
    revision = int(re.search(r'name="revision" value="(\d+)"', form).group(1))
    source = re.search(r"<textarea[^>]*>([^<]*)</textarea>", form).group(1).strip()
    source = source.replace("&#39;", "'").replace("&amp;", "&")
    state = {"revision": revision}

    def data(run: int) -> dict:
        sent = {"source": f"{source} (edit {run})", "revision": state["revision"]}
        state["revision"] += 1
        return sent

    return [
        ("fetch one paragraph", *timed(client, "GET", base, runs, data_of=True)),
        ("its edit form", *timed(client, "GET", base + "/form", runs, data_of=True)),
        ("save it", *timed(client, "POST", base, runs, data_of=data)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="FILE", help="SQLite file kept between runs")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-drafts-") as folder:
        path = Path(arguments.keep or Path(folder) / "bench.sqlite")
        fresh = not path.exists()
        app = built.make_app(f"sqlite:///{path}")
        app.config["WTF_CSRF_ENABLED"] = False
        if fresh:
            built.migrate(app, postgres=False)
            built.fill(app)
        ids = cases_of(app)
        readers = {
            "secretariat": "secretariat@bench.example.org",
            "delegate": "delegate.qaa@bench.example.org",
        }
        clients = {who: built.logged_in(app, email) for who, email in readers.items()}
        print(f"{'page':<30}{'large ms':>10}{'small ms':>10}{'large bytes':>13}{'goal':>16}")
        for (page, who, large), (_p, _w, small) in zip(
            page_urls(ids["large"]), page_urls(ids["small"]), strict=True
        ):
            big = timed(clients[who], "GET", large, arguments.runs)
            little = timed(clients[who], "GET", small, arguments.runs)
            export = "Word" in page or "PDF" in page
            goal = f"{EXPORT_MS} ms" if export else f"{PAGE_MS} ms, 1 MB"
            flag = "" if big[2] == 200 else f" (status {big[2]})"
            print(
                f"{page:<30}{big[0] * 1e3:>10.0f}{little[0] * 1e3:>10.0f}{big[1]:>13,}"
                f"{goal:>16}{flag}"
            )
        print(f"\n{'editor, one paragraph':<30}{'large ms':>10}{'small ms':>10}{'ratio':>8}")
        steps = zip(
            editor_steps(clients["secretariat"], ids["large"], arguments.runs),
            editor_steps(clients["secretariat"], ids["small"], arguments.runs),
            strict=True,
        )
        for (step, big, _b, status, *_), (_s, little, *_rest) in steps:
            flag = "" if status == 200 else f" (status {status})"
            print(
                f"{step:<30}{big * 1e3:>10.1f}{little * 1e3:>10.1f}{big / little:>8.1f}"
                f"   goal {EDIT_MS} ms, ratio ~1{flag}"
            )
        print(f"\nmedians of {arguments.runs} requests through the test client, SQLite.")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
