#!/usr/bin/env python3
"""Build, check or preview the site: python build.py build | check | serve."""

import sys

from dritare.cli import main

if __name__ == "__main__":
    sys.exit(main())
