"""The Akoma Ntoso export: every version, the sample and every corpus document, validates
against the OASIS schema, and a paragraph keeps its eId from one draft to the next."""

from __future__ import annotations

from datetime import date

import pytest

from drafting.exports.akn import AknDraft, AknEvent, build_akn, version_akn
from drafting.text.draft_format import Block, parse_draft
from tests.exports.akn_schema import AKN, valid_akn
from tests.exports.readers import CORPUS

CORPUS_DRAFTS = sorted(
    str(path.relative_to(CORPUS))
    for path in CORPUS.glob("**/*.md")
    if path.name not in {"SOURCE.md", "README.md"}
) or ["(the shared corpus is missing)"]


def akn_of(source: str | list[Block], **fields) -> bytes:
    """The XML of a draft given as Markdown (or blocks), each block with a made-up uid, without
    a database."""
    blocks = parse_draft(source) if isinstance(source, str) else source
    fields = {"document_id": 1, "title": "Declaration", "created": date(2029, 1, 1), **fields}
    return build_akn(
        AknDraft(
            version=AknEvent("Draft 1", date(2029, 2, 1), 2),
            blocks=[(f"uid{n:04d}", block) for n, block in enumerate(blocks)],
            **fields,
        )
    )


def eids(root) -> dict[str, str]:
    """{printed label or first words: eId} of the paragraphs and recitals."""
    found = {}
    for element in root.iter(f"{AKN}paragraph", f"{AKN}point", f"{AKN}recital"):
        num = element.find(f"{AKN}num")
        key = num.text if num is not None else "".join(element.itertext()).split()[0]
        found[key] = element.get("eId")
    return found


def test_the_sample_declaration_validates_with_its_preamble_and_numbered_paragraphs(
    create_document, sample_source
):
    document = create_document(("Zero draft", sample_source, True))
    root = valid_akn(version_akn(document.versions[0]))
    assert root.findtext(f".//{AKN}docTitle") == "Ministerial Declaration on Safe Routes"
    recital = root.find(f".//{AKN}preamble//{AKN}recital")
    assert recital.findtext(f".//{AKN}i") == "Recalling"
    headings = [h.text for h in root.iter(f"{AKN}heading")]
    assert headings == ["Part I: Principles", "Part II: Action"]
    assert [n.text for n in root.iter(f"{AKN}num")] == ["1.", "2.", "3.", "4."]
    assert root.find(f".//{AKN}paragraph[{AKN}num='2.']//{AKN}b").text == "safe"


@pytest.mark.parametrize("name", CORPUS_DRAFTS)
def test_every_corpus_document_validates(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip("../shared/corpus is not beside the checkout")
    root = valid_akn(akn_of(path.read_text(encoding="utf-8")))
    assert len(list(root.iter(f"{AKN}paragraph"))) > 0


@pytest.mark.parametrize(
    "folder", ["canada-official-languages-act", "eu-digital-markets-act", "de-grundgesetz"]
)
def test_a_corpus_text_imported_twice_keeps_the_eids_of_the_paragraphs_it_carries_over(
    create_document, folder
):
    if not (CORPUS / folder).is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    old, new = ((CORPUS / folder / f"{v}.md").read_text(encoding="utf-8") for v in ("v1", "v2"))
    first, second = create_document(("v1", old, True), ("v2", new, False), title=folder).versions
    old_eids, new_eids = (
        {e.get("eId") for e in valid_akn(version_akn(v)).iter() if e.get("eId")}
        for v in (first, second)
    )
    kept = {p.uid for p in first.paragraphs if p.kind != "title"} & {
        p.uid for p in second.paragraphs
    }
    assert len(kept) > 10
    for uid in kept:
        ids = {f"para_{uid}", f"sec_{uid}"}
        assert len(ids & old_eids) == 1 and ids & old_eids == ids & new_eids


def test_a_renumbered_paragraph_keeps_its_eid_in_the_next_draft(create_document, sample_source):
    inserted = sample_source.replace("4. We will", "5. We will").replace(
        "3. We support", "3. We welcome the report.\n\n4. We support"
    )
    document = create_document(("Zero draft", sample_source, True), ("Draft 1", inserted, False))
    zero, draft = (valid_akn(version_akn(v)) for v in document.versions)
    assert eids(zero)["3."] == eids(draft)["4."]
    assert eids(zero)["2."] == eids(draft)["2."]
    assert eids(draft)["3."] not in eids(zero).values()


@pytest.mark.parametrize(
    "text",
    [
        "Control \x00\x01\x0b\x1f characters and a lone \ud800 surrogate \ufffe.",
        "Article 5 < Article 6 & <b>not bold</b> AT&T ]]> --> <!-- \"'",
        "[" * 10_000,
        "]" * 5_000 + "{EU}" * 2_000,
        "*" * 5_000 + "_" * 5_000 + "`" * 3_000,
        "[shall]{EU}[should]{RUS TUR} " * 2_000,
        "[a](<https://x.org/a b[c]%zz#d#e>) [b](https://:@@:x) [c](javascript:alert(1))",
        "line  \nbreak\\\n* * 1991\n> quoted\n# not a heading",
    ],
)
def test_adversarial_text_still_gives_valid_xml(text):
    blocks = [
        Block("title", f"A title with \x07 {text[:50]}"),
        Block("paragraph", text),
        Block("heading", text, level=2),
        Block("paragraph", text, label="1."),
        Block("paragraph", text, label="(a)"),
    ]
    root = valid_akn(akn_of(blocks, title=text))
    assert root.find(f".//{AKN}mainBody/{AKN}section/{AKN}paragraph/{AKN}point") is not None


def test_brackets_are_spans_that_name_the_delegations_holding_them(
    create_document, create_delegation
):
    create_delegation("RUS", name="Russian Federation")
    text = "# Declaration\n\n1. States [shall]{EU}[should]{RUS} act [on return].\n"
    root = valid_akn(version_akn(create_document(("Zero draft", text, True)).versions[0]))
    alternatives = root.find(f".//{AKN}span[@class='alternatives']")
    brackets = alternatives.findall(f"{AKN}span[@class='bracket']")
    assert ["".join(b.itertext()) for b in brackets] == ["[shall]EU", "[should]RUS"]
    assert [b.findtext(f"{AKN}sup") for b in brackets] == ["EU", "RUS"]
    assert [b.get("refersTo") for b in brackets] == ["#org_eu", "#org_rus"]
    names = {o.get("eId"): o.get("showAs") for o in root.iter(f"{AKN}TLCOrganization")}
    assert names["org_rus"] == "Russian Federation" and names["org_eu"] == "EU"
    passage = root.findall(f".//{AKN}p/{AKN}span[@class='bracket']")
    assert "".join(passage[-1].itertext()) == "[on return]"


def test_emphasis_and_links_become_i_b_and_a():
    root = valid_akn(
        akn_of("1. The Parties **shall** *endeavour* to [cooperate](<https://x.org/a b>).")
    )
    p = root.find(f".//{AKN}paragraph//{AKN}p")
    assert "".join(p.itertext()) == "The Parties shall endeavour to cooperate."
    assert p.findtext(f"{AKN}b") == "shall" and p.findtext(f"{AKN}i") == "endeavour"
    assert p.find(f"{AKN}a").get("href") == "https://x.org/a%20b"


def test_the_identification_names_the_document_the_version_and_its_hash(
    create_document, sample_source
):
    document = create_document(
        ("Zero draft", sample_source, True), ("Draft 1", sample_source, True)
    )
    draft = document.versions[1]
    root = valid_akn(version_akn(draft))
    expression = root.find(f".//{AKN}FRBRExpression/{AKN}FRBRuri").get("value")
    assert expression.endswith(f"/{document.id}/eng@draft-1")
    aliases = {a.get("name"): a.get("value") for a in root.iter(f"{AKN}FRBRalias")}
    assert aliases == {"versionLabel": "Draft 1", "sha256": draft.text_hash}
    events = [e.get("type") for e in root.iter(f"{AKN}eventRef")]
    assert events == ["generation", "amendment"]


def test_a_version_of_only_its_title_still_has_a_main_body():
    root = valid_akn(akn_of("# Only a title"))
    assert root.findtext(f".//{AKN}docTitle") == "Only a title"
    assert root.find(f".//{AKN}mainBody/{AKN}p") is not None


def test_uids_that_read_alike_once_made_safe_still_give_distinct_eids():
    blocks = [Block("paragraph", "One.", label="1."), Block("paragraph", "Two.", label="2.")]
    xml = build_akn(
        AknDraft(
            document_id=1,
            title="Declaration",
            version=AknEvent("Draft 1", date(2029, 2, 1), 2),
            blocks=list(zip(["a b", "a_b"], blocks, strict=True)),
            created=date(2029, 1, 1),
        )
    )
    assert sorted(eids(valid_akn(xml)).values()) == ["para_a_b", "para_a_b-2"]


def test_every_holder_a_bracket_names_is_in_the_references():
    root = valid_akn(akn_of("1. We [shall]{EU}.", title="Declaration [of Vienna]{AUT}"))
    organisations = {f"#{o.get('eId')}" for o in root.iter(f"{AKN}TLCOrganization")}
    referred = {r for s in root.iter(f"{AKN}span") for r in (s.get("refersTo") or "").split()}
    assert referred == {"#org_aut", "#org_eu"} and referred <= organisations
