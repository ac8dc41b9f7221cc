"""`make soak`: 500 scripted clients for 10 minutes against a real server (see
tests/reliability/soak.py, which the short CI version shares)."""

from __future__ import annotations

import sys

from tests.reliability.soak import main

if __name__ == "__main__":
    sys.exit(main())
