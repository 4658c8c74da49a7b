"""The ``alabelbox`` command line."""

from alabelbox._cli import _demo, _export, _ingest, _listing  # noqa: F401 - importing registers the commands
from alabelbox._cli._app import cli, main

__all__ = ["cli", "main"]
