"""Tools for the knowledge base of caring communities (zorgzame gemeenschappen).

The pipeline is the layout: ``load`` reads files into records, ``validate`` turns
them into findings, later stages enrich, render and index. The ``cli`` and the
MkDocs plugin are thin adapters that call these stages.
"""

__version__ = "0.1.0"
