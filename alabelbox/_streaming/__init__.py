"""The incremental reader: an async byte stream in, typed records out, in bounded memory.

``read_records(source, model=ExportRow)`` turns any async byte stream into an async iterator of
:class:`Record` ``(value, offset, line, end)``. Two engines, both ours, both handing each record's bytes to
pydantic-core (Rust), which does the parsing:

* **NDJSON** (export v2): lines are split across chunk boundaries with no line-length limit (never
  ``async for line in response.content``, which raises ``LineTooLong`` over 512 KB) and each line is validated
  straight from bytes by pydantic-core (``validate_json``), with no intermediate dict. ``model=None`` parses with
  pydantic-core's ``from_json`` into plain dicts.
* **JSON, splitter** (``format="json"``): a top-level array (or one top-level object) is cut into items at the
  byte level, by a regular expression that skips strings and reports brackets, and each item's bytes go to
  ``validate_json``. Exact byte offsets, same speed as NDJSON. An item that goes on past the buffer is checked to
  be the start of valid JSON before more bytes are read, so broken bracket structure is reported where it breaks
  instead of being buffered to the end of the stream.

The design first named ijson for the JSON reader; the ijson engine (``json_engine="ijson"``) was removed after
measurement: with its C backend it read arrays at half the splitter's speed (50 against
95 MB/s on 100 MB, RESULTS.md), gave no positions, held 2.6 GB for 64 KB of nested ``[``, took 20 s for a 3 MB
string fed in 64-byte chunks (the splitter: 0.1 s), raised ``UnicodeDecodeError`` on invalid UTF-8 and lost the
complete records before an error. ``json_engine`` still accepts ``"splitter"``, its only value.

The rules (held by ``tests/reader/test_fuzz.py`` and ``nox -s fuzz``)
-------------------------------------------------------------------
Fed any bytes, in any chunking:

* every record handed out equals ``json.loads`` of its bytes (``model=None``), and those bytes are the record's
  own, at ``offset:end``;
* nothing unreadable is skipped without a report: only JSON whitespace (space, tab, CR, LF; not ``\x0b`` or
  ``\x0c``) between records is skipped, and a record that does not fit ``model`` is raised, or with
  ``on_invalid="skip"`` collected in ``reader.invalid`` and logged;
* :class:`~alabelbox.IncompleteExportError` only when the input ends inside a record (or before the closing
  ``]``); bytes that no continuation can make valid raise :class:`~alabelbox.ExportParseError` at the fault
  (its ``offset`` the first bad byte, its ``line`` that byte's line);
* all records before an error are delivered before it is raised;
* only :class:`~alabelbox.LabelboxError` subclasses escape;
* memory is bounded by the chunk size and the largest record (about twice the larger of the two), and no
  input makes the reader hang or take more than linear time in its size.

Limits: records are parsed by pydantic-core, which stops at 200 levels of nesting and rejects escapes of lone
UTF-16 surrogates (``"\ud800"``). JSON allows both, so such a record is read again by the standard library's
``json.loads`` (exact, slower, only for that record). ``json.loads`` itself stops at Python's recursion limit
(about 1,000 levels by default): deeper nesting raises :class:`~alabelbox.ExportParseError` saying so, with the
record's offset. ``NaN`` and ``Infinity``, which are not JSON, are read as floats, as ``json.loads`` reads them.

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
* malformed JSON: :class:`~alabelbox.ExportParseError` with the byte offset of the fault, its 0-based line (for
  JSON too: counted from ``start_line``), an excerpt;
* a stream that ends inside a record: :class:`~alabelbox.IncompleteExportError` (position to resume from);
* a record that does not fit ``model``: :class:`~alabelbox.RecordValidationError` with its position and the
  dotted field path; with ``on_invalid="skip"`` the errors are collected in ``reader.invalid`` instead (and
  counted in the final log line), and the reader goes on. Nothing is dropped silently.

Modules
-------
``_records`` Record and the progress an engine keeps; ``_sources`` sources to chunks, and closing;
``_validation`` a model to its validators; ``_errors`` positions to errors, and the slow path; ``_ndjson``,
``_array`` the two engines; ``_reader`` RecordReader, which picks the engine and keeps the position.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from pydantic import TypeAdapter

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._streaming._reader import Format, JsonEngine, OnInvalid, RecordReader
from alabelbox._streaming._records import Record
from alabelbox._streaming._validation import validators_for

__all__ = ["Record", "RecordReader", "read_records"]

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 256 * 1024
DEFAULT_YIELD_EVERY = 256 * 1024


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
    json_engine: JsonEngine = ...,
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
    json_engine: JsonEngine = ...,
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
    json_engine: JsonEngine = "splitter",
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
        json_engine: For JSON: ``"splitter"``, the byte-level item splitter (the only engine: the ijson engine
            was removed, see the module docstring).

    Returns:
        A :class:`RecordReader`: iterate it with ``async for``, close it with ``aclose()`` or ``async with``.

    Raises:
        InvalidArgumentError: An argument is invalid (raised here, before any byte is read).

    Example:
        >>> async def chunks():  # an aiohttp response, a file or any async iterator of bytes
        ...     yield b'{"id": "a"}\\n{"id": '
        ...     yield b'"b"}\\n'
        >>> async with read_records(chunks(), None, format="ndjson") as reader:
        ...     async for value, offset, line, end in reader:
        ...         print(line, value, offset, end)
        0 {'id': 'a'} 0 12
        1 {'id': 'b'} 12 24
        >>> resume_at = (reader.offset, reader.line)  # start_offset= and start_line= of a later call
    """
    if format not in ("ndjson", "json", "auto"):
        raise InvalidArgumentError("format", f"expected 'ndjson', 'json' or 'auto', got {format!r}")
    if on_invalid not in ("raise", "skip"):
        raise InvalidArgumentError("on_invalid", f"expected 'raise' or 'skip', got {on_invalid!r}")
    if json_engine != "splitter":
        raise InvalidArgumentError(
            "json_engine",
            f"expected 'splitter', got {json_engine!r} (the ijson engine was removed: the splitter reads every "
            "JSON array or object, with positions, in bounded memory)",
        )
    if chunk_size <= 0 or yield_every <= 0 or start_offset < 0 or start_line < 0:
        raise InvalidArgumentError(
            "chunk_size", "chunk_size and yield_every must be positive; start positions not negative"
        )
    validators = validators_for(model)
    return RecordReader(
        source,
        validate=validators.validate,
        python_validate=validators.python_validate,
        format=format,
        on_invalid=on_invalid,
        start_offset=start_offset,
        start_line=start_line,
        chunk_size=chunk_size,
        yield_every=yield_every,
        slow_validate=validators.slow_validate,
        model_name=validators.name,
    )
