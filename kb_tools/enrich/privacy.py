"""Enrich, privacy: the one rule for what of a case's contact details is public.

``build_corpus`` applies it to every case, so every output that reads the corpus (pages,
JSON, CSV, JSON-LD, the feed, search records) only ever sees the public part.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kb_tools.model import Case
from kb_tools.schema import CONTACT_KEYS, PERSONAL_CONTACT_KEYS

CONSENT_KEY = "toestemming"
#: Public without consent: the organisation, not a person.
ORGANISATION_KEYS = tuple(k for k in CONTACT_KEYS if k not in (*PERSONAL_CONTACT_KEYS, CONSENT_KEY))


def public_contact(contact: dict[str, Any] | None) -> dict[str, Any]:
    """The contact details that may be published: a person's name, e-mail and phone only
    with a recorded consent (a date in ``toestemming``); the consent itself never."""
    contact = contact or {}
    shown = CONTACT_KEYS if contact.get(CONSENT_KEY) else ORGANISATION_KEYS
    return {k: contact[k] for k in shown if k != CONSENT_KEY and contact.get(k)}


def public_case(case: Case) -> Case:
    """The case as every output may show it."""
    if "contact" not in case.meta:
        return case
    meta = {k: v for k, v in case.meta.items() if k != "contact"}
    contact = public_contact(case.meta["contact"])
    if contact:
        meta["contact"] = contact
    return replace(case, meta=meta)
