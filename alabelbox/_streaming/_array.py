"""The JSON engine: a top-level array (or one top-level object) cut into items at the byte level.

A regular expression skips strings and reports brackets; each item's bytes go to ``validate``, so records carry
exact byte offsets and the speed is that of NDJSON. When an item goes on past the buffer, what there is of it is
checked to be the start of valid JSON (:func:`_prefix_fault`) before more bytes are read, so a corruption that
breaks the bracket structure is an :class:`~alabelbox.ExportParseError` at the fault, with its line, and memory
stays bounded by the chunk size and the largest record (the buffer doubles at most to twice the item).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.lowlevel
from pydantic import ValidationError
from pydantic_core import from_json

from alabelbox._exceptions import IncompleteExportError
from alabelbox._streaming._errors import (
    FALLBACK_ERRORS,
    JSON_WS,
    SKIP,
    Checker,
    excerpt,
    json_syntax_message,
    parse_error,
)
from alabelbox._streaming._records import Progress, Record, T

_NOT_AN_ITEM: Any = object()  # the rest of the line is not one item: the bracket scan decides
_WS = re.compile(rb"[ \t\r\n]+")

# One match per structural bracket outside strings: strings and other bytes are skipped inside the regex engine.
# A string that does not end in the buffer yields a lone `"` match: nothing after it can be trusted yet. The end
# of the buffer matches too (empty), so every match attempt succeeds where it starts and the engine never
# restarts a match from inside a string.
_SCAN = re.compile(rb'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+")*+([\[\]{}"]|\Z)', re.DOTALL)
_DELTA = {b"{": 1, b"[": 1, b"}": -1, b"]": -1}
_OPEN, _ITEM, _SEP, _DONE = range(4)  # splitter states: after "[", after ",", after an item, after the end
# A scalar item ends at a separator, a closing bracket or JSON whitespace (only those four bytes: `\x0b` is not).
_SCALAR = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[^,\]}\x20\t\r\n"]+', re.DOTALL)


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
    """The end of a scalar item (string, number, literal) at ``buf[pos]``, or -1 if it may go on past ``buf``.

    A byte that cannot start any item (``,``, ``]``, ``}``) is returned as a one-byte item, so that validating it
    reports the fault there.
    """
    m = _SCALAR.match(buf, pos)
    if m is None:
        return -1 if buf[pos] == 0x22 else pos + 1  # an unterminated string may end in the next chunk
    if m.end() >= len(buf):
        return -1
    return m.end()


def _prefix_fault(piece: bytes) -> str | None:
    """The syntax error in ``piece``, the start of an item whose end is not in the buffer yet, if no bytes can fix it.

    pydantic-core reports every truncation of valid JSON as "EOF while parsing ..." (checked on every cut of
    values with all token kinds, escapes and multi-byte characters), and any other error at the first byte that
    cannot belong to valid JSON. So a message without "EOF" is a fault that more bytes will not cure: raise it
    now rather than buffer the rest of the stream waiting for brackets that will never balance. The errors that
    ``json.loads`` reads are not faults: a surrogate escape is replaced by one of the same length before checking
    again; past 200 levels of nesting this check cannot see, and the item is judged when it is complete.
    """
    for attempt in range(2):
        try:
            from_json(piece)
        except ValueError as exc:
            message = str(exc)
            if "EOF" in message:
                return None
            if attempt == 0 and ("surrogate" in message or "hex escape" in message):
                piece = _SURROGATE.sub(_harmless, piece)
                continue
            return None if any(m in message for m in FALLBACK_ERRORS) else message
        return None
    return None


# A `\\` escape (kept, so that escapes are read in step) or the escape of a UTF-16 surrogate (made harmless).
_SURROGATE = re.compile(rb"\\(?:\\|u[dD][89a-fA-F][0-9a-fA-F]{2})")


def _harmless(m: re.Match[bytes]) -> bytes:
    return m[0] if m[0] == b"\\\\" else b"\\u0041"


async def array_records(
    progress: Progress,
    chunks: AsyncIterator[bytes],
    first: bytes,
    *,
    validate: Callable[[bytes], T],
    checker: Checker,
    yield_every: int,
) -> AsyncIterator[Record[T]]:
    """The items of the JSON array (or the one object) in ``first`` and then ``chunks``, as records."""
    buf = first
    base = progress.offset  # global offset of buf[0]
    # The global line of buf[pos], for errors (records carry no line in JSON). Newlines can only be in the
    # whitespace between tokens, so they are counted where whitespace is skipped and in items that came from the
    # bracket scan: not in the one-line items of the fast path, and no pass over every buffer.
    lines = progress.line
    m = _WS.match(buf)
    pos = m.end() if m else 0
    lines += buf.count(b"\n", 0, pos)
    if buf[pos : pos + 1] == b"[":
        in_array = True
        state = _OPEN  # right after "[": an item or "]"
        pos += 1
    elif buf[pos : pos + 1] == b"{":
        in_array = False
        state = _ITEM
    elif not buf.strip(JSON_WS):
        return  # an empty body holds no records
    else:
        raise parse_error("expected `[` or `{` at line 1 column 1", buf[pos:], base + pos, lines)
    progress.offset = base + pos
    ends: list[int] = []  # item ends found by the last scan, in buf coordinates
    ei = 0
    need = 0  # bytes to have after pos before scanning again (doubles for items larger than the buffer)
    mark = pos
    exhausted = False
    while True:
        if state != _DONE:
            m = _WS.match(buf, pos)
            if m:
                lines += buf.count(b"\n", pos, m.end())
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
                    progress.offset = base + pos
                    state = _DONE
                    continue
                raise parse_error("expected `,` or `]` at line 1 column 1", buf[pos:], base + pos, lines)
            if state == _OPEN and c == 0x5D:
                pos += 1
                progress.offset = base + pos
                state = _DONE
                continue
            end = -1
            tried = False  # whether this buffer was searched for the item's end
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
                            _NOT_AN_ITEM
                            if json_syntax_message(exc) is not None
                            else checker.one(piece, base + pos, lines)
                        )
                    except ValueError:
                        value = _NOT_AN_ITEM
                    if value is not _NOT_AN_ITEM:
                        progress.offset = base + line_end
                        if value is not SKIP:  # SKIP: a complete value that does not fit, collected by the checker
                            progress.count += 1
                            yield Record(value, base + pos, None, base + line_end)
                        pos = line_end
                        need = 0  # the threshold was for an earlier item (a complete last record once read as cut)
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
                    tried = True
                if ei < len(ends):
                    end = ends[ei]
                    ei += 1
            elif len(buf) - pos >= need:
                end = _scalar_end(buf, pos)
                tried = True
            if end >= 0:
                piece = buf[pos:end]
                try:
                    value = validate(piece)
                except ValueError:
                    value = checker.one(piece, base + pos, lines)
                progress.offset = base + end
                if value is not SKIP:
                    progress.count += 1
                    yield Record(value, base + pos, None, base + end)
                lines += buf.count(b"\n", pos, end)
                pos = end
                need = 0
                state = _SEP if in_array else _DONE
                if pos - mark >= yield_every:
                    mark = pos
                    await anyio.lowlevel.checkpoint()
                continue
            if tried:
                # The item goes on past the buffer: check that what there is can start a JSON value, then wait
                # for twice as many bytes before searching again (linear time for items of any size).
                fault = _prefix_fault(buf[pos:])
                if fault is not None:
                    raise parse_error(fault, buf[pos:], base + pos, lines)
                need = 2 * (len(buf) - pos)
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
            # No more bytes will come: search what there is once more, whatever the threshold (the stale
            # threshold of an earlier item used to end the stream here without that search).
            need = 0
        buf = b"".join(parts) if len(parts) > 1 else buf
        if state == _DONE:
            m = _WS.match(buf)
            pos = m.end() if m else 0
            lines += buf.count(b"\n", 0, pos)
            if pos < len(buf):
                raise parse_error("trailing characters at line 1 column 1", buf[pos:], base + pos, lines)
        await anyio.lowlevel.checkpoint()
    rest = buf[pos:]
    if state == _DONE:
        m = _WS.match(rest)
        at = m.end() if m else 0
        if at < len(rest):
            raise parse_error(
                "trailing characters at line 1 column 1", rest[at:], base + pos + at, lines + rest.count(b"\n", 0, at)
            )
        return
    if rest.strip(JSON_WS):
        fault = _prefix_fault(rest)
        if fault is not None:
            raise parse_error(fault, rest, base + pos, lines)
    raise IncompleteExportError(
        "the stream ended inside a record" if rest.strip(JSON_WS) else "the stream ended before the closing `]`",
        offset=progress.offset,
        excerpt=excerpt(rest, len(rest)),
    )
