"""Record, the position contract: what the reader hands out, and the progress an engine keeps on the reader."""

from __future__ import annotations

from typing import Generic, NamedTuple, Protocol, TypeVar

T = TypeVar("T")


class Record(NamedTuple, Generic[T]):
    """A record and where it came from.

    Attributes:
        value: The validated model instance (or a dict with ``model=None``).
        offset: Global byte offset of the record's first byte.
        line: 0-based NDJSON line number (``None`` for JSON input).
        end: Global byte offset just after the record (and its newline): where a resume starts.
    """

    value: T
    offset: int | None
    line: int | None
    end: int | None


class Progress(Protocol):
    """What an engine updates before it hands out each record (the :class:`RecordReader` itself)."""

    offset: int
    line: int
    count: int
