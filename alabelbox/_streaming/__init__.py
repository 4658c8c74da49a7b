"""The incremental reader: an async byte stream in, typed records out, in bounded memory.

``read_records(source, model=ExportRow)`` turns any async byte stream into an async iterator of
:class:`Record` ``(value, offset, line, end)``. Three engines:

* **NDJSON** (export v2): lines are split across chunk boundaries with no line-length limit (never
  ``async for line in response.content``, which raises ``LineTooLong`` over 512 KB) and each line is validated
  straight from bytes by pydantic-core (``validate_json``), with no intermediate dict. ``model=None`` parses with
  pydantic-core's ``from_json`` into plain dicts.
* **JSON, splitter** (default for ``format="json"``): a top-level array (or one top-level object) is cut into
  items at the byte level, by a regular expression that skips strings and reports brackets, and each item's bytes
  go to ``validate_json``. Exact byte offsets, same speed as NDJSON.
* **JSON, ijson** (``json_engine="ijson"``): ijson's async API (C backend ``yajl2_c`` when present) for arbitrary
  JSON under any ``prefix``. ijson does not report positions, so these records carry ``offset=None``.

Positions and resuming (the interface for the export streamer)
--------------------------------------------------------------
* ``Record.offset`` is the global byte offset of the record's first byte, ``Record.end`` the offset just after it
  (after its ``\\n`` for NDJSON), ``Record.line`` its 0-based line (NDJSON; ``None`` for JSON). To resume after a
  record, restart at byte ``record.end`` and line ``record.line + 1``.
* ``start_offset`` / ``start_line`` make positions global when the source is a shard, or a shard body fetched
  from the middle with ``Range: bytes=N-``: pass the global offset and line of the first byte fed in.
* The reader itself keeps ``reader.offset`` / ``reader.line``: the position just after the last complete record
  (blank lines included), updated before each record is handed out.
* A body that is cut off inside a record raises :class:`~alabelbox.IncompleteExportError` whose ``offset`` /
  ``line`` are that position: fetch from there and feed a new reader with ``start_offset=err.offset,
  start_line=err.line``. A body cut exactly at a line boundary cannot be told from a short file here; the streamer
  checks it against the shard's length.

Memory and the event loop
-------------------------
The reader is pull-driven: it parses only when the consumer asks for the next record, so it never runs ahead and
needs no queue. Memory is one chunk (``chunk_size``, 256 KiB by default) plus the line or item being
assembled, whatever the file size. A consumer that wants parsing to run ahead of slow processing can put a
bounded anyio memory object stream between them, but parsing on the loop runs no faster for it. Parsing is CPU
work on the loop (threads lose to the GIL: 0.26-0.35x), so the reader yields to the loop (``anyio.sleep(0)``)
every ``yield_every`` bytes of input (256 KiB, a few ms of parsing) even when the source never blocks.

Closing
-------
The reader owns the iteration of its source: when it stops (exhausted, an error, ``break`` with ``aclose()`` or
``async with``), it closes what it created and calls ``aclose()`` on a source that is an async iterator (e.g. an
async generator). A response or file handed in stays open: its owner closes it. Use
``async with read_records(...) as reader:`` (or ``contextlib.aclosing``) so an early ``break`` releases everything
at once rather than at garbage collection.

Errors
------
* malformed JSON: :class:`~alabelbox.ExportParseError` with the byte offset of the fault, its line, an excerpt;
* a stream that ends inside a record: :class:`~alabelbox.IncompleteExportError` (position to resume from);
* a record that does not fit ``model``: :class:`~alabelbox.RecordValidationError` with its position and the
  dotted field path; with ``on_invalid="skip"`` the errors are collected in ``reader.invalid`` instead (and
  counted in the final log line), and the reader goes on. Nothing is dropped silently.
"""

from __future__ import annotations

import itertools
import logging
import operator
import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, Generic, Literal, NamedTuple, Protocol, TypeVar, overload

import anyio
import anyio.abc
import anyio.lowlevel
import ijson
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import from_json

from alabelbox._exceptions import (
    ExportParseError,
    IncompleteExportError,
    InvalidArgumentError,
    RecordValidationError,
)

__all__ = ["Record", "RecordReader", "ijson_backend", "read_records"]

logger = logging.getLogger("alabelbox.reader")

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 256 * 1024
DEFAULT_YIELD_EVERY = 256 * 1024
_EXCERPT = 40

Format = Literal["ndjson", "json", "auto"]
OnInvalid = Literal["raise", "skip"]


class Record(NamedTuple, Generic[T]):
    """A record and where it came from.

    Attributes:
        value: The validated model instance (or a dict with ``model=None``).
        offset: Global byte offset of the record's first byte (``None`` with the ijson engine).
        line: 0-based NDJSON line number (``None`` for JSON input).
        end: Global byte offset just after the record (and its newline): where a resume starts.
    """

    value: T
    offset: int | None
    line: int | None
    end: int | None


class _AsyncReadable(Protocol):
    async def read(self, size: int = -1, /) -> bytes: ...


def ijson_backend() -> str:
    """The name of the ijson backend in use (``"yajl2_c"`` when the C extension is available)."""
    return str(ijson.backend)


_IJSON_WARNED = False


def _log_ijson_backend() -> None:
    global _IJSON_WARNED
    if _IJSON_WARNED:
        return
    _IJSON_WARNED = True
    if ijson_backend() == "yajl2_c":
        logger.info("ijson backend: yajl2_c (C)")
    else:
        logger.warning(
            "ijson backend: %s; only a pure-Python ijson backend is available, JSON parsing will be slow",
            ijson_backend(),
        )


async def _chunks(source: Any, chunk_size: int) -> AsyncGenerator[bytes, None]:
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


_POS_RE = re.compile(r"line (\d+) column (\d+)")


def _json_error_column(message: str) -> tuple[int, int]:
    """(line, column), both 1-based, from a pydantic-core JSON error message."""
    m = _POS_RE.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (1, 1)


def _excerpt(data: bytes, at: int) -> str:
    lo = max(0, at - _EXCERPT // 2)
    return data[lo : at + _EXCERPT // 2].decode("utf-8", "replace")


def _field_path(loc: tuple[int | str, ...]) -> str:
    # Union machinery adds member names such as "tagged-union[...]" or "function-after[...]"; they are not fields.
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p))


def _byte_offset_in(piece: bytes, line: int, column: int) -> int:
    """Byte index in ``piece`` of a 1-based (line, column) from pydantic-core (columns count bytes)."""
    index = 0
    for _ in range(line - 1):
        nl = piece.find(b"\n", index)
        if nl < 0:
            break
        index = nl + 1
    return min(index + column - 1, len(piece))


class RecordReader(Generic[T]):
    """An async iterator of :class:`Record`\\ s read from an async byte stream. Made by :func:`read_records`.

    Attributes:
        offset: Global byte offset just after the last complete record handed out (where a resume starts).
        line: Global 0-based line just after it (NDJSON).
        invalid: With ``on_invalid="skip"``, the :class:`RecordValidationError` of every record skipped.
        count: Records handed out so far.
    """

    def __init__(
        self,
        source: Any,
        *,
        validate: Callable[[bytes], T],
        python_validate: Callable[[Any], T],
        format: Format,
        on_invalid: OnInvalid,
        start_offset: int,
        start_line: int,
        chunk_size: int,
        yield_every: int,
        json_engine: Literal["splitter", "ijson"],
        ijson_prefix: str | None,
    ) -> None:
        self._source = source
        self._validate = validate
        # Errors are explained by pydantic-core (byte columns, "EOF" for truncation), whatever parsed the fast path.
        self._slow_validate: Callable[[bytes], Any] = from_json if validate is _fast_loads else validate
        self._python_validate = python_validate
        self._format = format
        self._on_invalid = on_invalid
        self._chunk_size = chunk_size
        self._yield_every = yield_every
        self._json_engine = json_engine
        self._ijson_prefix = ijson_prefix
        self.offset = start_offset
        self.line = start_line
        self.invalid: list[RecordValidationError] = []
        self.count = 0
        self._chunk_iter = _chunks(source, chunk_size)
        # NDJSON, the hot path: the engine generator is the iterator itself, with no generator re-yielding its
        # records (each level of re-yield costs about 1 % of throughput).
        self._gen: AsyncGenerator[Record[T], None] = self._ndjson(b"") if format == "ndjson" else self._run()

    # -- the async iterator protocol, kept thin: one extra call per record ---------------------------------------

    def __aiter__(self) -> RecordReader[T]:
        return self

    def __anext__(self) -> Any:
        return self._gen.__anext__()

    async def aclose(self) -> None:
        """Stop reading and release the source's iteration. Idempotent."""
        await self._gen.aclose()
        await self._close_source()

    async def __aenter__(self) -> RecordReader[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _close_source(self) -> None:
        await self._chunk_iter.aclose()
        aclose = getattr(self._source, "aclose", None)
        if aclose is not None and hasattr(self._source, "__anext__"):
            await aclose()

    # -- the engines ----------------------------------------------------------------------------------------------

    async def _run(self) -> AsyncGenerator[Record[T], None]:
        try:
            chunks = self._chunk_iter
            first = b""
            fmt = self._format
            if fmt != "ndjson":
                # Read up to the first non-blank byte; for "auto" up to the end of the first line too.
                parts: list[bytes] = []
                async for chunk in chunks:
                    parts.append(chunk)
                    if chunk.strip() and (fmt == "json" or b"\n" in chunk.lstrip()):
                        break
                first = b"".join(parts)
                fmt = _sniff(first) if fmt == "auto" else fmt
            if fmt == "ndjson":
                async for rec in self._ndjson(first):
                    yield rec
            elif self._json_engine == "ijson":
                async for rec in self._ijson(first):
                    yield rec
            else:
                async for rec in self._json_split(first):
                    yield rec
            if self.invalid:
                logger.warning("%d invalid records skipped", len(self.invalid))
        finally:
            await self._close_source()

    def _invalid(self, exc: ValidationError, data: bytes, offset: int, line: int | None) -> RecordValidationError:
        errors = exc.errors(include_url=False, include_input=False)
        path = _field_path(tuple(errors[0]["loc"])) if errors else ""
        return RecordValidationError(
            f"record does not fit {self._model_name()}: {errors[0]['msg'] if errors else exc}"
            + (f" (field {path})" if path else ""),
            offset=offset,
            line=line,
            excerpt=data[: _EXCERPT * 2].decode("utf-8", "replace"),
            field_path=path,
            validation_errors=[dict(e) for e in errors],
        )

    def _model_name(self) -> str:
        return getattr(self, "model_name", "the model")

    def _parse_error(self, message: str, piece: bytes, offset: int, line: int | None) -> ExportParseError:
        ln, col = _json_error_column(message)
        at = _byte_offset_in(piece, ln, col)
        return ExportParseError(
            f"malformed JSON: {message}",
            offset=offset + at,
            line=None if line is None else line + ln - 1,
            excerpt=_excerpt(piece, at),
        )

    def _check(self, piece: bytes, offset: int, line: int | None, final: bool) -> T | None:
        """Validate one record's bytes; raise the documented error, or collect it and return None.

        Only called on the slow path (after ``validate`` raised), so the happy path stays one call.
        """
        try:
            value: T = self._slow_validate(piece)
            return value
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            if errors and errors[0]["type"] == "json_invalid":
                message = str(errors[0].get("ctx", {}).get("error", errors[0]["msg"]))
                self._raise_json(message, piece, offset, line, final)
            err = self._invalid(exc, piece, offset, line)
            if self._on_invalid == "skip":
                self.invalid.append(err)
                return None
            raise err from exc
        except ValueError as exc:  # from_json (model=None)
            self._raise_json(str(exc), piece, offset, line, final)
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_json(self, message: str, piece: bytes, offset: int, line: int | None, final: bool) -> None:
        if final and "EOF" in message:
            raise IncompleteExportError(
                "the stream ended inside a record",
                offset=self.offset,
                line=self.line if line is not None else None,
                excerpt=_excerpt(piece, len(piece)),
            )
        raise self._parse_error(message, piece, offset, line)

    async def _ndjson(self, first: bytes) -> AsyncGenerator[Record[T], None]:
        try:
            validate = self._validate
            yield_every = self._yield_every
            offset = self.offset  # global offset of data[0]
            line = self.line
            pending: list[bytes] = []  # pieces of a line that spans chunks
            pending_len = 0
            chunks = self._chunk_iter
            first_iter: list[bytes] = [first] if first else []
            budget = 0
            async for data in _prepend(first_iter, chunks):
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
                    value = self._one(piece, rec_start, line, validate)
                    self.offset = offset + nl + 1
                    self.line = line = line + 1
                    if value is not _SKIP:
                        self.count += 1
                        yield Record(value, rec_start, line - 1, self.offset)
                    start = nl + 1
                    nl = data.find(b"\n", start)
                mark = start
                while nl >= 0:
                    if nl > start:
                        try:
                            value = validate(data[start:nl])
                        except ValueError:
                            value = self._one(data[start:nl], offset + start, line, validate)
                        self.offset = offset + nl + 1
                        self.line = line + 1
                        if value is not _SKIP:
                            self.count += 1
                            yield Record(value, offset + start, line, offset + nl + 1)
                        if nl - mark >= yield_every:
                            mark = nl
                            await anyio.lowlevel.checkpoint()
                    else:
                        self.offset = offset + nl + 1
                        self.line = line + 1
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
                if piece.strip():
                    value = self._last(piece, rec_start, line)
                    self.offset = offset
                    self.line = line + 1
                    if value is not _SKIP:
                        self.count += 1
                        yield Record(value, rec_start, line, offset)
                else:
                    self.offset = offset
        finally:
            await self._close_source()

    def _one(self, piece: bytes, offset: int, line: int | None, validate: Callable[[bytes], T]) -> Any:
        """A record that failed the fast path (or spanned chunks): validate with full error handling."""
        if not piece.strip():  # a whitespace-only line (e.g. "\r" of CRLF): not a record
            return _SKIP
        value = self._check(piece, offset, line, final=False)
        return _SKIP if value is None else value

    def _last(self, piece: bytes, offset: int, line: int | None) -> Any:
        """The bytes after the last newline at the end of the stream: a complete record, or a truncated one."""
        stripped = piece.rstrip()
        if not stripped.endswith((b"}", b"]")):
            # A complete object or array ends with its closing bracket; anything else was cut off. This also
            # keeps a truncated scalar ("12" of "123") from passing as a record.
            message = _json_error_message(self._slow_validate, piece)
            if message is not None and "EOF" not in message:
                raise self._parse_error(message, piece, offset, line)
            raise IncompleteExportError(
                "the stream ended inside a record",
                offset=self.offset,
                line=self.line if line is not None else None,
                excerpt=_excerpt(piece, len(piece)),
            )
        value = self._check(piece, offset, line, final=True)
        return _SKIP if value is None else value

    # -- JSON: the byte-level splitter -------------------------------------------------------------------------

    async def _json_split(self, first: bytes) -> AsyncIterator[Record[T]]:
        validate = self._validate
        chunks = self._chunk_iter
        yield_every = self._yield_every
        buf = first
        base = self.offset  # global offset of buf[0]
        m = _WS.match(buf)
        pos = m.end() if m else 0
        if buf[pos : pos + 1] == b"[":
            in_array = True
            state = _OPEN  # right after "[": an item or "]"
            pos += 1
        elif buf[pos : pos + 1] == b"{":
            in_array = False
            state = _ITEM
        elif not buf.strip():
            return  # an empty body holds no records
        else:
            raise self._parse_error("expected `[` or `{` at line 1 column 1", buf[pos:], base + pos, None)
        self.offset = base + pos
        ends: list[int] = []  # item ends found by the last scan, in buf coordinates
        ei = 0
        need = 0  # bytes to have after pos before scanning again (doubles for items larger than the buffer)
        mark = pos
        exhausted = False
        while True:
            if state != _DONE:
                m = _WS.match(buf, pos)
                if m:
                    pos = m.end()
            if pos < len(buf) and state != _DONE:
                c = buf[pos]
                if state == _SEP:
                    if c == 0x2C:  # ","
                        pos += 1
                        state = _ITEM
                        continue
                    if c == 0x5D:  # "]"
                        pos += 1
                        self.offset = base + pos
                        state = _DONE
                        continue
                    raise self._parse_error("expected `,` or `]` at line 1 column 1", buf[pos:], base + pos, None)
                if state == _OPEN and c == 0x5D:
                    pos += 1
                    self.offset = base + pos
                    state = _DONE
                    continue
                end = -1
                if c == 0x7B or c == 0x5B:  # "{" or "[": the usual case
                    # Fastest: one item per line (how exports are written). If the rest of the line, less its
                    # separator, is one complete JSON value, that value is the item: a value starting at ``pos``
                    # has exactly one end. If it is not (pretty-printed items), the bracket scan below decides.
                    nl = buf.find(b"\n", pos)
                    if nl > 0:
                        line_end = nl
                        while buf[line_end - 1] in b" \t\r":
                            line_end -= 1
                        if buf[line_end - 1] == 0x2C:  # ","
                            line_end -= 1
                        piece = buf[pos:line_end]
                        try:
                            value = validate(piece)
                        except ValidationError as exc:
                            value = (
                                _NOT_AN_ITEM if _is_json_error(exc) else self._one(piece, base + pos, None, validate)
                            )
                        except ValueError:
                            value = _NOT_AN_ITEM
                        if value is not _NOT_AN_ITEM:
                            self.offset = base + line_end
                            if value is not _SKIP:  # _SKIP: a complete value that does not fit, collected by _one
                                self.count += 1
                                yield Record(value, base + pos, None, base + line_end)
                            pos = line_end
                            state = _SEP if in_array else _DONE
                            if pos - mark >= yield_every:
                                mark = pos
                                await anyio.lowlevel.checkpoint()
                            continue
                    while ei < len(ends) and ends[ei] <= pos:
                        ei += 1
                    if ei == len(ends) and len(buf) - pos >= need:
                        ends = _item_ends(buf, pos)
                        ei = 0
                    if ei < len(ends):
                        end = ends[ei]
                        ei += 1
                else:
                    end = _scalar_end(buf, pos)
                if end >= 0:
                    piece = buf[pos:end]
                    try:
                        value = validate(piece)
                    except ValueError:
                        value = self._one(piece, base + pos, None, validate)
                    self.offset = base + end
                    if value is not _SKIP:
                        self.count += 1
                        yield Record(value, base + pos, None, base + end)
                    pos = end
                    need = 0
                    state = _SEP if in_array else _DONE
                    if pos - mark >= yield_every:
                        mark = pos
                        await anyio.lowlevel.checkpoint()
                    continue
                need = max(need, 2 * (len(buf) - pos))
            # More bytes needed (or, when done, only whitespace may follow): drop what is consumed, read on.
            if pos:
                buf = buf[pos:]
                base += pos
                mark -= pos
                ends = [e - pos for e in ends[ei:]]
                ei = 0
                pos = 0
            if exhausted:
                break
            parts = [buf]
            size = len(buf)
            exhausted = True
            async for chunk in chunks:
                parts.append(chunk)
                size += len(chunk)
                if size >= need:
                    exhausted = False
                    break
            if exhausted:
                need = 0  # no more bytes will come: scan what there is
                if len(parts) == 1:
                    break
            buf = b"".join(parts)
            if state == _DONE:
                m = _WS.match(buf)
                pos = m.end() if m else 0
                if pos < len(buf):
                    raise self._parse_error("trailing characters at line 1 column 1", buf[pos:], base + pos, None)
            await anyio.lowlevel.checkpoint()
        rest = buf[pos:]
        if state == _DONE:
            m = _WS.match(rest)
            at = m.end() if m else 0
            if at < len(rest):
                raise self._parse_error("trailing characters at line 1 column 1", rest[at:], base + pos + at, None)
            return
        raise IncompleteExportError(
            "the stream ended inside a record" if rest.strip() else "the stream ended before the closing `]`",
            offset=self.offset,
            excerpt=_excerpt(rest, len(rest)),
        )

    # -- JSON: ijson --------------------------------------------------------------------------------------------

    async def _ijson(self, first: bytes) -> AsyncIterator[Record[T]]:
        _log_ijson_backend()
        reader = _ChunkFile(_prepend([first] if first else [], self._chunk_iter))
        prefix = self._ijson_prefix
        if prefix is None:
            prefix = "item" if first.lstrip().startswith(b"[") else ""
        python_validate = self._python_validate
        n = 0
        try:
            async for obj in ijson.items_async(reader, prefix, use_float=True):
                try:
                    value = python_validate(obj)
                except ValidationError as exc:
                    err = self._invalid(exc, repr(obj).encode(), reader.consumed, None)
                    err.offset = None
                    if self._on_invalid == "skip":
                        self.invalid.append(err)
                        continue
                    raise err from exc
                self.count += 1
                n += 1
                yield Record(value, None, None, None)
                if n % 32 == 0:
                    await anyio.lowlevel.checkpoint()
        except ijson.IncompleteJSONError as exc:
            message = str(exc)
            if "premature EOF" in message or "incomplete" in message.lower():
                raise IncompleteExportError(
                    f"the stream ended inside the JSON document ({message.strip()})",
                    excerpt=reader.tail.decode("utf-8", "replace"),
                ) from exc
            raise ExportParseError(
                f"malformed JSON: {message.strip()}",
                offset=reader.consumed,
                excerpt=reader.tail.decode("utf-8", "replace"),
            ) from exc
        except ijson.JSONError as exc:
            raise ExportParseError(
                f"malformed JSON: {str(exc).strip()}",
                offset=reader.consumed,
                excerpt=reader.tail.decode("utf-8", "replace"),
            ) from exc


def _is_json_error(exc: ValidationError) -> bool:
    errors = exc.errors(include_url=False, include_input=False)
    return bool(errors) and errors[0]["type"] == "json_invalid"


def _json_error_message(validate: Callable[[bytes], Any], piece: bytes) -> str | None:
    """The JSON syntax error in ``piece``, if any (validation errors do not count)."""
    try:
        validate(piece)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if errors and errors[0]["type"] == "json_invalid":
            return str(errors[0].get("ctx", {}).get("error", errors[0]["msg"]))
        return None
    except ValueError as exc:
        return str(exc)
    return None


class _Skip:
    __slots__ = ()


_SKIP: Any = _Skip()
_NOT_AN_ITEM: Any = _Skip()
_WS = re.compile(rb"[ \t\r\n]+")

# One match per structural bracket outside strings: strings and other bytes are skipped inside the regex engine.
# A string that does not end in the buffer yields a lone `"` match: nothing after it can be trusted yet. The end
# of the buffer matches too (empty), so every match attempt succeeds where it starts and the engine never
# restarts a match from inside a string.
_SCAN = re.compile(rb'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+")*+([\[\]{}"]|\Z)', re.DOTALL)
_DELTA = {b"{": 1, b"[": 1, b"}": -1, b"]": -1}
_OPEN, _ITEM, _SEP, _DONE = range(4)  # splitter states: after "[", after ",", after an item, after the end
_SCALAR = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[^,\]}\s"]+', re.DOTALL)


def _item_ends(buf: bytes, pos: int) -> list[int]:
    """The ends (exclusive) of the consecutive bracketed JSON values from ``buf[pos]`` that are complete in ``buf``.

    One regex pass and a few C-level iterator steps per buffer, not per byte: the cumulative bracket depth returns
    to 0 exactly at the end of each top-level item. Only the structure is found here; whether an item is valid JSON
    is pydantic's call, on its bytes, so a wrong cut can only surface as an error, never as a wrong record.
    """
    brackets = _SCAN.findall(buf, pos)
    # Trust nothing from an unterminated string (`"`) or the end-of-buffer match (empty) on.
    for cut, b in enumerate(brackets):
        if b == b'"' or not b:
            del brackets[cut:]
            break
    depth = itertools.accumulate(map(_DELTA.__getitem__, brackets))
    hits = itertools.compress(itertools.count(), map(operator.not_, depth))
    ends: list[int] = []
    matches = _SCAN.finditer(buf, pos)
    previous = -1
    for k in hits:
        m = next(itertools.islice(matches, k - previous - 1, None))
        previous = k
        ends.append(m.end())
    return ends


def _scalar_end(buf: bytes, pos: int) -> int:
    """The end of a scalar item (string, number, literal) at ``buf[pos]``, or -1 if it may go on past ``buf``."""
    m = _SCALAR.match(buf, pos)
    if m is None or m.end() >= len(buf):
        return -1
    return m.end()


async def _prepend(first: list[bytes], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in first:
        yield chunk
    async for chunk in rest:
        yield chunk


class _ChunkFile:
    """An async file-like view of a chunk iterator, for ijson's async API."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""
        self.consumed = 0
        self.tail = b""

    async def read(self, size: int = -1) -> bytes:
        if not self._buf:
            self._buf = await anext(self._chunks, b"")
        out = self._buf if size < 0 else self._buf[:size]
        self._buf = b"" if size < 0 else self._buf[size:]
        self.consumed += len(out)
        if out:
            self.tail = out[-_EXCERPT:]
        return out


def _sniff(first: bytes) -> Format:
    """Guess NDJSON or JSON from the first bytes: an array is JSON; an object whose first line closes is NDJSON."""
    head = first.lstrip()
    if head.startswith(b"["):
        return "json"
    nl = head.find(b"\n")
    first_line = head if nl < 0 else head[:nl]
    return "ndjson" if first_line.rstrip().endswith(b"}") else "json"


@overload
def read_records(
    source: Any,
    model: None,
    *,
    format: Format = ...,
    on_invalid: OnInvalid = ...,
    start_offset: int = ...,
    start_line: int = ...,
    chunk_size: int = ...,
    yield_every: int = ...,
    json_engine: Literal["splitter", "ijson"] = ...,
    ijson_prefix: str | None = ...,
) -> RecordReader[Any]: ...


@overload
def read_records(
    source: Any,
    model: type[T] | TypeAdapter[T],
    *,
    format: Format = ...,
    on_invalid: OnInvalid = ...,
    start_offset: int = ...,
    start_line: int = ...,
    chunk_size: int = ...,
    yield_every: int = ...,
    json_engine: Literal["splitter", "ijson"] = ...,
    ijson_prefix: str | None = ...,
) -> RecordReader[T]: ...


def read_records(
    source: Any,
    model: type[Any] | TypeAdapter[Any] | None,
    *,
    format: Format = "auto",
    on_invalid: OnInvalid = "raise",
    start_offset: int = 0,
    start_line: int = 0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    yield_every: int = DEFAULT_YIELD_EVERY,
    json_engine: Literal["splitter", "ijson"] = "splitter",
    ijson_prefix: str | None = None,
) -> RecordReader[Any]:
    """Read typed records from an async byte stream.

    Args:
        source: An aiohttp ``ClientResponse`` or its ``content`` (``StreamReader``), an anyio ``AsyncFile`` or
            ``ByteReceiveStream``, or any async iterator of ``bytes`` chunks.
        model: What each record becomes: a pydantic model class (e.g. ``ExportRow``, ``LegacyLabelRow``), a
            ``TypeAdapter``, any type pydantic can validate, or ``None`` for plain dicts (no validation).
        format: ``"ndjson"`` (one record per line), ``"json"`` (a top-level array of records, or one top-level
            object), or ``"auto"`` to decide from the first bytes.
        on_invalid: ``"raise"`` a :class:`~alabelbox.RecordValidationError` on the first record that does not fit
            ``model``, or ``"skip"`` it and collect the error in ``reader.invalid``.
        start_offset: Global byte offset of the first byte of ``source`` (a shard, or a resumed body).
        start_line: Global line number of the first line of ``source``.
        chunk_size: Bytes to ask the source for at a time.
        yield_every: Yield to the event loop after this many bytes parsed without the source blocking.
        json_engine: For JSON: ``"splitter"`` (byte-level item splitter, exact offsets) or ``"ijson"``.
        ijson_prefix: With ``json_engine="ijson"``: the ijson prefix of the records (default ``"item"``, the
            elements of a top-level array).

    Returns:
        A :class:`RecordReader`: iterate it with ``async for``, close it with ``aclose()`` or ``async with``.

    Raises:
        InvalidArgumentError: An argument is invalid (raised here, before any byte is read).

    Example:
        >>> async with read_records(response.content, ExportRow, format="ndjson") as reader:
        ...     async for row, offset, line, end in reader:
        ...         checkpoint(end, line + 1)
    """
    if format not in ("ndjson", "json", "auto"):
        raise InvalidArgumentError("format", f"expected 'ndjson', 'json' or 'auto', got {format!r}")
    if on_invalid not in ("raise", "skip"):
        raise InvalidArgumentError("on_invalid", f"expected 'raise' or 'skip', got {on_invalid!r}")
    if json_engine not in ("splitter", "ijson"):
        raise InvalidArgumentError("json_engine", f"expected 'splitter' or 'ijson', got {json_engine!r}")
    if chunk_size <= 0 or yield_every <= 0 or start_offset < 0 or start_line < 0:
        raise InvalidArgumentError(
            "chunk_size", "chunk_size and yield_every must be positive; start positions not negative"
        )
    validate: Callable[[bytes], Any]
    python_validate: Callable[[Any], Any]
    if model is None:
        validate = _fast_loads
        python_validate = _identity
        name = "dict"
    elif isinstance(model, TypeAdapter):
        validate = model.validate_json
        python_validate = model.validate_python
        name = str(model.core_schema.get("type", "the model"))
    elif isinstance(model, type) and issubclass(model, BaseModel):
        # The model's own core validator: model_validate_json without its Python wrapper.
        validate = model.__pydantic_validator__.validate_json
        python_validate = model.__pydantic_validator__.validate_python
        name = model.__name__
    else:
        adapter: TypeAdapter[Any] = TypeAdapter(model)
        validate = adapter.validate_json
        python_validate = adapter.validate_python
        name = repr(model)
    reader: RecordReader[Any] = RecordReader(
        source,
        validate=validate,
        python_validate=python_validate,
        format=format,
        on_invalid=on_invalid,
        start_offset=start_offset,
        start_line=start_line,
        chunk_size=chunk_size,
        yield_every=yield_every,
        json_engine=json_engine,
        ijson_prefix=ijson_prefix,
    )
    reader.model_name = name  # type: ignore[attr-defined]
    return reader


try:  # dict mode: orjson when it is installed (about 2x pydantic-core's from_json on export rows)
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - depends on the environment
    _fast_loads: Callable[[bytes], Any] = from_json
else:
    _fast_loads = _orjson_loads


def _identity(value: Any) -> Any:
    return value
