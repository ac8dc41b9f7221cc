"""`python -m tte.server SCENARIO [--host H] [--port P] [--data DIR]`: tte serve, alone."""

from __future__ import annotations

import argparse

from .app import add_serve_arguments, main_serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tte.server", description="Serve an exercise.")
    add_serve_arguments(parser)
    return main_serve(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
