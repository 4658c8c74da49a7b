"""The key-less reader of one signed shard: :class:`SignedShardReader`.

A worker that was handed a shard *with* its signed URL (``client.exports.shards(task, signed=True)``) can read it
with no API key and no GraphQL at all: the URL is the only credential, and this reader never sends an
``Authorization`` header. It is the export streamer's fetch loop for a single shard:

* a body that fails (reset, cut short, 5xx, 429) is fetched again from the exact next byte with
  ``Range: bytes=N-``, under the client's download retry policy (:mod:`alabelbox._download_retry`), so every row is
  read once;
* the body is counted against the shard's inclusive byte range, and the rows against its line range;
* errors and logs never show the URL's signature (the query is redacted, see :mod:`alabelbox._secrets`);
* a URL the storage refuses as expired (HTTP 400/401/403) raises :class:`~alabelbox.SignedUrlExpiredError` at
  once: it cannot be re-signed without a key, so the driver should sign the shard again
  (``client.exports.sign(shard)``) and hand it out anew, rather than retry.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from alabelbox._config import RetryConfig, Timeout
from alabelbox._download_retry import AttemptBound, DownloadRetry, is_expired_url, progress_threshold, range_header
from alabelbox._exceptions import (
    ExportDownloadError,
    InvalidArgumentError,
    LabelboxError,
    NetworkError,
    SignedUrlExpiredError,
    StreamStateError,
)
from alabelbox._secrets import redact_text
from alabelbox._streaming import Record, read_records
from alabelbox._transport._mapping import excerpt, iter_body, map_client_error, raise_mapped
from alabelbox._transport._pool import default_headers, download_error
from alabelbox.types.export_shard import ExportShard

__all__ = ["SignedShardReader"]

logger = logging.getLogger("alabelbox.exports")

_READ_CHUNK = 256 * 1024
_ERROR_BODY_BYTES = 4096


class _CutOff(NetworkError):
    """A body that ended before its range did."""


class SignedShardReader:
    """Read one signed shard with no API key: ``async with SignedShardReader(shard) as rows: async for row in rows``.

    Each item is a :class:`~alabelbox.Record` ``(value, offset, line, end)`` with the stream's global positions.

    Args:
        shard: A shard that carries its signed URL (``client.exports.shards(task, signed=True)``).
        model: What each row becomes: None for plain dicts (the default), or a pydantic model or ``TypeAdapter``
            (e.g. :class:`~alabelbox.types.ExportRow`).
        retry: How failed GETs are retried and resumed (the client's default policy if not given).
        timeout: The network time of one attempt (``total``) and of connecting (``connect``).
        session: An aiohttp session to use (it must not carry an ``Authorization`` header); the caller closes it.
            By default the reader makes one and closes it.

    Raises:
        SignedUrlExpiredError: The storage refused the URL as expired: sign the shard again and start over.
        ExportDownloadError: The shard could not be read after retries, or its length or line count is wrong.
        ExportParseError, RecordValidationError: A row is malformed or does not fit ``model``.

    Example:
        >>> shards = await client.exports.shards(task, signed=True)
        >>> async with alabelbox.SignedShardReader(shards[0]) as rows:  # no client, no key
        ...     ids = [row.value["data_row"]["id"] async for row in rows]
        >>> len(ids) == shards[0].lines
        True
    """

    def __init__(
        self,
        shard: ExportShard,
        *,
        model: Any = None,
        retry: RetryConfig | None = None,
        timeout: Timeout | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        if not isinstance(shard, ExportShard):
            raise InvalidArgumentError("shard", f"expected an ExportShard, got {type(shard).__name__}")
        if shard.url is None:
            raise InvalidArgumentError(
                "shard",
                f"shard {shard.index} of export task {shard.task_id} carries no signed URL: list the shards with "
                "client.exports.shards(task, signed=True), or sign it with client.exports.sign(shard)",
            )
        self._shard = shard
        self._url = shard.url
        self._model = model
        self._retry = retry or RetryConfig()
        self._timeout = timeout or Timeout()
        self._session = session
        self._own_session = session is None
        self._entered = False
        self._gen: AsyncGenerator[Record[Any], None] | None = None
        self.retries = 0
        """GETs retried (resumed) so far."""

    @property
    def shard(self) -> ExportShard:
        """The shard being read."""
        return self._shard

    async def __aenter__(self) -> SignedShardReader:
        if self._entered:
            raise StreamStateError("a SignedShardReader can be entered only once")
        self._entered = True
        if self._session is None:
            # trust_env=False: no proxy credentials or .netrc from the environment either.
            self._session = aiohttp.ClientSession(
                headers=default_headers(), timeout=aiohttp.ClientTimeout(total=None), trust_env=False
            )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop reading and release the connection (and the session the reader made). Idempotent.

        Example:
            >>> reader = alabelbox.SignedShardReader((await client.exports.shards(task, signed=True))[0])
            >>> async with reader as rows:  # leaving the block closes it
            ...     first = await anext(aiter(rows))
            >>> await reader.aclose()  # again: nothing left to do
        """
        gen, self._gen = self._gen, None
        if gen is not None:
            await gen.aclose()
        session, self._session = self._session, None
        if session is not None and self._own_session:
            await session.close()

    def __aiter__(self) -> AsyncIterator[Record[Any]]:
        if not self._entered or self._session is None:
            raise StreamStateError("use `async with SignedShardReader(shard) as rows:` first")
        if self._gen is None:
            self._gen = self._records()
        return self._gen

    def __repr__(self) -> str:
        return f"<SignedShardReader {self._shard!r}>"

    async def _records(self) -> AsyncGenerator[Record[Any], None]:
        shard = self._shard
        reader = read_records(
            self._body(),
            self._model,
            format="ndjson",
            start_offset=shard.byte_start,
            start_line=shard.line_start,
            chunk_size=_READ_CHUNK,
        )
        async with reader:
            async for record in reader:
                yield record
        if reader.offset != shard.byte_end + 1 or reader.line != shard.line_end + 1:
            raise ExportDownloadError(
                f"{self._what()}: read lines {shard.line_start}-{reader.line - 1} ending at byte {reader.offset}; its "
                f"ranges say lines {shard.line_start}-{shard.line_end}, bytes {shard.byte_start}-{shard.byte_end}"
            )

    def _what(self) -> str:
        shard = self._shard
        return f"export task {shard.task_id} shard {shard.index} (bytes {shard.byte_start}-{shard.byte_end})"

    async def _body(self) -> AsyncGenerator[bytes, None]:
        """The shard's bytes, once each: a failed GET resumes at the exact next byte."""
        shard = self._shard
        policy = DownloadRetry(self._retry, self._what(), min_progress=progress_threshold(shard.size))
        position = shard.byte_start
        while True:
            before = position
            try:
                bound = AttemptBound(self._timeout.total, f"GET {self._what()}")
                async with aclosing(self._attempt(position, bound)) as body:
                    async for data in body:
                        position += len(data)
                        yield data
                return
            except LabelboxError as error:
                if is_expired_url(error):
                    raise SignedUrlExpiredError(
                        f"{self._what()}: the storage refused its signed URL (expired?) at byte {position}; sign the "
                        "shard again (client.exports.sign(shard)) and read it anew",
                        operation=error.operation,
                        status=error.status,
                    ) from error
                await policy.after_failure(error, progressed=position - before, at=position)
                self.retries += 1

    async def _attempt(self, position: int, bound: AttemptBound) -> AsyncGenerator[bytes, None]:
        """One GET from ``position`` to the end of the shard, each wait for the server bounded by ``bound``."""
        shard = self._shard
        session = self._session
        if session is None:
            raise StreamStateError("this SignedShardReader is closed")
        headers = range_header(position - shard.byte_start)
        expected = shard.byte_end + 1 - position
        label = f"GET {urlsplit(self._url).path}"
        timeout = aiohttp.ClientTimeout(total=None, connect=self._timeout.connect, sock_read=self._timeout.total)
        failure: tuple[LabelboxError, BaseException] | None = None
        response: aiohttp.ClientResponse | None = None
        try:
            with bound.network():
                response = await session.get(self._url, headers=headers, timeout=timeout)
        except Exception as exc:
            mapped = map_client_error(exc, label, redact=redact_text)
            if mapped is None:
                raise
            failure = (mapped, exc)
        if failure is not None:
            raise_mapped(*failure, redact_text)  # outside the except block: aiohttp's text may quote the URL
        assert response is not None
        try:
            if response.status >= 400:
                with bound.network():
                    body = await response.content.read(_ERROR_BODY_BYTES)
                raise download_error(
                    response.status,
                    response.headers,
                    excerpt(body, redact=redact_text, truncated=len(body) == _ERROR_BODY_BYTES),
                    label,
                )
            drop = 0
            if headers is not None and response.status == 200:
                drop = position - shard.byte_start  # the server ignored Range: skip what we have
            elif headers is not None and response.status != 206:
                raise ExportDownloadError(f"{self._what()}: a ranged GET answered HTTP {response.status}")
            length = response.content_length
            if length is not None and length != expected + drop:
                raise ExportDownloadError(
                    f"{self._what()}: Content-Length {length} does not match the inclusive range "
                    f"({expected + drop} bytes expected from byte {position - drop})"
                )
            received = 0
            async with aclosing(iter_body(response, label, redact=redact_text)) as chunks:
                while True:
                    with bound.network():
                        try:
                            data = await anext(chunks)
                        except StopAsyncIteration:
                            break
                    if drop:
                        cut = min(drop, len(data))
                        data, drop = data[cut:], drop - cut
                        if not data:
                            continue
                    received += len(data)
                    if received > expected:
                        raise ExportDownloadError(
                            f"{self._what()}: the body is longer than its inclusive range "
                            f"({received} bytes received, {expected} expected)"
                        )
                    yield data
            if received < expected:
                raise _CutOff(f"the body ended after {received} of {expected} bytes", operation=label)
        finally:
            response.release()
