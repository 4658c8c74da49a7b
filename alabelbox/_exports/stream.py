"""The shard streamer: an export stream read as its shards, several at once, yielded strictly in order.

The shards are found by :class:`alabelbox._exports.shards.ShardLocator`; this module fetches and parses them.

Fetching
    Up to ``concurrency`` shard bodies are in flight. Fetchers only copy bytes, as they arrive, into a bounded
    memory object stream per shard; the consumer parses each shard's bytes incrementally with the reader
    (:func:`alabelbox._streaming.read_records`) as it pulls records, shard after shard. Shards fetched ahead hold
    bytes, never parsed rows (rows parsed ahead cost memory and garbage-collector time for nothing: measured 2x
    slower). Memory is bounded by ``concurrency`` x ``SHARD_BUFFER`` chunks plus one parser buffer, whatever the
    size of the export.

Retries and resume
    A body that fails (reset, cut short, 5xx, 429) is fetched again from the exact byte after the last one
    forwarded, with ``Range: bytes=N-``: the parser sees one continuous shard, so nothing is read twice or lost (a
    line boundary is not needed; the reader joins a line split across the two bodies). A signed URL that has
    expired (HTTP 400 ``ExpiredToken`` or 403) is replaced by a fresh one from ``exportFileFromOffset``. The
    policy is the one of every download (:mod:`alabelbox._download_retry`): each attempt's network time is
    bounded by ``Timeout.total`` (time spent waiting for the consumer does not count), the attempt count and
    ``RetryConfig.deadline`` restart only after an attempt that made real progress, so a long shard on a flaky
    link still finishes, while a shard that trickles or stalls fails with :class:`ExportDownloadError` after
    ``max_retries`` retries or the deadline. A stream restarted from a saved ``(offset, line)`` (from
    ``ShardStream.position`` or a record's ``(end, line + 1)``) starts with a Range at that byte.

Lengths
    Every body is counted against its inclusive range: a short body is a cut-off (retried), a long one or a wrong
    ``Content-Length`` is an :class:`ExportDownloadError`, and the lines read must match the shard's line range.

Cleanup
    Everything runs in one task group owned by :class:`ShardStream`. Leaving its ``async with`` (normally, by an
    error, a ``break`` or a cancellation) cancels every lookup and fetch; each response is released in a
    ``finally``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import anyio
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from alabelbox._config import RetryConfig
from alabelbox._download_retry import AttemptBound, DownloadRetry, progress_threshold, range_header
from alabelbox._exceptions import (
    ExportDownloadError,
    ExportStreamNotFoundError,
    InvalidArgumentError,
    LabelboxError,
    NetworkError,
    StreamStateError,
)
from alabelbox._exports.shards import DEFAULT_CONCURRENCY, ShardInfo, ShardLocator, fetch_metadata
from alabelbox._streaming import read_records
from alabelbox._transport import iter_body
from alabelbox._validation import check_positive_int
from alabelbox.types.export_task import ExportMetadata, StreamType

if TYPE_CHECKING:
    import aiohttp

    from alabelbox._client import Client

__all__ = ["DEFAULT_CONCURRENCY", "SHARD_BUFFER", "ShardStream"]

logger = logging.getLogger("alabelbox.exports")

T = TypeVar("T")

#: Byte chunks a shard's channel holds before its fetcher waits for the consumer.
SHARD_BUFFER = 16
_READ_CHUNK = 256 * 1024


@dataclass(slots=True)
class _Failure:
    error: BaseException


@dataclass(slots=True)
class _Position:
    offset: int
    line: int


def _closed(channel: MemoryObjectSendStream[Any] | MemoryObjectReceiveStream[Any]) -> bool:
    return bool(getattr(channel, "_closed", False))


class _CutOff(NetworkError):
    """A body that ended before its range did (a clean close short of the length)."""


Mode = Literal["records", "raw"]


class ShardStream(Generic[T]):
    """An export stream being read: ``async with`` it, then ``async for record in it``.

    Made by ``client.exports.stream(...)``. Each item is a :class:`~alabelbox._streaming.Record`
    ``(value, offset, line, end)``: ``value`` is the typed row (or a dict with ``model=None``), ``offset`` and
    ``line`` its global position, ``end`` the byte just after it. With ``mode="raw"`` the items are byte chunks.

    Attributes:
        metadata: The stream's totals from its metadata header (None for an empty export read with
            ``missing_ok=True``).
        position: ``(offset, line)`` just after the last record yielded: pass them back as ``start_offset`` and
            ``start_line`` to resume exactly there.
    """

    def __init__(
        self,
        client: Client,
        task_id: str,
        *,
        stream_type: StreamType,
        model: Any,
        start_offset: int | None,
        start_line: int | None,
        concurrency: int,
        missing_ok: bool,
        mode: Mode = "records",
        retry: RetryConfig | None = None,
        on_chunk: Callable[[int, int], None] | None = None,
    ) -> None:
        check_positive_int("concurrency", concurrency)
        if start_offset is not None and start_offset < 0:
            raise InvalidArgumentError("start_offset", f"must be >= 0, got {start_offset}")
        if start_line is not None and start_line < 0:
            raise InvalidArgumentError("start_line", f"must be >= 0, got {start_line}")
        self._client = client
        self._task_id = task_id
        self._stream_type = stream_type
        self._model = model
        self._start_offset = start_offset
        self._start_line = start_line
        self._concurrency = concurrency
        self._missing_ok = missing_ok
        self._mode = mode
        self._retry = retry or client.retry
        self._on_chunk = on_chunk
        self.metadata: ExportMetadata | None = None
        self.position: tuple[int, int] = (start_offset or 0, start_line or 0)
        self.retries = 0
        """Shard GETs retried (resumed or re-signed) so far."""
        self.locator: ShardLocator | None = None
        self._tg: TaskGroup | None = None
        self._order_recv: MemoryObjectReceiveStream[Any] | None = None
        self._gen: AsyncIterator[Any] | None = None
        self._entered = False
        self._channels: list[MemoryObjectSendStream[Any] | MemoryObjectReceiveStream[Any]] = []

    # -- lifecycle -------------------------------------------------------------------------------------------------

    async def __aenter__(self) -> ShardStream[T]:
        if self._entered:
            raise StreamStateError("an export stream can be entered only once")
        self._entered = True
        metadata = await fetch_metadata(self._client, self._task_id, self._stream_type)
        if metadata is None:
            if not self._missing_ok:
                raise ExportStreamNotFoundError(
                    f"export task {self._task_id} has no {self._stream_type.value} stream: if the task is not "
                    "COMPLETE, wait for the task first (`await client.exports.wait(task)`); if the export matched "
                    "nothing (or had no errors), pass missing_ok=True to read it as empty"
                )
            return self
        self.metadata = metadata
        first, skip = await self._first_shard(metadata)
        if first is None:
            return self
        self.locator = ShardLocator(
            self._client, self._task_id, self._stream_type, metadata, lookahead=self._concurrency
        )
        order_send, self._order_recv = anyio.create_memory_object_stream[Any](self._concurrency - 1)
        self._tg = anyio.create_task_group()
        await self._tg.__aenter__()
        self._tg.start_soon(self._produce, self._tg, order_send, first, skip)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose(exc_type, exc, tb)

    async def aclose(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        """Stop: cancel every lookup and fetch and release every connection. Idempotent."""
        gen, self._gen = self._gen, None
        tg, self._tg = self._tg, None
        if tg is not None:
            tg.cancel_scope.cancel()
        if gen is not None:
            with anyio.CancelScope(shield=True):
                await gen.aclose()  # type: ignore[attr-defined]
        try:
            if tg is not None:
                # Hand a cancellation through so the scope can absorb its own; anything else stays the caller's.
                cancelled = exc is not None and isinstance(exc, anyio.get_cancelled_exc_class())
                await tg.__aexit__(*((exc_type, exc, tb) if cancelled else (None, None, None)))
        finally:
            order, self._order_recv = self._order_recv, None
            if order is not None:
                order.close()
            # Every shard channel, including those queued but never read, or handed to a receive that was
            # cancelled (anyio drops such an item), or whose fetcher was cancelled before it ran.
            channels, self._channels = self._channels, []
            for channel in channels:
                channel.close()

    # -- iteration ---------------------------------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[T]:
        if not self._entered:
            raise StreamStateError("use `async with client.exports.stream(...) as rows:` first")
        if self._gen is None:
            self._gen = self._iterate()
        return self._gen

    async def _iterate(self) -> AsyncIterator[Any]:
        receive = self._order_recv
        if receive is None:
            return
        raw = self._mode == "raw"
        async for item in receive:
            if isinstance(item, _Failure):
                raise item.error
            shard, chunks, begin, skip = item
            async with chunks:
                if raw:
                    async for chunk in chunks:
                        if isinstance(chunk, _Failure):
                            raise chunk.error
                        data, offset, line = chunk
                        self.position = (offset, line)
                        yield data
                    continue
                # Parsing happens here, as the consumer pulls: fetchers ahead only hold bytes, never parsed rows.
                reader = read_records(
                    _bytes_of(chunks),
                    self._model,
                    format="ndjson",
                    start_offset=begin.offset,
                    start_line=begin.line,
                    chunk_size=_READ_CHUNK,
                )
                async with reader:
                    if skip.offset >= 0 or skip.line >= 0:
                        async for record in reader:
                            if record.line < skip.line or record.offset < skip.offset:
                                continue
                            if skip.offset >= 0 and record.offset != skip.offset:
                                raise InvalidArgumentError(
                                    "start_offset",
                                    f"byte {skip.offset} is not the start of a line; the next line starts at byte "
                                    f"{record.offset} (line {record.line})",
                                )
                            self.position = (record.end, record.line + 1)
                            yield record
                            break
                    async for record in reader:
                        self.position = (record.end, record.line + 1)
                        yield record
                if reader.offset != shard.byte_end + 1 or reader.line != shard.line_end + 1:
                    raise ExportDownloadError(
                        f"export task {self._task_id} shard bytes {shard.byte_start}-{shard.byte_end}: read lines "
                        f"{begin.line}-{reader.line - 1} ending at byte {reader.offset}; its ranges say lines "
                        f"{shard.line_start}-{shard.line_end}"
                    )

    # -- the pipeline ------------------------------------------------------------------------------------------------

    async def _first_shard(self, metadata: ExportMetadata) -> tuple[ShardInfo | None, _Position]:
        """The shard to start with and the position to start at (records before it are skipped)."""
        offset, line = self._start_offset, self._start_line
        if offset is not None and offset > metadata.total_size:
            raise InvalidArgumentError(
                "start_offset", f"{offset} is past the end of the stream ({metadata.total_size} bytes)"
            )
        if line is not None and line > metadata.total_lines:
            raise InvalidArgumentError(
                "start_line", f"{line} is past the end of the stream ({metadata.total_lines} lines)"
            )
        if offset == metadata.total_size or line == metadata.total_lines:
            return None, _Position(metadata.total_size, metadata.total_lines)
        locator = ShardLocator(self._client, self._task_id, self._stream_type, metadata, lookahead=1)
        if offset is None and line is not None:
            shard = await locator.by_line(line)
        else:
            shard = await locator.by_offset(offset or 0)
            if line is not None and not shard.line_start <= line <= shard.line_end:
                raise InvalidArgumentError(
                    "start_line",
                    f"line {line} is not in the shard holding byte {offset} "
                    f"(lines {shard.line_start}-{shard.line_end}); "
                    "pass a position saved from a record: (record.end, record.line + 1)",
                )
        return shard, _Position(offset if offset is not None else -1, line if line is not None else -1)

    async def _produce(
        self, tg: TaskGroup, order_send: MemoryObjectSendStream[Any], first: ShardInfo, skip: _Position
    ) -> None:
        assert self.locator is not None
        async with order_send:
            try:
                async with aclosing(self.locator.chain(first)) as chain:
                    async for shard in chain:
                        if skip.offset > shard.byte_start and skip.line >= 0:
                            # A saved (offset, line) pair: fetch from that very byte.
                            begin, skip = _Position(skip.offset, skip.line), _Position(-1, -1)
                        else:
                            begin = _Position(shard.byte_start, shard.line_start)
                        chunk_send, chunk_recv = anyio.create_memory_object_stream[Any](SHARD_BUFFER)
                        self._channels = [c for c in self._channels if not _closed(c)]
                        self._channels += (chunk_send, chunk_recv)
                        await order_send.send((shard, chunk_recv, _Position(begin.offset, begin.line), skip))
                        tg.start_soon(self._fetch, shard, chunk_send, begin)
                        skip = _Position(-1, -1)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                return
            except Exception as exc:
                try:
                    await order_send.send(_Failure(exc))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    return

    async def _fetch(self, shard: ShardInfo, send: MemoryObjectSendStream[Any], begin: _Position) -> None:
        async with send:
            try:
                await self._fetch_shard(shard, send, begin)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                return
            except Exception as exc:
                try:
                    await send.send(_Failure(exc))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    return

    async def _fetch_shard(self, shard: ShardInfo, send: MemoryObjectSendStream[Any], pos: _Position) -> None:
        """Copy the shard's bytes from ``pos`` into ``send``; a failed GET resumes at the exact next byte."""
        url = shard.url
        what = f"export task {self._task_id} shard bytes {shard.byte_start}-{shard.byte_end}"
        policy = DownloadRetry(self._retry, what, min_progress=progress_threshold(shard.size))
        seconds = self._client.timeout.total
        while True:
            before = pos.offset
            try:
                await self._attempt(shard, url, pos, send, AttemptBound(seconds, f"GET {what}"))
                return
            except LabelboxError as error:
                decision = await policy.after_failure(
                    error, progressed=pos.offset - before, at=pos.offset, can_resign=True
                )
                self.retries += 1
                if decision == "resign":
                    assert self.locator is not None
                    fresh = await self.locator.by_offset(shard.byte_start)
                    if (fresh.byte_start, fresh.byte_end) != (shard.byte_start, shard.byte_end):
                        raise ExportDownloadError(
                            f"{what}: a fresh URL came with other ranges ({fresh.byte_start}-{fresh.byte_end})"
                        ) from error
                    url = fresh.url

    async def _attempt(
        self, shard: ShardInfo, url: str, pos: _Position, send: MemoryObjectSendStream[Any], bound: AttemptBound
    ) -> None:
        """One GET from ``pos``: forwards what it reads and advances ``pos``; raises on anything short of the end.

        The attempt's network time is bounded by ``Timeout.total``; time spent waiting for the consumer is not.
        """
        headers = range_header(pos.offset - shard.byte_start)
        expected = shard.byte_end + 1 - pos.offset
        with bound.scope():
            async with self._client._download_attempt(url, headers=headers) as response:
                drop = 0
                if headers is not None and response.status == 200:
                    drop = pos.offset - shard.byte_start  # the server ignored Range: skip what we have
                elif headers is not None and response.status != 206:
                    raise ExportDownloadError(f"a ranged GET of a shard answered HTTP {response.status}")
                length = response.content_length
                if length is not None and length != expected + drop:
                    raise ExportDownloadError(
                        f"shard bytes {shard.byte_start}-{shard.byte_end}: Content-Length {length} does not match "
                        f"the inclusive range ({expected + drop} bytes expected from byte {pos.offset - drop})"
                    )
                on_chunk = self._on_chunk
                async with aclosing(_counted(response, expected, drop, shard)) as body:
                    async for data in body:
                        pos.offset += len(data)
                        lines = data.count(b"\n")
                        pos.line += lines
                        await bound.hand_over(send, (data, pos.offset, pos.line))
                        if on_chunk is not None:
                            on_chunk(len(data), lines)
        if pos.line != shard.line_end + 1:
            raise ExportDownloadError(
                f"shard bytes {shard.byte_start}-{shard.byte_end}: {pos.line - shard.line_start} lines, its range "
                f"says {shard.line_end - shard.line_start + 1}"
            )


async def _bytes_of(chunks: MemoryObjectReceiveStream[Any]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        if isinstance(chunk, _Failure):
            raise chunk.error
        yield chunk[0]


async def _counted(
    response: aiohttp.ClientResponse, expected: int, drop: int, shard: ShardInfo
) -> AsyncGenerator[bytes, None]:
    """The body's chunks, minus ``drop`` leading bytes, checked to come to exactly ``expected`` bytes."""
    received = 0
    label = f"GET shard bytes {shard.byte_start}-{shard.byte_end}"
    # Closed explicitly: an async generator left to the garbage collector is closed by a task asyncio schedules,
    # which outlives the stream that left it.
    async with aclosing(iter_body(response, label)) as body:
        async for data in body:
            if drop:
                cut = min(drop, len(data))
                data = data[cut:]
                drop -= cut
                if not data:
                    continue
            received += len(data)
            if received > expected:
                raise ExportDownloadError(
                    f"shard bytes {shard.byte_start}-{shard.byte_end}: the body is longer than its inclusive range "
                    f"({received} bytes received, {expected} expected)"
                )
            yield data
    if received < expected:
        raise _CutOff(f"the body ended after {received} of {expected} bytes", operation=label)
