"""The MkDocs plugin, the only part of kb_tools that knows the site engine: ``plugin.py``
(events → pipeline stages), ``options.py`` (its options in mkdocs.yml), ``theme.py`` (the
template environment of overrides/), ``workers.py`` (generated pages rendered in forked
workers, on every core), ``serving.py`` (`kb bekijk`: only changed pages made again)."""

from kb_tools.mkdocs_plugin.plugin import MAX_EXPLICIT, KbPlugin
from kb_tools.mkdocs_plugin.theme import insert_before

__all__ = ["MAX_EXPLICIT", "KbPlugin", "insert_before"]
