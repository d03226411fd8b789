"""Stage 2, validate: turn loaded documents into cases and findings.

``fields`` checks the frontmatter of one case, ``body`` its Markdown, ``corpus``
what only shows across files (duplicate ids, links to unknown cases).
``check`` runs them all over a content folder; ``recheck`` runs them again after a save,
reading only the files that changed.
"""

from kb_tools.validate.check import CheckResult, check_content
from kb_tools.validate.recheck import Changes, Rechecker

__all__ = ["Changes", "CheckResult", "Rechecker", "check_content"]
