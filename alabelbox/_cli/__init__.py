"""The ``alabelbox`` command line."""

from alabelbox._cli._app import cli, main

__all__ = ["cli", "main"]
