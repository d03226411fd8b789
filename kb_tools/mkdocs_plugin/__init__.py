"""The MkDocs plugin, the only part of kb_tools that knows the site engine: ``plugin.py``
(events → pipeline stages), ``options.py`` (its options in mkdocs.yml), ``workers.py``
(generated pages rendered in forked workers, on every core)."""

from kb_tools.mkdocs_plugin.plugin import MAX_EXPLICIT, KbPlugin, insert_before

__all__ = ["MAX_EXPLICIT", "KbPlugin", "insert_before"]
