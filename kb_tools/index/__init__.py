"""Stage 5, index: search over the enriched corpus.

``records`` says once what a case or answer contributes to search (text, term labels,
filters); ``pagefind`` writes the site's search index, ``helpdesk`` the whoosh index
behind ``kb zoek``.
"""
