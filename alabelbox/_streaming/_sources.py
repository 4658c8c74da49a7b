"""Sources: any supported async byte stream as an async iterator of non-empty chunks, and who closes what."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import anyio
import anyio.abc

from alabelbox._exceptions import InvalidArgumentError


async def iter_chunks(source: Any, chunk_size: int) -> AsyncGenerator[bytes, None]:
    """Normalise the accepted sources to an async iterator of non-empty byte chunks."""
    content = getattr(source, "content", None)
    if content is not None and hasattr(content, "iter_chunked"):  # an aiohttp ClientResponse
        source = content
    if hasattr(source, "iter_chunked"):  # aiohttp StreamReader: never its line iterator
        async for chunk in source.iter_chunked(chunk_size):
            if chunk:
                yield chunk
    elif isinstance(source, anyio.abc.ByteReceiveStream):
        while True:
            try:
                chunk = await source.receive(chunk_size)
            except anyio.EndOfStream:
                return
            if chunk:
                yield chunk
    elif hasattr(source, "read"):  # anyio AsyncFile and other async readables
        while chunk := await source.read(chunk_size):
            yield bytes(chunk)
    elif hasattr(source, "__aiter__"):
        async for chunk in source:
            if chunk:
                yield bytes(chunk)
    else:
        raise InvalidArgumentError(
            "source",
            f"expected an async byte stream (aiohttp response or StreamReader, anyio file or byte stream, "
            f"async iterator of bytes), got {type(source).__name__}",
        )


async def prepend(first: bytes, rest: AsyncIterator[bytes]) -> AsyncGenerator[bytes, None]:
    """``first`` (the bytes read to detect the format), if any, then ``rest``."""
    if first:
        yield first
    async for chunk in rest:
        yield chunk


async def close_source(source: Any, chunks: AsyncGenerator[bytes, None]) -> None:
    """End the iteration of ``source``: close ``chunks``, and ``source`` itself if it is an async iterator.

    A response or file stays open: its owner closes it. An async iterator (e.g. an async generator) is only ever
    iterated by the reader, so the reader closes it, even if iteration never started.
    """
    await chunks.aclose()
    aclose = getattr(source, "aclose", None)
    if aclose is not None and hasattr(source, "__anext__"):
        await aclose()
