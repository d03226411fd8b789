"""``kb codeowners``: ``.github/CODEOWNERS`` generated from the network registry. Each
network's maintainers review the cases in their own folder; the core team reviews the rest.
"""

from __future__ import annotations

from collections.abc import Mapping

from kb_tools.model import Network

CORE_TEAM = "@zorgzame-kennisbank/kern"
OUTPUT = ".github/CODEOWNERS"

#: Paths the core team owns explicitly (documentation for readers; `*` already covers them).
CORE_PATHS = (
    "/content/vocabulaires/",
    "/content/netwerken.yml",
    "/content/bronnen.yml",
    "/content/gepubliceerd.yml",
    "/content/casus.schema.json",
    "/content/handleiding/",
    "/content/antwoorden/",
    "/kb_tools/",
    "/tests/",
    "/overrides/",
    "/mkdocs.yml",
    "/pyproject.toml",
    "/Makefile",
    "/.ci/",
    "/.github/",
)

HEADER = f"""\
# Wie wat nakijkt: GitHub vraagt deze teams of accounts om een review.
# NIET MET DE HAND AANPASSEN. Dit bestand wordt gemaakt uit content/netwerken.yml met:
#   kb codeowners --out {OUTPUT}
# Het laatste patroon dat past, telt. Daarom staan de mappen van de netwerken onderaan.
"""


def network_folder(network_id: str) -> str:
    return f"/content/casussen/{network_id}/"


def render(networks: Mapping[str, Network], core: str = CORE_TEAM) -> str:
    """The CODEOWNERS text: core team first, then one line per network folder (in
    CODEOWNERS the last matching pattern wins, so the catch-all must come first)."""
    width = max([len(p) for p in CORE_PATHS] + [len(network_folder(n)) for n in networks])
    lines = [HEADER, "# Kernteam: alles wat niet van één netwerk is.", f"{'*':<{width}} {core}"]
    lines += [f"{path:<{width}} {core}" for path in CORE_PATHS]
    lines += ["", "# Netwerken: hun eigen casussen."]
    for network_id in sorted(networks):
        owners = " ".join(networks[network_id].maintainers) or core
        lines.append(f"{network_folder(network_id):<{width}} {owners}")
    return "\n".join(lines) + "\n"
