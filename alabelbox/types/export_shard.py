""":class:`ExportShard`: one file of an export stream, as a frozen, picklable value to hand to a worker.

An export stream is stored as a sequence of NDJSON files (shards). ``client.exports.shards(task)`` lists them;
each can then be read on its own, by any process: ``client.exports.stream(task, shard=shard)`` with a client, or
:class:`~alabelbox.SignedShardReader` with no key at all, from a shard that carries its signed URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from alabelbox.types.export_task import StreamType

__all__ = ["ExportShard"]


@dataclass(frozen=True, slots=True)
class ExportShard:
    """One shard of an export stream: which task and stream, its place, and its inclusive byte and line ranges.

    A shard holds no URL unless one was asked for (``client.exports.shards(task, signed=True)`` or
    ``client.exports.sign(shard)``). A signed URL is a credential, so it is left out of ``repr``, equality and
    hashing: two listings of the same export give equal shards, and a shard in a log shows no signature.
    It does go into a pickle when present: send unsigned shards to workers that have a client, and signed ones
    only to workers meant to read without a key.

    Example:
        >>> shards = await client.exports.shards(task)
        >>> shards[0]
        ExportShard(task_id='...', stream_type=<StreamType.RESULT: 'RESULT'>, index=0, byte_start=0, ...)
        >>> shards[0].url is None, sum(s.lines for s in shards)
        (True, 12)
    """

    task_id: str
    """The export task's id."""
    stream_type: StreamType
    """The stream the shard belongs to."""
    index: int
    """Its place in the stream, from 0."""
    byte_start: int
    """The stream offset of its first byte."""
    byte_end: int
    """The stream offset of its last byte (inclusive)."""
    line_start: int
    """The stream line number of its first line."""
    line_end: int
    """The stream line number of its last line (inclusive)."""
    url: str | None = field(default=None, repr=False, compare=False, hash=False)
    """The signed URL it was listed with, if one was asked for (a credential while it lasts)."""

    @property
    def size(self) -> int:
        """Bytes in the shard."""
        return self.byte_end - self.byte_start + 1

    @property
    def lines(self) -> int:
        """Lines (rows) in the shard."""
        return self.line_end - self.line_start + 1

    @property
    def is_signed(self) -> bool:
        """Whether it carries a signed URL."""
        return self.url is not None

    def unsigned(self) -> ExportShard:
        """The same shard without its URL: what to send to a worker that signs for itself.

        Example:
            >>> signed = await client.exports.sign((await client.exports.shards(task))[0])
            >>> signed.unsigned().url is None and signed.unsigned() == signed
            True
        """
        return replace(self, url=None)

    def __dask_tokenize__(self) -> Any:
        # Dask names tasks by hashing their arguments: the ranges, never the URL.
        return ("alabelbox.ExportShard", self.task_id, self.stream_type.value, self.index, *self.ranges())

    def ranges(self) -> tuple[int, int, int, int]:
        """``(byte_start, byte_end, line_start, line_end)``."""
        return (self.byte_start, self.byte_end, self.line_start, self.line_end)
