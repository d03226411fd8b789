"""Frontmatter rules for one case or answer: unknown and missing fields, each present
field by its kind (validate/values.py), then the rules across fields (ids, folders, dates).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from kb_tools.load.files import CASES_DIR, is_answer
from kb_tools.model import ERROR, WARNING, Answer, Case, Document, Finding, Registry
from kb_tools.schema import ANSWER_FIELDS, FIELDS, ID_PATTERN, Field
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.validate.run import Run
from kb_tools.validate.values import KIND_CHECKS

FIELD_SUGGESTERS = {
    id(table): Suggester({f.name: f.name for f in table}) for table in (FIELDS, ANSWER_FIELDS)
}
_BODY_LINK = re.compile(r"\[\[([^\[\]|\n]{1,80}?)(?:\|[^\[\]\n]{0,200})?\]\]")


class CaseValidator:
    """Checks the frontmatter of cases against one registry; reuse it for a whole run."""

    def __init__(self, registry: Registry, today: date) -> None:
        self.registry = registry
        self.today = today
        self.suggesters: dict[str, Suggester] = {}
        for vocab_id, vocab in registry.vocabularies.items():
            aliases: dict[str, str] = {}
            for term in vocab.terms:
                for alias in (*term.synonyms, term.label, term.id):
                    aliases[alias] = term.id
            self.suggesters[vocab_id] = Suggester(aliases)
        self.network_suggester = Suggester(
            {
                **{n.name: n.id for n in registry.networks.values()},
                **{n: n for n in registry.networks},
            }
        )

    def validate(
        self, doc: Document, answer: bool | None = None
    ) -> tuple[Case | Answer | None, list[Finding]]:
        """A case, or a helpdesk answer (``answer``; by default: a file under
        content/antwoorden/)."""
        if answer if answer is not None else is_answer(doc.rel):
            run = _DocumentRun(self, doc, ANSWER_FIELDS)
            return run.answer(), run.findings
        run = _DocumentRun(self, doc, FIELDS)
        return run.case(), run.findings


class _DocumentRun(Run):
    """The rules of one case or answer, over the fields of its table."""

    def __init__(self, validator: CaseValidator, doc: Document, fields: tuple[Field, ...]) -> None:
        super().__init__(validator, doc)
        self.fields = fields
        self.by_name = {f.name: f for f in fields}

    def check_fields(self, guide: str) -> None:
        """Unknown, missing and every present field of the table; ``guide`` lists them."""
        meta = self.meta
        for name in meta:
            if name not in self.by_name:
                options = FIELD_SUGGESTERS[id(self.fields)].close(str(name))
                hint = did_you_mean(options)
                self.add(
                    (name,),
                    "veld-onbekend",
                    f"Het veld '{name}' bestaat niet.",
                    hint or f"Zie de lijst met velden in content/handleiding/{guide}.",
                )
        for field in self.fields:
            if field.name not in meta or meta[field.name] is None:
                if field.required:
                    self.add(
                        (),
                        "veld-ontbreekt",
                        f"Het verplichte veld '{field.name}' ontbreekt.",
                        f"Voeg toe: '{field.name}: ...' ({field.description})",
                    )
                continue
            self.check_field(field, meta[field.name])

    def ask_for_sources(self, subject: str, what: str) -> None:
        if "bronnen" not in self.meta:
            self.add(
                (),
                "bronnen-ontbreken",
                f"{subject} noemt geen bronnen.",
                f"Voeg 'bronnen' toe, zodat lezers kunnen nagaan {what}.",
                WARNING,
            )

    def answer(self) -> Answer | None:
        self.check_fields("antwoordformaat.md")
        v = self.values
        if v.get("bijgewerkt") and v.get("datum") and v["bijgewerkt"] < v["datum"]:
            self.add(
                ("bijgewerkt",),
                "datum-volgorde",
                f"'bijgewerkt' ({v['bijgewerkt']}) ligt vóór 'datum' ({v['datum']}).",
                "Een antwoord kan pas worden bijgewerkt nadat het is gegeven.",
            )
        self.ask_for_sources("Het antwoord", "waar het antwoord op steunt")
        if any(f.severity == ERROR for f in self.findings):
            return None
        cited = (m.group(1).strip() for m in _BODY_LINK.finditer(self.doc.body))
        return Answer(
            id=v["id"],
            title=v["titel"],
            question=v["vraag"],
            summary=v["samenvatting"],
            path=self.doc.rel,
            meta=v,
            body=self.doc.body,
            date=v["datum"],
            updated=v.get("bijgewerkt"),
            links=tuple(dict.fromkeys(i for i in cited if i != v["id"])),
        )

    def case(self) -> Case | None:
        self.check_fields("casusformaat.md")
        self.check_identity()
        self.check_dates()
        self.ask_for_sources("De casus", "waar de feiten vandaan komen")
        if any(f.severity == ERROR for f in self.findings):
            return None
        v = self.values
        return Case(
            id=v["id"],
            title=v["titel"],
            summary=v["samenvatting"],
            network=v["netwerk"],
            path=self.doc.rel,
            meta=v,
            body=self.doc.body,
            published=v["gepubliceerd"],
            updated=v.get("bijgewerkt"),
            links=tuple(v.get("gerelateerd", ())),
        )

    def check_field(self, field: Field, value: Any) -> None:
        """A present field, by the check of its kind."""
        KIND_CHECKS[field.kind](self, field, value)

    def check_identity(self) -> None:
        """The id prefix belongs to the network, and the file sits in that network's folder."""
        network_id = self.values.get("netwerk")
        network = self.v.registry.networks.get(network_id or "")
        case_id = self.values.get("id")
        if network and case_id:
            prefix = ID_PATTERN.match(case_id).group(1)  # type: ignore[union-attr]
            if prefix != network.prefix:
                owner = next(
                    (n.name for n in self.v.registry.networks.values() if n.prefix == prefix), None
                )
                owned = f" Dat voorvoegsel is van {owner}." if owner else ""
                self.add(
                    ("id",),
                    "id-voorvoegsel",
                    f"De id {case_id} begint niet met '{network.prefix}', het voorvoegsel van "
                    f"{network.name}.{owned}",
                    f"Gebruik een nummer dat begint met {network.prefix}-.",
                )
        parts = PurePosixPath(self.doc.rel).parts
        if CASES_DIR in parts:
            rest = parts[parts.index(CASES_DIR) + 1 :]
            folder = rest[0] if len(rest) == 2 else None
            if folder is None:
                self.add(
                    (),
                    "map-onjuist",
                    "De casus staat niet direct in de map van een netwerk.",
                    f"Zet het bestand in content/{CASES_DIR}/<netwerk>/.",
                )
            elif network_id and folder != network_id:
                self.add(
                    ("netwerk",),
                    "netwerk-map",
                    f"De casus staat in de map '{folder}', maar 'netwerk' is '{network_id}'.",
                    f"Verplaats het bestand naar content/{CASES_DIR}/{network_id}/ "
                    f"of zet 'netwerk: {folder}'.",
                )

    def check_dates(self) -> None:
        published = self.values.get("gepubliceerd")
        updated = self.values.get("bijgewerkt")
        if published and updated and updated < published:
            self.add(
                ("bijgewerkt",),
                "datum-volgorde",
                f"'bijgewerkt' ({updated}) ligt vóór 'gepubliceerd' ({published}).",
                "Een casus kan pas worden bijgewerkt na de publicatie.",
            )
        if self.values.get("fase") == "gestopt" and self.values.get("actief") == "ja":
            self.add(
                ("actief",),
                "actief-gestopt",
                "De fase is 'gestopt', maar 'actief' is 'ja'.",
                "Zet 'actief: nee' of kies een andere fase.",
                WARNING,
            )
