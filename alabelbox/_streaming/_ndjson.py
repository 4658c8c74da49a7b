"""The NDJSON engine, the hot path: lines split across chunks with no length limit, each validated from bytes."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing

import anyio.lowlevel

from alabelbox._streaming._errors import JSON_WS, SKIP, Checker
from alabelbox._streaming._records import Progress, Record, T
from alabelbox._streaming._sources import prepend


async def ndjson_records(
    progress: Progress,
    chunks: AsyncIterator[bytes],
    first: bytes,
    *,
    validate: Callable[[bytes], T],
    checker: Checker,
    yield_every: int,
    close: Callable[[], Awaitable[None]],
) -> AsyncGenerator[Record[T], None]:
    """The records of the NDJSON in ``first`` and then ``chunks``; ``close()`` when done, however it ends.

    Per record: one ``validate`` call on a slice, the position stores on ``progress``, one ``Record``. A line that
    fails ``validate``, spans chunks or ends the stream goes to ``checker``.
    """
    try:
        offset = progress.offset  # global offset of data[0]
        line = progress.line
        pending: list[bytes] = []  # pieces of a line that spans chunks
        pending_len = 0
        budget = 0
        # Closed explicitly, not left to the garbage collector (whose asyncio hook would close it in a task).
        async with aclosing(prepend(first, chunks)) as source:
            async for data in source:
                start = 0
                nl = data.find(b"\n")
                if nl < 0:
                    pending.append(data)
                    pending_len += len(data)
                    offset += len(data)
                    budget += len(data)
                    if budget >= yield_every:
                        budget = 0
                        await anyio.lowlevel.checkpoint()
                    continue
                if pending:
                    # A line that spans chunks: join once, when its end is seen (no quadratic re-copying).
                    pending.append(data[:nl])
                    piece = b"".join(pending)
                    pending.clear()
                    rec_start = offset - pending_len
                    pending_len = 0
                    value = checker.one(piece, rec_start, line)
                    progress.offset = offset + nl + 1
                    progress.line = line = line + 1
                    if value is not SKIP:
                        progress.count += 1
                        yield Record(value, rec_start, line - 1, progress.offset)
                    start = nl + 1
                    nl = data.find(b"\n", start)
                mark = start
                while nl >= 0:
                    if nl > start:
                        try:
                            value = validate(data[start:nl])
                        except ValueError:
                            value = checker.one(data[start:nl], offset + start, line)
                        progress.offset = offset + nl + 1
                        progress.line = line + 1
                        if value is not SKIP:
                            progress.count += 1
                            yield Record(value, offset + start, line, offset + nl + 1)
                        if nl - mark >= yield_every:
                            mark = nl
                            await anyio.lowlevel.checkpoint()
                    else:
                        progress.offset = offset + nl + 1
                        progress.line = line + 1
                    line += 1
                    start = nl + 1
                    nl = data.find(b"\n", start)
                if start < len(data):
                    pending.append(data[start:])
                    pending_len = len(data) - start
                budget += len(data) - mark
                offset += len(data)
                if budget >= yield_every:
                    budget = 0
                    await anyio.lowlevel.checkpoint()
        if pending:
            piece = b"".join(pending)
            rec_start = offset - pending_len
            if piece.strip(JSON_WS):
                value = checker.last(piece, rec_start, line)
                progress.offset = offset
                progress.line = line + 1
                if value is not SKIP:
                    progress.count += 1
                    yield Record(value, rec_start, line, offset)
            else:
                progress.offset = offset
        checker.report()
    finally:
        await close()
