"""``python -m kb_tools.cli``: the same as the ``kb`` command (tests and kb meten use it)."""

import sys

from kb_tools.cli import main

sys.exit(main())
