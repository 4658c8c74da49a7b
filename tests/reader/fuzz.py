"""A seeded fuzz harness for the incremental reader: corrupted exports in, the reader's rules checked against an oracle.

The oracle is ``json.loads`` per NDJSON line or per JSON document (on the bytes decoded as strict UTF-8), plus
:func:`valid_prefix`, an independent recogniser (written here, not pydantic-core) of the byte strings that some
continuation makes valid JSON: the only inputs after which ``IncompleteExportError`` is allowed. The rules checked
are those of the reader's docstring (``alabelbox/_streaming/__init__.py``):

* every record equals ``json.loads`` of its bytes (``offset:end``) and of the oracle's record at its place;
* nothing unreadable is skipped without a report (the oracle's records are all there, in order, or an error);
* ``IncompleteExportError`` only when the input ends inside a record;
* all records before the first fault are delivered before the error;
* only ``LabelboxError`` escapes;
* a parse error's line is the line of its byte offset;
* memory is bounded: after a parse error the reader has pulled at most a few records and chunks past the fault;
* no hang (each run has a time limit).

The test suite runs a bounded version (``tests/reader/test_fuzz.py``); the long one is
``nox -s fuzz -- --cases 3000`` or ``python -m tests.reader.fuzz --cases 3000 --seed 1`` (cases per category).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from alabelbox._exceptions import ExportParseError, IncompleteExportError, LabelboxError
from alabelbox._streaming import read_records

SAMPLES = Path(__file__).parent / "samples"
JSON_WS = b" \t\r\n"
RUN_SECONDS = 20.0  # one reader run over a case of a few KB takes milliseconds: more is a hang

# -- the oracle -----------------------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


class _Eof(Exception):
    pass


_UTF8_SECOND = {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F), 0xF0: (0x90, 0xBF), 0xF4: (0x80, 0x8F)}


def valid_prefix(data: bytes, *, top_any: bool = False) -> bool:
    """Whether ``data`` is a prefix of some valid JSON text (top level ``[`` / ``{``, or any value if ``top_any``).

    An iterative recogniser over bytes (strict UTF-8 inside strings, JSON whitespace only, ``NaN`` and
    ``Infinity`` accepted as ``json.loads`` accepts them). A complete text is a prefix of itself.
    """
    try:
        _recognise(data, top_any)
    except _Eof:
        return True
    except _Invalid:
        return False
    return True


def _recognise(b: bytes, top_any: bool) -> None:
    n = len(b)
    i = 0
    stack: list[int] = []  # 0x5B array, 0x7B object

    def ws(i: int) -> int:
        while i < n and b[i] in JSON_WS:
            i += 1
        return i

    def need(i: int) -> int:
        if i >= n:
            raise _Eof
        return b[i]

    def literal(i: int, word: bytes) -> int:
        for k, ch in enumerate(word):
            if i + k >= n:
                raise _Eof
            if b[i + k] != ch:
                raise _Invalid
        return i + len(word)

    def string(i: int) -> int:  # b[i] == '"'
        i += 1
        while True:
            c = need(i)
            if c == 0x22:
                return i + 1
            if c == 0x5C:
                e = need(i + 1)
                if e == 0x75:
                    for k in range(4):
                        if chr(need(i + 2 + k)) not in "0123456789abcdefABCDEF":
                            raise _Invalid
                    i += 6
                elif e in b'"\\/bfnrt':
                    i += 2
                else:
                    raise _Invalid
            elif c < 0x20:
                raise _Invalid
            elif c < 0x80:
                i += 1
            else:
                if 0xC2 <= c <= 0xDF:
                    size = 2
                elif 0xE0 <= c <= 0xEF:
                    size = 3
                elif 0xF0 <= c <= 0xF4:
                    size = 4
                else:
                    raise _Invalid
                lo, hi = _UTF8_SECOND.get(c, (0x80, 0xBF))
                for k in range(1, size):
                    d = need(i + k)
                    if not ((lo <= d <= hi) if k == 1 else (0x80 <= d <= 0xBF)):
                        raise _Invalid
                i += size

    def number(i: int) -> int:
        if b[i] == 0x2D:  # "-"
            i += 1
            if i < n and b[i] == 0x49:
                return literal(i, b"Infinity")
        c = need(i)
        if c == 0x30:
            i += 1
        elif 0x31 <= c <= 0x39:
            while i < n and 0x30 <= b[i] <= 0x39:
                i += 1
        else:
            raise _Invalid
        if i < n and b[i] == 0x2E:
            i += 1
            if not 0x30 <= need(i) <= 0x39:
                raise _Invalid
            while i < n and 0x30 <= b[i] <= 0x39:
                i += 1
        if i < n and b[i] in b"eE":
            i += 1
            if need(i) in b"+-":
                i += 1
            if not 0x30 <= need(i) <= 0x39:
                raise _Invalid
            while i < n and 0x30 <= b[i] <= 0x39:
                i += 1
        if i >= n:
            raise _Eof  # the number may go on
        return i

    def value(i: int) -> tuple[int, bool]:
        """(index after a scalar, False) or (index after an opening bracket, True)."""
        c = need(i)
        if c in b"[{":
            stack.append(c)
            return i + 1, True
        if c == 0x22:
            return string(i), False
        if c == 0x2D or 0x30 <= c <= 0x39:
            return number(i), False
        for word in (b"true", b"false", b"null", b"NaN", b"Infinity"):
            if c == word[0]:
                return literal(i, word), False
        raise _Invalid

    i = ws(0)
    if not top_any and need(i) not in b"[{":
        raise _Invalid
    i, opened = value(i)
    while stack:
        i = ws(i)
        c = need(i)
        top = stack[-1]
        if opened:  # just after "[" or "{": the first element or the close
            opened = False
            if c == (0x5D if top == 0x5B else 0x7D):
                stack.pop()
                i += 1
                continue
        else:  # after an element: "," or the close
            if c == (0x5D if top == 0x5B else 0x7D):
                stack.pop()
                i += 1
                continue
            if c != 0x2C:
                raise _Invalid
            i = ws(i + 1)
            c = need(i)
        if top == 0x7B:
            if c != 0x22:
                raise _Invalid
            i = ws(string(i))
            if need(i) != 0x3A:
                raise _Invalid
            i = ws(i + 1)
        i, opened = value(i)
    i = ws(i)
    if i < n:
        raise _Invalid


def _loads(data: bytes) -> tuple[bool, Any]:
    """(True, value) if ``data`` is JSON by ``json.loads`` on strict UTF-8, else (False, reason)."""
    try:
        return True, json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        return False, type(exc).__name__


def same(a: Any, b: Any) -> bool:
    """Equal values of equal JSON types (``repr`` tells 1 from 1.0 and True from 1, and NaN equals NaN)."""
    return type(a) is type(b) and repr(a) == repr(b)


# -- corpus -------------------------------------------------------------------------------------------------------


def _base_records(rng: random.Random) -> list[Any]:
    """A few records: real sample rows or generated ones with escapes, unicode, brackets in strings and numbers."""
    pick = rng.random()
    if pick < 0.35:
        lines = (SAMPLES / "export-v2-project-roof-wear.ndjson").read_bytes().splitlines()
        start = rng.randrange(len(lines) - 3)
        return [json.loads(x) for x in lines[start : start + rng.randint(1, 3)]]
    if pick < 0.5:
        path = rng.choice(sorted(SAMPLES.glob("*_export.json")))
        doc = json.loads(path.read_bytes())
        return doc if isinstance(doc, list) else [doc]
    alphabet = 'ab{}[]",:\\/\n\t é€😀\u2028\x00\x1f'
    out: list[Any] = []
    for _ in range(rng.randint(1, 6)):
        rec: dict[str, Any] = {"ID": "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=25))}
        for k in range(rng.randint(0, 5)):
            kind = rng.randrange(6)
            val: Any
            if kind == 0:
                val = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
            elif kind == 1:
                val = rng.choice([0, -1, 2**63, -(2**64), 10**40, 1.5, -0.0, 1e-300, 1.7976931348623157e308, 0.1])
            elif kind == 2:
                val = [rng.choice([None, True, False, "x]", "{"]) for _ in range(rng.randint(0, 3))]
            elif kind == 3:
                val = {"nested": {"deeper": [{"a": [1, [2, [3]]]}]}}
            elif kind == 4:
                val = []
            else:
                val = {}
            rec[f"k{k}" + rng.choice(["", "\\", '"', "]"])] = val
        out.append(rec)
    return out


def _dump(value: Any, rng: random.Random) -> bytes:
    return json.dumps(value, ensure_ascii=rng.random() < 0.3).encode()


@dataclass
class Case:
    """One input: its bytes, its format, and where the first changed byte is (records ending before are owed)."""

    category: str
    data: bytes
    fmt: str  # "ndjson" or "json"
    first_change: int
    largest: int  # the largest record in bytes, for the memory bound
    base_ends: list[int] = field(default_factory=list)  # ends of the base's records, in the unchanged prefix


def _layout(records: list[Any], fmt: str, rng: random.Random) -> tuple[bytes, list[int]]:
    """Bytes of ``records`` as NDJSON or as a JSON array (one per line, compact, or pretty), and each record's end."""
    if fmt == "ndjson":
        parts = [_dump(r, rng) + b"\n" for r in records]
        ends, pos = [], 0
        for p in parts:
            pos += len(p)
            ends.append(pos - 1)
        return b"".join(parts), ends
    style = rng.randrange(3)
    if style == 2:
        text = json.dumps(records, indent=rng.choice([1, 2, 4]), ensure_ascii=False).encode()
        return text, []  # ends unknown for pretty output: only the record count is owed
    sep = b",\n" if style == 0 else b","
    body = [_dump(r, rng) for r in records]
    out = bytearray(b"[\n" if style == 0 else b"[")
    ends = []
    for k, item in enumerate(body):
        if k:
            out += sep
        out += item
        ends.append(len(out))
    out += b"]\n" if style == 0 else b"]"
    return bytes(out), ends


def _mutations() -> dict[str, Callable[[bytes, random.Random], tuple[bytes, int]]]:
    """Each corruption: (bytes, rng) to (new bytes, index of the first changed byte)."""

    def at(data: bytes, rng: random.Random) -> int:
        return rng.randrange(len(data) + 1)

    def truncate(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = at(d, r)
        return d[:k], k

    def flip(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = r.randrange(len(d))
        return d[:k] + bytes([d[k] ^ (1 << r.randrange(8))]) + d[k + 1 :], k

    def insert(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = at(d, r)
        return d[:k] + bytes([r.randrange(256)]) + d[k:], k

    def insert_structural(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = at(d, r)
        return d[:k] + r.choice([b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\"]) + d[k:], k

    def delete(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = r.randrange(len(d))
        return d[:k] + d[k + 1 :], k

    def delete_bracket(d: bytes, r: random.Random) -> tuple[bytes, int]:
        spots = [k for k, c in enumerate(d) if c in b"{}[]"]
        k = r.choice(spots)
        return d[:k] + d[k + 1 :], k

    def line_boundary(d: bytes, r: random.Random) -> int:
        spots = [0] + [k + 1 for k, c in enumerate(d) if c == 0x0A]
        return r.choice(spots)

    def garbage_line(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        junk = r.choice([b"garbage", b"<html>502 Bad Gateway</html>", b"\x0b", b"\x0c", b"\xa0", b"}{", b"--"])
        return d[:k] + junk + b"\n" + d[k:], k

    def vt_ff_line(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        return d[:k] + r.choice([b"\x0b", b"\x0c", b" \x0c ", b"\x85", b"\x00"]) + b"\n" + d[k:], k

    def huge_line(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        big = json.dumps({"big": "x" * r.randint(100_000, 400_000), "t": "é" * 1000}).encode()
        if r.random() < 0.5:
            big = big[: r.randrange(len(big))]  # a huge broken one
        return d[:k] + big + b"\n" + d[k:], k

    def deep(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        depth = r.choice([150, 199, 200, 201, 250, 600, 3000, 20000])
        opener, closer = r.choice([(b"[", b"]"), (b'{"a":', b"}")])
        mid = b"1" if opener == b"[" else b"[]"
        closing = closer * depth if r.random() < 0.8 else closer * r.randrange(depth)
        value = opener * depth + mid + closing
        return d[:k] + value + (b",\n" if d[:1] == b"[" and k > 1 else b"\n") + d[k:], k

    def invalid_utf8(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = r.randrange(len(d))
        bad = r.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\x80"])
        return d[:k] + bad + d[k:], k

    def nul(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = r.randrange(len(d))
        return d[:k] + b"\x00" + d[k + 1 :], k

    def bom(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = 0 if r.random() < 0.7 else line_boundary(d, r)
        return d[:k] + b"\xef\xbb\xbf" + d[k:], k

    def crlf(d: bytes, r: random.Random) -> tuple[bytes, int]:
        return d.replace(b"\n", b"\r\n"), len(d)  # still valid: nothing is owed less

    def mixed_line_ends(d: bytes, r: random.Random) -> tuple[bytes, int]:
        out = bytearray()
        first = len(d)
        for k, c in enumerate(d):
            if c == 0x0A and r.random() < 0.5:
                choice = r.choice([b"\r\n", b"\r", b"\n\n", b"\n \t\n"])
                if choice == b"\r":
                    first = min(first, k)  # a lone CR ends no NDJSON line
                out += choice
            else:
                out.append(c)
        return bytes(out), first

    def concatenated(d: bytes, r: random.Random) -> tuple[bytes, int]:
        sep = r.choice([b"", b"\n", b" ", b","])
        return d + sep + d, len(d)

    def edge_numbers(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        num = r.choice(
            [
                b"1e400",
                b"-1e400",
                b"1e-400",
                b"-0",
                b"-0.0",
                b"0.1e1",
                b"1E+2",
                b"123456789012345678901234567890123456789",
                b"9" * 300,
                b"1.00000000000000011102230246251565404236316680908203125",
                b"2.2250738585072011e-308",
                b"01",
                b"1.",
                b".5",
                b"+1",
                b"0x10",
                b"NaN",
                b"-Infinity",
                b"1e",
                b"--1",
            ]
        )
        rec = b'{"n":' + num + b',"m":[' + num + b"]}"
        return d[:k] + rec + (b",\n" if d[:1] == b"[" and k > 1 else b"\n") + d[k:], k

    def escapes(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        esc = r.choice(
            [
                rb"\ud800",
                rb"\udc00",
                rb"\ud83d\ude00",
                rb"\ud83d",
                rb"\u0000",
                rb"\u00e9",
                rb"\/",
                rb"\x41",
                rb"\'",
                rb"\u12",
                rb"\uZZZZ",
                b"\\",
                rb"\ud800\u0041",
                rb"\ud800\ud800",
            ]
        )
        rec = b'{"s":"a' + esc + b'b","' + esc + b'":1}'
        return d[:k] + rec + (b",\n" if d[:1] == b"[" and k > 1 else b"\n") + d[k:], k

    def blank_lines(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = line_boundary(d, r)
        return d[:k] + r.choice([b"\n", b"   \n", b"\t\r\n", b"\r\n\r\n"]) + d[k:], len(d) + 10

    def unterminated_string(d: bytes, r: random.Random) -> tuple[bytes, int]:
        spots = [k for k, c in enumerate(d) if c == 0x22]
        k = r.choice(spots)
        return d[:k] + d[k + 1 :], k

    def swap_bytes(d: bytes, r: random.Random) -> tuple[bytes, int]:
        k = r.randrange(max(1, len(d) - 1))
        return d[:k] + d[k + 1 : k + 2] + d[k : k + 1] + d[k + 2 :], k

    def bracket_break_big(d: bytes, r: random.Random) -> tuple[bytes, int]:
        # A structure break early in a long stream: the error must come without reading the rest.
        k = line_boundary(d, r)
        rest = (b'{"pad":"' + b"p" * 500 + b'"}' + (b",\n" if d[:1] == b"[" else b"\n")) * 4000  # ~2 MB
        break_ = r.choice([b'{{"a":1}', b'{"a":[1}', b'{"a":"x\n', b'{"a" 1', b"{,"])
        return d[:k] + break_ + b"\n" + rest + d[k:], k

    return {f.__name__: f for f in [
        truncate, flip, insert, insert_structural, delete, delete_bracket, garbage_line, vt_ff_line, huge_line,
        deep, invalid_utf8, nul, bom, crlf, mixed_line_ends, concatenated, edge_numbers, escapes, blank_lines,
        unterminated_string, swap_bytes, bracket_break_big,
    ]}  # fmt: skip


MUTATIONS = _mutations()
CATEGORIES = sorted(MUTATIONS)


def make_case(category: str, rng: random.Random) -> Case:
    """One corrupted input of ``category``."""
    records = _base_records(rng)
    fmt = rng.choice(["ndjson", "json"])
    data, ends = _layout(records, fmt, rng)
    changed, first = MUTATIONS[category](data, rng)
    largest = max(len(_dump(x, rng)) for x in records) * 2 + 64
    if category in ("huge_line", "deep", "bracket_break_big"):
        largest = max(largest, 1_000_000)
    return Case(category, changed, fmt, first, largest, [e for e in ends if e <= first])


# -- running one case ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    records: list[Any]
    spans: list[tuple[int, int]]
    error: BaseException | None
    pulled: int  # bytes the reader had taken from the source when it stopped


async def read_case(data: bytes, fmt: str, sizes: list[int]) -> Outcome:
    """Read ``data`` in chunks cycling through ``sizes``; what came out, and how far the reader had read."""
    pulled = 0

    async def source() -> AsyncIterator[bytes]:
        nonlocal pulled
        pos, k = 0, 0
        while pos < len(data):
            n = sizes[k % len(sizes)]
            chunk = data[pos : pos + n]
            pulled = pos + len(chunk)
            yield chunk
            pos += n
            k += 1

    values: list[Any] = []
    spans: list[tuple[int, int]] = []
    error: BaseException | None = None
    try:
        async with asyncio.timeout(RUN_SECONDS):
            form: Literal["ndjson", "json"] = "ndjson" if fmt == "ndjson" else "json"
            async with read_records(source(), None, format=form) as reader:
                async for r in reader:
                    values.append(r.value)
                    assert r.offset is not None and r.end is not None
                    spans.append((r.offset, r.end))
    except BaseException as exc:  # the harness judges every exception
        error = exc
    return Outcome(values, spans, error, pulled)


def _expected_ndjson(data: bytes) -> tuple[list[Any], str]:
    """The oracle for NDJSON: the records json.loads reads line by line, then "ok", "incomplete" or "parse"."""
    out: list[Any] = []
    lines = data.split(b"\n")
    for k, line in enumerate(lines):
        if not line.strip(JSON_WS):
            continue
        last = k == len(lines) - 1  # no newline after it
        ok, value = _loads(line)
        if ok and not (last and not line.rstrip(JSON_WS).endswith((b"}", b"]"))):
            out.append(value)
            continue
        if value == "RecursionError":
            return out, "parse"
        return out, "incomplete" if last and valid_prefix(line, top_any=True) else "parse"
    return out, "ok"


def _depth(data: bytes) -> int:
    """The deepest bracket nesting in ``data``, strings not skipped (an upper bound is all that is needed)."""
    depth = deepest = 0
    for c in data:
        if c in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in b"]}":
            depth -= 1
    return deepest


def check(case: Case, sizes: list[int], outcome: Outcome) -> list[str]:
    """The rules the outcome breaks (empty if none)."""
    problems: list[str] = []
    err = outcome.error
    if err is not None and not isinstance(err, LabelboxError):
        return [f"{type(err).__name__} escaped: {err!r}"[:300]]
    for value, (start, end) in zip(outcome.records, outcome.spans, strict=True):
        ok, own = _loads(case.data[start:end])
        if not ok or not same(own, value):
            problems.append(f"record at {start}:{end} is not json.loads of its bytes")
            break
    expected: list[Any]
    verdict: str
    if not case.data.strip(JSON_WS):
        expected, verdict = [], "ok"  # an empty body holds no records
    elif case.fmt == "ndjson":
        expected, verdict = _expected_ndjson(case.data)
    else:
        ok, doc = _loads(case.data)
        if ok and isinstance(doc, (list, dict)) and case.data.lstrip(JSON_WS)[:1] in (b"[", b"{"):
            expected, verdict = (doc if isinstance(doc, list) else [doc]), "ok"
        else:
            expected = []
            verdict = "incomplete" if doc != "RecursionError" and valid_prefix(case.data) else "parse"
    got = outcome.records
    if verdict == "ok":
        if err is not None:
            problems.append(f"valid input raised {type(err).__name__}: {err}"[:300])
        elif len(got) != len(expected) or not all(map(same, got, expected)):
            problems.append(f"records differ from json.loads ({len(got)} against {len(expected)})")
    else:
        if err is None:
            problems.append(f"invalid input ({verdict}) read without an error ({len(got)} records)")
        elif verdict == "incomplete" and not isinstance(err, IncompleteExportError):
            problems.append(f"input ending inside a record raised {type(err).__name__}: {err}"[:300])
        elif verdict == "parse" and isinstance(err, IncompleteExportError) and _depth(case.data) <= 200:
            # Past 200 levels pydantic-core cannot check a prefix, so a stream that ends in an unbalanced deep
            # record is reported as incomplete (the documented limit).
            problems.append(f"malformed input raised IncompleteExportError: {err}"[:300])
        if case.fmt == "ndjson":
            if len(got) != len(expected) or not all(map(same, got, expected)):
                problems.append(f"records before the error differ ({len(got)} against {len(expected)})")
        elif len(got) < len(case.base_ends):
            problems.append(f"{len(case.base_ends)} records before the change, {len(got)} delivered")
        if isinstance(err, ExportParseError) and err.line != case.data.count(b"\n", 0, err.offset or 0):
            problems.append(f"parse error at byte {err.offset} says line {err.line}")
        if isinstance(err, ExportParseError) and err.offset is not None:
            slack = 3 * max(case.largest, max(sizes)) + 4096
            if outcome.pulled - err.offset > slack:
                problems.append(f"read {outcome.pulled - err.offset} bytes past the fault at {err.offset}")
    return problems


def chunkings(rng: random.Random, size: int) -> list[list[int]]:
    """Two chunkings per case: one fixed size and one random pattern."""
    fixed = rng.choice([1, 2, 3, 7, 64, 4096, 65536, max(1, size)])
    pattern = [rng.randint(1, rng.choice([8, 100, 5000])) for _ in range(rng.randint(1, 8))]
    return [[fixed], pattern]


@dataclass
class Report:
    cases: int = 0
    runs: int = 0
    records: int = 0
    failures: list[str] = field(default_factory=list)
    per_category: dict[str, int] = field(default_factory=dict)


async def fuzz(cases_per_category: int, seed: int, categories: list[str] | None = None) -> Report:
    """Run ``cases_per_category`` cases of each category from ``seed``; every rule broken goes in the report."""
    report = Report()
    for category in categories or CATEGORIES:
        rng = random.Random(f"{seed}:{category}")
        for k in range(cases_per_category):
            case = make_case(category, rng)
            report.cases += 1
            report.per_category[category] = report.per_category.get(category, 0) + 1
            for sizes in chunkings(rng, len(case.data)):
                if category in ("huge_line", "bracket_break_big", "deep") and min(sizes) < 64:
                    sizes = [s * 512 for s in sizes]  # 1-byte chunks of 2 MB would only test patience
                outcome = await read_case(case.data, case.fmt, sizes)
                report.runs += 1
                report.records += len(outcome.records)
                for problem in check(case, sizes, outcome):
                    report.failures.append(f"{category} #{k} ({case.fmt}, chunks {sizes[:4]}): {problem}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases per category")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--category", action="append", choices=CATEGORIES, help="only these (repeatable)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    report = asyncio.run(fuzz(args.cases, args.seed, args.category))
    elapsed = time.perf_counter() - t0
    sys.stdout.write(
        f"{report.cases} cases in {len(report.per_category)} categories, {report.runs} reader runs, "
        f"{report.records} records compared with json.loads, {len(report.failures)} failures, {elapsed:.0f} s "
        f"(seed {args.seed})\n"
    )
    for failure in report.failures[:50]:
        sys.stdout.write(f"FAIL {failure}\n")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
