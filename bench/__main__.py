"""``python -m bench``: see :mod:`bench.run` and ``bench/README.md``."""

import sys

from bench.run import main

if __name__ == "__main__":
    sys.exit(main())
