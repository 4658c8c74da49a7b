"""Reversible, cuid-shaped identifiers and timestamp helpers.

Every entity id encodes what it names (kind, parent index, index) so the emulator can find a row
from its id without storing anything. Ids are 25 lowercase base-36 characters starting with ``c``,
like the cuids Labelbox hands out; the tail is a keyed checksum, so a mangled id is not accepted.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import lru_cache

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_PREFIX = "cl"
ID_LENGTH = 25


_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]


def b36(value: int, width: int) -> str:
    """Encode a non-negative int as exactly ``width`` base-36 digits."""
    if value < 0 or value >= 36**width:
        raise ValueError(f"{value} does not fit in {width} base-36 digits")
    out = []
    pairs = _PAIRS
    for _ in range(width // 2):
        value, rem = divmod(value, 1296)
        out.append(pairs[rem])
    if width % 2:
        out.append(_ALPHABET[value % 36])
    return "".join(reversed(out))


def _tail(body: str, n: int) -> str:
    digest = hashlib.blake2b(body.encode(), digest_size=8).digest()
    return b36(int.from_bytes(digest, "big") % (36**n), n)


_MAX_INDEX = 36**7
_TAIL_MODULUS = 36**9


def _b36_7(value: int) -> str:
    """``b36(value, 7)`` for a value known to fit: a digit and two table lookups of three digits."""
    high, low = divmod(value, 46_656)
    top, mid = divmod(high, 46_656)
    t = _triples()
    return _ALPHABET[top] + t[mid] + t[low]


def _b36_9(value: int) -> str:
    """``b36(value, 9)`` for a value known to fit: three table lookups of three digits."""
    high, low = divmod(value, 46_656)
    top, mid = divmod(high, 46_656)
    t = _triples()
    return t[top] + t[mid] + t[low]


@lru_cache(maxsize=1)
def _triples() -> list[str]:
    """Every three-digit base-36 string, in order (46,656 of them, made on first use)."""
    return [a + b for a in _ALPHABET for b in _PAIRS]


class IdCodec:
    """Encode and decode entity ids for one seed.

    Layout: ``cl`` + kind (1) + seed tag (3) + parent (3) + index (7) + checksum (9).
    """

    def __init__(self, seed: int) -> None:
        self._tag = b36(seed % (36**3), 3)
        # ``cl`` + kind + tag + parent, per (kind, parent): a handful of entries (kinds x projects).
        self._heads: dict[tuple[str, int], str] = {}

    def encode(self, kind: str, parent: int, index: int) -> str:
        """The id of entity ``index`` of ``kind`` under ``parent``."""
        head = self._heads.get((kind, parent))
        if head is None:
            head = f"{_PREFIX}{kind}{self._tag}{b36(parent, 3)}"
            if len(self._heads) < 4096:
                self._heads[(kind, parent)] = head
        if not 0 <= index < _MAX_INDEX:
            raise ValueError(f"{index} does not fit in 7 base-36 digits")
        body = head + _b36_7(index)
        digest = hashlib.blake2b(body.encode(), digest_size=8).digest()
        return body + _b36_9(int.from_bytes(digest, "big") % _TAIL_MODULUS)

    def decode(self, value: object, kind: str) -> tuple[int, int] | None:
        """``(parent, index)`` if ``value`` is a valid id of ``kind``, else None."""
        if not isinstance(value, str) or len(value) != ID_LENGTH:
            return None
        body = value[:16]
        if body[:2] != _PREFIX or body[2] != kind or body[3:6] != self._tag:
            return None
        if _tail(body, ID_LENGTH - 16) != value[16:]:
            return None
        try:
            return int(body[6:9], 36), int(body[9:16], 36)
        except ValueError:
            return None

    def opaque(self, *parts: object) -> str:
        """A stable cuid-shaped id for things that are never looked up (feature ids...)."""
        body = "|".join(map(str, (self._tag, *parts)))
        return "c" + _tail(body, ID_LENGTH - 1)


@lru_cache(maxsize=1024)
def _day(day: int) -> str:
    return datetime.fromtimestamp(day * 86_400, tz=UTC).strftime("%Y-%m-%dT")


def _stamp(ts: float) -> str:
    """``2024-02-16T17:49:08.951``: ``strftime("%Y-%m-%dT%H:%M:%S.")`` plus milliseconds, without a datetime.

    UTC days have 86,400 seconds here as in ``datetime.fromtimestamp``, so the date comes from a small cache of
    days and the time of day from integer arithmetic.
    """
    secs, ms = divmod(round(ts * 1000), 1000)
    day, rem = divmod(secs, 86_400)
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    return f"{_day(day)}{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def iso_ms(ts: float) -> str:
    """``2024-02-16T17:49:08.951Z``: the timestamp format of the GraphQL API."""
    return _stamp(ts) + "Z"


def iso_export(ts: float) -> str:
    """``2024-02-16T17:49:08.951+00:00``: the timestamp format of export lines."""
    return _stamp(ts) + "+00:00"


def parse_time(value: str, tz_name: str | None = None) -> float:
    """Parse the date formats the API accepts into a POSIX timestamp.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DD hh:mm:ss``, ISO 8601 with ``Z`` or an offset
    (``+0000`` or ``+00:00``). Naive values are read in ``tz_name`` (default UTC).
    """
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit() and ":" not in text[-5:]:
        text = text[:-2] + ":" + text[-2:]
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        tzinfo: object = UTC
        if tz_name and tz_name.upper() != "UTC":
            try:
                from zoneinfo import ZoneInfo

                tzinfo = ZoneInfo(tz_name)
            except Exception:
                tzinfo = UTC
        dt = dt.replace(tzinfo=tzinfo)  # type: ignore[arg-type]
    return dt.timestamp()
