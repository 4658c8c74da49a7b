"""One date syntax for every command, a thin click wrapper over :func:`alabelbox._validation.parse_date`."""

from __future__ import annotations

from typing import Any

import click

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import DATE_FORMATS, parse_date

FORMATS = DATE_FORMATS


class CliDate(str):
    """A checked date as typed; :meth:`utc_naive` gives the form the legacy export takes."""

    __slots__ = ()

    def utc_naive(self) -> str:
        """``YYYY-MM-DD[ hh:mm:ss]``: a date with a zone converted to UTC, a naive one as typed."""
        parsed = parse_date("date", str(self))
        return parsed.value.strftime("%Y-%m-%d" if parsed.date_only else "%Y-%m-%d %H:%M:%S")


class DateType(click.ParamType):  # type: ignore[type-arg]
    """The click type of every date flag."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> CliDate:
        """Check ``value`` and return it as typed, or fail naming the flag and the accepted formats."""
        if isinstance(value, CliDate):
            return value
        text = str(value).strip()
        try:
            parse_date("date", text)
        except InvalidArgumentError as exc:
            self.fail(str(exc).removeprefix("date: "), param, ctx)
        return CliDate(text[:-1] + "Z" if text.endswith("z") else text)


DATE = DateType()
