import sys

from tte.cli import main

sys.exit(main())
