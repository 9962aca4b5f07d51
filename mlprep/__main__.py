"""Entry point for ``python -m mlprep``."""

import sys

from mlprep.cli import main

sys.exit(main())
