"""``python -m auditor``: the same entry point as the console script."""

import sys

from auditor.cli import main

sys.exit(main())
