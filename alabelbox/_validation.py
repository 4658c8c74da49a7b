"""Arguments checked before any request is sent: ids, id lists, positive numbers and dates, with one set of messages.

Every check raises :class:`~alabelbox.InvalidArgumentError` naming the argument, so that a wrong value fails at the
call site instead of as a server error (or, worse, as a silently empty listing).

Time-zone policy (one for the whole client):

- A value that carries its zone (an aware ``datetime``, an ISO 8601 string ending in ``Z`` or ``+hh:mm`` /
  ``+hhmm``) is an instant: it is **converted** to UTC, never relabelled (the official SDK drops the offset).
- A value without a zone (a ``date``, a naive ``datetime``, ``YYYY-MM-DD``, ``YYYY-MM-DD hh:mm:ss``) is a wall-clock
  time. :func:`parse_date` keeps it naive and says so (:attr:`ParsedDate.aware` is False); the caller then reads it
  the way the API it feeds does: label and data-row filters read it as UTC (:meth:`ParsedDate.as_utc`), export
  filters send it with the user's Labelbox timezone, as the export API does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from alabelbox._exceptions import InvalidArgumentError

__all__ = [
    "DATE_FORMATS",
    "DateLike",
    "ParsedDate",
    "check_id",
    "check_ids",
    "check_positive_int",
    "check_positive_seconds",
    "parse_date",
]

DateLike = datetime | date | str

DATE_FORMATS = "YYYY-MM-DD, 'YYYY-MM-DD hh:mm:ss', or ISO 8601 with Z or an offset (2024-04-01T12:30:00Z)"
"""The accepted date strings, as every message names them."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAIVE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?")
_AWARE = re.compile(r"(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)([Zz]|[+-]\d{2}:?\d{2})")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A checked date.

    Attributes:
        value: In UTC when ``aware``; otherwise the wall-clock time as given (naive).
        aware: Whether the input carried its zone.
        date_only: Whether the input was a day (a ``date`` or ``YYYY-MM-DD``) with no time of day.
    """

    value: datetime
    aware: bool
    date_only: bool

    def as_utc(self) -> datetime:
        """An aware UTC ``datetime``, reading a value without a zone as UTC."""
        return self.value if self.aware else self.value.replace(tzinfo=UTC)


def parse_date(argument: str, value: DateLike) -> ParsedDate:
    """Check a date given as a ``datetime``, a ``date`` or a string (see the module's time-zone policy).

    Raises:
        InvalidArgumentError: ``value`` is of another type, in none of :data:`DATE_FORMATS`, or not a real date
            (``2024-02-30``).

    Example:
        >>> parse_date("since", "2024-04-01T14:30:00+02:00").value.isoformat()
        '2024-04-01T12:30:00+00:00'
        >>> parse_date("since", "2024-04-01").aware
        False
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            return ParsedDate(value.replace(tzinfo=None), aware=False, date_only=False)
        return ParsedDate(value.astimezone(UTC), aware=True, date_only=False)
    if isinstance(value, date):
        return ParsedDate(datetime(value.year, value.month, value.day), aware=False, date_only=True)
    if not isinstance(value, str):
        raise InvalidArgumentError(argument, f"must be a datetime, a date or a date string, got {type(value).__name__}")
    text = value.strip()
    try:
        if _DATE.fullmatch(text):
            return ParsedDate(datetime.strptime(text, "%Y-%m-%d"), aware=False, date_only=True)
        if _NAIVE.fullmatch(text):
            return ParsedDate(datetime.fromisoformat(text), aware=False, date_only=False)
        match = _AWARE.fullmatch(text)
        if match:
            stamp, zone = match.groups()
            zone = "+00:00" if zone in ("Z", "z") else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
            return ParsedDate(datetime.fromisoformat(stamp + zone).astimezone(UTC), aware=True, date_only=False)
    except ValueError as exc:
        raise InvalidArgumentError(argument, f"{value!r} is not a valid date: {exc}") from None
    raise InvalidArgumentError(argument, f"{value!r} is not in an accepted format: {DATE_FORMATS}")


def check_id(argument: str, value: object) -> str:
    """``value`` if it is a non-empty string id.

    Raises:
        InvalidArgumentError: It is not.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, f"must be a non-empty id string, not {value!r}")
    return value


def check_ids(argument: str, values: Iterable[str] | str) -> list[str]:
    """A list of ids, in order, without repeats.

    Raises:
        InvalidArgumentError: ``values`` is a bare string (a common slip for ``[id]``), or holds a non-id.
    """
    if isinstance(values, str):
        raise InvalidArgumentError(argument, f"must be a list of ids, not the string {values!r}; wrap it: [id]")
    return list(dict.fromkeys(check_id(argument, v) for v in values))


def check_positive_int(argument: str, value: object) -> int:
    """``value`` if it is an ``int`` of at least 1 (``True`` is not a count).

    Raises:
        InvalidArgumentError: It is not.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(argument, f"must be a positive integer, got {value!r}")
    return value


def check_positive_seconds(argument: str, value: object) -> float:
    """``value`` if it is a finite number of seconds above 0.

    Raises:
        InvalidArgumentError: It is not.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InvalidArgumentError(argument, f"must be a number of seconds > 0, got {value!r}")
    return float(value)
