"""A person's contact details without a recorded consent reach no output: not the pages
(template data and Markdown), the JSON-LD, the open data (JSON and CSV), the feed or the
search records. ``kb controleer`` refuses such a case (``contact-toestemming``), so the build
never gets one; the rule that decides what is public still lives in one function
(``enrich.privacy.public_contact``), which ``build_corpus`` applies before any output reads
a case. This test hands the outputs such a case anyway and looks at every byte."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from kb_tools.enrich import build_corpus
from kb_tools.enrich.privacy import public_contact
from kb_tools.index import pagefind, records
from kb_tools.render.opendata import write_feed, write_open_data
from kb_tools.render.pages import build_pages
from kb_tools.render.views import case_view
from kb_tools.validate import check_content

NAME, EMAIL, PHONE = "Wilhelmina Zwartkopje", "w.zwartkopje@voorbeeld.nl", "06-98765432"
OTHER_NAME = "Bartholomeus Vlinderslag"
PERSONAL = (NAME.lower(), "zwartkopje", EMAIL, PHONE, "98765432")


def test_public_contact_keeps_the_organisation_and_never_the_consent() -> None:
    contact = {"organisatie": "Stadsdorp", "naam": NAME, "email": EMAIL, "telefoon": PHONE}
    assert public_contact(contact) == {"organisatie": "Stadsdorp"}
    consented = {**contact, "toestemming": "2025-01-01"}
    assert public_contact(consented) == {
        "organisatie": "Stadsdorp",
        "naam": NAME,
        "email": EMAIL,
        "telefoon": PHONE,
    }
    assert public_contact(None) == {}


def test_kb_check_refuses_a_contact_without_consent(content: Path) -> None:
    case = next((content / "casussen").rglob("ams-0900.md"))
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("  website: https://example.org\n", f"  naam: {NAME}\n", 1))
    codes = {f.code for f in check_content(content).findings}
    assert "contact-toestemming" in codes


def outputs(content: Path, tmp: Path, contact: dict, other: dict) -> str:
    """Everything the site publishes of a corpus in which ams-0900 has ``contact`` and
    ams-0901 ``other``, as one lower-case text."""
    cases = []
    for case in check_content(content).cases:
        given = {"ams-0900": contact, "ams-0901": other}.get(case.id)
        cases.append(dataclasses.replace(case, meta={**case.meta, "contact": given}))
    corpus = build_corpus(check_content(content).registry, cases)
    site = tmp / "site"
    parts = []
    for page in build_pages(corpus, "https://kennisbank.example/"):
        parts += [page.markdown, json.dumps(page.data, default=str, ensure_ascii=False)]
    for case in corpus.cases:
        view = case_view(case, corpus, "https://kennisbank.example/")
        parts.append(json.dumps(view, default=str, ensure_ascii=False))  # incl. JSON-LD
        parts += [*records.term_labels(case, corpus.registry, synonyms=True)]
    written = write_open_data(corpus, site, "https://kennisbank.example/")
    written.append(write_feed(corpus, site, "https://kennisbank.example/", "Kennisbank"))
    parts += [p.read_text(encoding="utf-8") for p in written]
    parts.append(json.dumps(pagefind.records(corpus, {}), ensure_ascii=False))
    return "\n".join(parts).lower()


def test_no_output_holds_a_contact_without_consent(content: Path, tmp_path: Path) -> None:
    personal = {"organisatie": "Stadsdorp Proefwijk", "naam": NAME, "email": EMAIL}
    personal["telefoon"] = PHONE
    consented = {"organisatie": "Buurtkring", "naam": OTHER_NAME, "toestemming": "2025-03-17"}
    text = outputs(content, tmp_path, personal, consented)
    assert not [word for word in PERSONAL if word in text]
    assert "stadsdorp proefwijk" in text  # the organisation is public
    # The same outputs publish the contact that has a consent: the test can see contacts.
    assert OTHER_NAME.lower() in text
    assert "2025-03-17" not in text  # the consent itself is never published
    data = json.loads((tmp_path / "site" / "data" / "casussen.json").read_text("utf-8"))
    first = next(c for c in data["casussen"] if c["id"] == "ams-0900")
    assert first["contact"] == {"organisatie": "Stadsdorp Proefwijk"}
