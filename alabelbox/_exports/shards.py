"""Shards: where an export stream's files are (:class:`ShardLocator`), and a stream's totals (:func:`fetch_metadata`).

An export stream is a sequence of NDJSON files (shards) behind signed URLs. ``exportFileFromOffset(offset)`` names
the shard holding byte ``offset`` with its *inclusive* global byte and line ranges (docs/wire.md, "Reading the result").

Locating shards
    Shard ``i+1`` starts at ``shard_i.end + 1``, so a plain walk costs one GraphQL round trip per shard, in series.
    The locator probes ahead instead: with the mean shard size ``s`` seen so far, it asks for ``next``,
    ``next + s + s/2``, ``next + 2s + s/2``, ... concurrently, one round trip for up to ``lookahead`` shards. A probe
    returns exact ranges, so a wrong guess costs nothing but a wasted lookup: only shards that chain exactly
    (``start == previous end + 1``, ``line start == previous line end + 1``) are used, and a gap is filled by an
    exact lookup.

The stream that reads them is :class:`alabelbox._exports.stream.ShardStream`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from alabelbox._exceptions import (
    ExportDownloadError,
    ExportStreamNotFoundError,
    LabelboxError,
)
from alabelbox._queries.exports import (
    GET_EXPORT_FILE_FROM_LINE,
    GET_EXPORT_FILE_FROM_OFFSET,
    GET_EXPORT_METADATA_HEADER,
)
from alabelbox.types.export_task import ExportMetadata, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = [
    "DEFAULT_CONCURRENCY",
    "ShardInfo",
    "ShardLocator",
    "fetch_metadata",
]

logger = logging.getLogger("alabelbox.exports")

#: Shards in flight at once by default.
DEFAULT_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class ShardInfo:
    """One shard: its inclusive global byte and line ranges and its signed URL."""

    byte_start: int
    byte_end: int
    line_start: int
    line_end: int
    url: str

    @property
    def size(self) -> int:
        """Bytes in the shard."""
        return self.byte_end - self.byte_start + 1

    @classmethod
    def from_wire(cls, data: Any, what: str) -> ShardInfo:
        """Parse ``{offsets{start end} lines{start end} file}``; UInt64 values may be strings or ints."""
        try:
            info = cls(
                byte_start=int(data["offsets"]["start"]),
                byte_end=int(data["offsets"]["end"]),
                line_start=int(data["lines"]["start"]),
                line_end=int(data["lines"]["end"]),
                url=str(data["file"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ExportDownloadError(f"{what}: the server's shard description is malformed: {data!r}") from exc
        if info.byte_end < info.byte_start or info.line_end < info.line_start or not info.url:
            raise ExportDownloadError(f"{what}: the server's shard ranges are inconsistent: {data!r}")
        return info

    def __repr__(self) -> str:  # the URL is a credential: keep it out of logs
        return f"ShardInfo(bytes={self.byte_start}-{self.byte_end}, lines={self.line_start}-{self.line_end}, url=...)"


async def fetch_metadata(client: Client, task_id: str, stream_type: StreamType) -> ExportMetadata | None:
    """The stream's ``{totalSize, totalLines}``, or None when the task has no such stream."""
    data = await client.execute(GET_EXPORT_METADATA_HEADER, {"where": {"id": task_id}, "streamType": stream_type.value})
    task = data.get("task")
    if task is None:
        raise ExportStreamNotFoundError(f"export task {task_id} not found")
    header = task.get("exportMetadataHeader")
    if header is None:
        return None
    return ExportMetadata(total_size=int(header["totalSize"]), total_lines=int(header["totalLines"]))


class ShardLocator:
    """Finds shards by offset or line, and walks them in order with speculative probes (see the module doc)."""

    def __init__(
        self, client: Client, task_id: str, stream_type: StreamType, metadata: ExportMetadata, *, lookahead: int
    ) -> None:
        self._client = client
        self._task_id = task_id
        self._stream_type = stream_type
        self._metadata = metadata
        self._lookahead = max(1, lookahead)
        self.lookups = 0
        """GraphQL shard lookups made (probes included)."""

    async def by_offset(self, offset: int) -> ShardInfo:
        """The shard holding byte ``offset``."""
        self.lookups += 1
        data = await self._client.execute(
            GET_EXPORT_FILE_FROM_OFFSET,
            {"where": {"id": self._task_id}, "streamType": self._stream_type.value, "offset": str(offset)},
        )
        info = (data.get("task") or {}).get("exportFileFromOffset")
        if info is None:
            raise ExportDownloadError(
                f"export task {self._task_id}: no {self._stream_type.value} shard holds byte offset {offset} "
                f"(the stream has {self._metadata.total_size} bytes)"
            )
        shard = ShardInfo.from_wire(info, f"byte offset {offset}")
        if not shard.byte_start <= offset <= shard.byte_end:
            raise ExportDownloadError(
                f"export task {self._task_id}: asked for the shard holding byte {offset}, got bytes "
                f"{shard.byte_start}-{shard.byte_end}"
            )
        return shard

    async def by_line(self, line: int) -> ShardInfo:
        """The shard holding line ``line``."""
        self.lookups += 1
        data = await self._client.execute(
            GET_EXPORT_FILE_FROM_LINE,
            {"where": {"id": self._task_id}, "streamType": self._stream_type.value, "line": line},
        )
        info = (data.get("task") or {}).get("exportFileFromLine")
        if info is None:
            raise ExportDownloadError(
                f"export task {self._task_id}: no {self._stream_type.value} shard holds line {line} "
                f"(the stream has {self._metadata.total_lines} lines)"
            )
        shard = ShardInfo.from_wire(info, f"line {line}")
        if not shard.line_start <= line <= shard.line_end:
            raise ExportDownloadError(
                f"export task {self._task_id}: asked for the shard holding line {line}, got lines "
                f"{shard.line_start}-{shard.line_end}"
            )
        return shard

    async def _probe(self, offset: int, out: dict[int, ShardInfo]) -> None:
        try:
            shard = await self.by_offset(offset)
        except LabelboxError as exc:  # a speculative probe may fail: the exact lookup decides
            logger.debug("shard probe at %d failed: %s", offset, exc)
            return
        out.setdefault(shard.byte_start, shard)

    async def _exact_with_probes(self, offset: int, probes: list[int], out: dict[int, ShardInfo]) -> ShardInfo:
        """The shard at ``offset``, looked up while the ``probes`` run alongside (their finds go to ``out``).

        The exact lookup's error is caught inside the task group and raised after it, so that it comes out as
        itself: a task group would wrap it in an ExceptionGroup, which ``except LabelboxError`` misses.
        """
        failure: LabelboxError | None = None
        exact: ShardInfo | None = None
        async with anyio.create_task_group() as tg:
            for guess in probes:
                tg.start_soon(self._probe, guess, out)
            try:
                exact = await self.by_offset(offset)
            except LabelboxError as exc:
                failure = exc
                tg.cancel_scope.cancel()  # the probes are useless now
        if failure is not None:
            raise failure
        assert exact is not None
        return exact

    async def chain(self, first: ShardInfo) -> AsyncGenerator[ShardInfo, None]:
        """``first`` and every shard after it, in order, checked to be contiguous."""
        total = self._metadata.total_size
        known: dict[int, ShardInfo] = {}
        current = first
        seen_bytes = first.size
        seen_shards = 1
        yield current
        while current.byte_end + 1 < total:
            nxt = current.byte_end + 1
            shard = known.pop(nxt, None)
            if shard is None:
                known.clear()
                estimate = max(1, seen_bytes // seen_shards)
                probes = [nxt]
                for j in range(1, self._lookahead):
                    guess = nxt + j * estimate + estimate // 2
                    if guess >= total:
                        break
                    probes.append(guess)
                exact = await self._exact_with_probes(nxt, probes[1:], known)
                known[exact.byte_start] = exact
                shard = known.pop(nxt, None)
                if shard is None:
                    raise ExportDownloadError(
                        f"export task {self._task_id}: the shard after bytes ..{current.byte_end} should start at "
                        f"{nxt}, the server says {exact.byte_start}"
                    )
                known = {start: s for start, s in known.items() if start > nxt}
            if shard.line_start != current.line_end + 1:
                raise ExportDownloadError(
                    f"export task {self._task_id}: shard at bytes {shard.byte_start}-{shard.byte_end} starts at line "
                    f"{shard.line_start}, expected {current.line_end + 1}"
                )
            seen_bytes += shard.size
            seen_shards += 1
            current = shard
            yield current
        if current.line_end + 1 != self._metadata.total_lines:
            raise ExportDownloadError(
                f"export task {self._task_id}: the shards hold {current.line_end + 1} lines, the metadata header "
                f"says {self._metadata.total_lines}"
            )
