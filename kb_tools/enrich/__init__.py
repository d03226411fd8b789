"""Stage 3, enrich: what only exists once all cases are known.

``taxonomy`` groups cases per vocabulary term and network, ``links`` gives every
case its URL and resolves ``[[id]]`` references. The result is one ``Corpus``
that rendering reads from and never changes. ``site`` decides what one build
publishes: every network or one (``kb bouw --netwerk``), and the redirects.
"""

from kb_tools.enrich.corpus import Corpus, build_corpus

__all__ = ["Corpus", "build_corpus"]
