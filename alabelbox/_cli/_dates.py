"""One date syntax for every command: ``YYYY-MM-DD``, ``'YYYY-MM-DD hh:mm:ss'`` or ISO 8601 with ``Z`` or an offset."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import click

_NAIVE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:?\d{2})")
FORMATS = "YYYY-MM-DD, 'YYYY-MM-DD hh:mm:ss' or ISO 8601 with Z or an offset (2024-01-01T00:00:00Z)"


class CliDate(str):
    """A checked date as typed; :meth:`utc_naive` gives the form the legacy export takes."""

    __slots__ = ()

    def utc_naive(self) -> str:
        """``YYYY-MM-DD[ hh:mm:ss]``: an ISO date with a zone converted to UTC, a naive one as typed."""
        if _NAIVE.fullmatch(self):
            return str(self)
        text = self[:-1] + "+00:00" if self.endswith(("Z", "z")) else str(self)
        parsed = datetime.fromisoformat(text)
        return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


class DateType(click.ParamType):  # type: ignore[type-arg]
    """The click type of every date flag."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> CliDate:
        """Check ``value`` and return it as typed, or fail naming the flag and the accepted formats."""
        if isinstance(value, CliDate):
            return value
        text = str(value).strip()
        try:
            if _NAIVE.fullmatch(text):
                datetime.strptime(text, "%Y-%m-%d %H:%M:%S" if " " in text else "%Y-%m-%d")
                return CliDate(text)
            if _ISO.fullmatch(text):
                iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
                if iso[-3] != ":":
                    iso = iso[:-2] + ":" + iso[-2:]
                datetime.fromisoformat(iso)
                return CliDate(text[:-1] + "Z" if text.endswith(("Z", "z")) else iso)
        except ValueError as exc:
            self.fail(f"{value!r} is not a real date ({exc})", param, ctx)
        self.fail(f"{value!r} is not a date; use {FORMATS}", param, ctx)


DATE = DateType()
