"""Allow ``python -m cursus``."""

import sys

from cursus.cli import main

sys.exit(main())
