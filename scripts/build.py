#!/usr/bin/env python3
"""Pizhu command line: ``python scripts/build.py VERB`` (``--help`` lists the verbs).

python scripts/build.py clean sources/x.txt          # cleaned text + removal log
python scripts/build.py clean sources/x.txt --json   # the same as JSON
python scripts/build.py build                        # generate docs/ pages
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pizhu.cli import main

if __name__ == "__main__":
    sys.exit(main())
