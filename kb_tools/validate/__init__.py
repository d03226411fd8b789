"""Stage 2, validate: turn loaded documents into cases and findings.

``fields`` checks the frontmatter of one case, ``body`` its Markdown, ``corpus``
what only shows across files (duplicate ids, links to unknown cases).
``check`` runs them all over a content folder.
"""

from kb_tools.validate.check import CheckResult, check_content

__all__ = ["CheckResult", "check_content"]
