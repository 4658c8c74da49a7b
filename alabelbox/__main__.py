"""``python -m alabelbox``: the command line."""

from __future__ import annotations

import argparse
import sys

from alabelbox._version import __version__


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = argparse.ArgumentParser(prog="alabelbox", description="The asyncio-native Labelbox client.")
    parser.add_argument("--version", action="version", version=f"alabelbox {__version__}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
