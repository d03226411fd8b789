"""The JSON of ``kb meten`` (``--json``, ``--out``): the measurement of ``benchmark.run``
with the Dutch keys of every other ``kb --json`` output. The measuring modules keep their
own (English) names; this table is the one place where the output's keys are declared,
and content/handleiding/json-meten.md documents each of them."""

from __future__ import annotations

from typing import Any

#: Measured key -> key in the output.
KEYS = {
    "machine": "machine",
    "cores": "kernen",
    "memory_mb": "geheugen_mb",
    "python": "python",
    "platform": "platform",
    "targets": "doelen",
    "check_seconds_10k": "controle_seconden_10k",
    "check_folder_seconds_10k": "controle_map_seconden_10k",
    "build_ratio_to_stock": "bouw_verhouding_stock",
    "growth_10x": "groei_10x",
    "peak_memory_mb": "piekgeheugen_mb",
    "runs": "metingen",
    "cases": "casussen",
    "generate_seconds": "maken_seconden",
    "check": "controle",
    "check_folder": "controle_map",
    "folder": "map",
    "seconds": "seconden",
    "peak_mb": "piek_mb",
    "cpu_seconds": "cpu_seconden",
    "cpu": "cpu_seconden_per_deel",
    "workers": "werkers",
    "cpu_floor_seconds": "ondergrens_seconden",
    "build": "bouw",
    "stages": "stappen",
    "load": "laden",
    "similarity": "vergelijkbaar",
    "enrich": "verrijken",
    "pages": "paginas",
    "render": "weergave",
    "search": "zoekindex",
    "opendata": "open_data",
    "background": "achtergrond",
    "documents": "zoekdocumenten",
    "pagefind": "pagefind",
    "site": "website",
    "case_page_bytes": "casuspagina_bytes",
    "median": "mediaan",
    "max": "max",
    "total_bytes": "totaal_bytes",
    "search_index_bytes": "zoekindex_bytes",
    "search_index_gzip_bytes": "zoekindex_gzip_bytes",
    "query_bytes": "zoekvraag_bytes",
    "query_bytes_max": "zoekvraag_bytes_max",
    "first_result_ms": "eerste_resultaat_ms",
    "first_result_ms_max": "eerste_resultaat_ms_max",
    "startup_bytes": "opstart_bytes",
    "filter_bytes": "filter_bytes",
    "ready_ms": "klaar_ms",
    "query": "zoekvraag",
    "browser_fout": "browser_fout",
    "zoek": "zoek",
    "index_build": "index_maken",
    "query_ms": "zoekvraag_ms",
    "query_ms_max": "zoekvraag_ms_max",
    "stock": "stock",
    "ratio": "verhouding",
    "build_seconds": "bouw_seconden",
    "case_page_median": "casuspagina_mediaan",
    "growth": "groei",
    "cases_factor": "factor_casussen",
    "stock_build": "stock_bouw",
    "hostile": "vijandig",
    "base": "basis",
    "check_extra_max": "controle_extra_max",
    "build_extra_max": "bouw_extra_max",
    "shapes": "vormen",
    "soort": "soort",
    "geweigerd": "geweigerd",
    "gebouwd": "gebouwd",
    "quality": "kwaliteit",
    "queries": "aantal_zoekvragen",
    "page": "zoekpagina",
    "recall_at_5": "recall_at_5",
    "mrr": "mrr",
    "failed": "gemist",
    "vraag": "vraag",
    "vorm": "vorm",
    "goed": "goed",
    "top": "eerste_5",
    "onderwerp": "onderwerp",
    "rang": "rang",
    "fout": "fout",
    "save_to_screen_seconds_1k": "opslaan_tot_scherm_seconden_1k",
    "save_to_screen_seconds_10k": "opslaan_tot_scherm_seconden_10k",
    "tree_peak_mb": "piek_mb_processen",
    "tree_pss_peak_mb": "pss_piek_mb_processen",
    "save_to_screen": "opslaan_tot_scherm",
    "start_seconds": "start_seconden",
    "failures": "mislukt",
    "rename": "hernoemd",
    "in_place": "ter_plekke",
    "facet": "ander_thema",
    "saves": "keren",
    "case": "casus",
}
#: (parent, key) -> key, where one measured name means two things.
IN_CONTEXT = {
    ("site", "queries"): "zoekvragen",  # the list of queries, not their number
    ("background", "background"): "samen",  # the child process as a whole
}
#: Objects whose keys are data (a query, a hostile shape), not names.
DATA_KEYS = frozenset({"query_ms", "shapes"})


def as_output(value: Any, parent: str = "") -> Any:
    """The measurement with the output's keys; a key missing from ``KEYS`` is kept (and
    fails the test against the guide)."""
    if isinstance(value, list):
        return [as_output(item, parent) for item in value]
    if not isinstance(value, dict):
        return value
    if parent in DATA_KEYS:
        return {key: as_output(item) for key, item in value.items()}
    return {
        IN_CONTEXT.get((parent, key), KEYS.get(key, key)): as_output(item, key)
        for key, item in value.items()
    }
