"""The reader engines under every cut and under hostile bytes: boundaries, broken structure, nesting, whitespace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest
from pydantic import TypeAdapter

from alabelbox._exceptions import ExportParseError, IncompleteExportError, LabelboxError
from alabelbox._streaming import read_records
from alabelbox.types import LegacyLabelRow

from .conftest import LEGACY_SAMPLES, NDJSON_SAMPLE, chunked

# The smallest input of the lost-last-record bug: split at byte 40 it raised IncompleteExportError at its last record.
R1 = b'[\n{"ID":"ck9130vg84vm20940d43apoju","External ID":"0003.png"},\n{"ID":"ck913597ih32z07169wh9va6e"}]\n'

SMALL_JSON = [
    R1,
    b'[{"a": [1, {"b": "]}\\\\\\"["}]}, 2, "x,]", null, true, -1.5e3, {"c": {}}, []]',
    b'[\n  {\n    "k": "v\\n"\n  },\n  [\n    1,\n    2\n  ]\n]\n',
    b'  {"one": "object", "n": [1, 2, {"x": "}{"}]}  ',
    b'[\r\n{"crlf":1},\r\n{"b":"\\u00e9\xc3\xa9\\ud83d\\ude00"}\r\n]',
]
SMALL_NDJSON = [
    b'{"a":1}\r\n\n{"b":"\\n]"}\n  \n[1,2]\n{"c":3}',
    b'{"ID":"ck9130vg84vm20940d43apoju","External ID":"0003.png"}\n{"ID":"ck913597ih32z07169wh9va6e"}\n',
    b'{"s":"\xe6\x9d\xb1\xe4\xba\xac\xf0\x9f\x97\xbc"}\n\t\r\n{"n":123456789012345678901234567890}\n',
]


async def pieces(parts: Sequence[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        if part:
            yield part


async def values(source: Any, fmt: str, model: Any = None, **kwargs: Any) -> list[Any]:
    async with read_records(source, model, format=fmt, **kwargs) as reader:  # type: ignore[call-overload]
        return [(r.value, r.offset, r.end) async for r in reader]


def _expected(data: bytes, fmt: str) -> list[Any]:
    if fmt == "ndjson":
        return [json.loads(line) for line in data.splitlines() if line.strip(b" \t\r\n")]
    doc = json.loads(data)
    return doc if isinstance(doc, list) else [doc]


# -- R1: every cut position ----------------------------------------------------------------------------------------


async def test_r1_minimal_repro_split_at_byte_40() -> None:
    got = await values(pieces([R1[:40], R1[40:]]), "json")
    assert [v for v, *_ in got] == json.loads(R1)
    lines = R1.splitlines()
    assert [R1[start:end] for _, start, end in got] == [lines[1][:-1], lines[2][:-1]]  # less "," and "]"


@pytest.mark.parametrize(("fmt", "data"), [("json", d) for d in SMALL_JSON] + [("ndjson", d) for d in SMALL_NDJSON])
async def test_every_one_and_two_cut_split_reads_the_same(fmt: str, data: bytes) -> None:
    expected = _expected(data, fmt)
    whole = await values(pieces([data]), fmt)
    assert [v for v, *_ in whole] == expected
    for value, start, end in whole:
        assert json.loads(data[start:end]) == value  # each record's own bytes
    failures: list[tuple[int, ...]] = []
    n = len(data)
    for i in range(1, n):
        if await values(pieces([data[:i], data[i:]]), fmt) != whole:
            failures.append((i,))
        for j in range(i + 1, n):
            if await values(pieces([data[:i], data[i:j], data[j:]]), fmt) != whole:
                failures.append((i, j))
    assert failures == []


def _one_record_per_line(n: int) -> tuple[bytes, bytes]:
    """A legacy-style array (one record per line, ending ``}]``) and the same records as NDJSON, about 100 KB each."""
    lines = NDJSON_SAMPLE.read_bytes().splitlines()
    rows = (lines * (n // len(lines) + 1))[:n]
    return b"[\n" + b",\n".join(rows) + b"]\n", b"\n".join(rows) + b"\n"


ARRAY_BIG, NDJSON_BIG = _one_record_per_line(700)  # ~1 MB: more than the largest chunk below
FIXED_SIZES = [4096 << k for k in range(7)]  # 4 KiB ... 256 KiB


@pytest.mark.parametrize("size", FIXED_SIZES, ids=lambda s: f"{s // 1024}KiB")
async def test_realistic_fixed_chunk_sizes_iterator_and_anyio_file(size: int, tmp_path: Path) -> None:
    for fmt, data in (("json", ARRAY_BIG), ("ndjson", NDJSON_BIG)):
        expected = _expected(data, fmt)
        got = await values(chunked(data, size), fmt)
        assert [v for v, *_ in got] == expected
        assert [json.loads(data[s:e]) for _, s, e in got] == expected
        path = tmp_path / f"export.{fmt}"
        await anyio.Path(path).write_bytes(data)
        async with await anyio.open_file(path, "rb") as f:
            from_file = await values(f, fmt, chunk_size=size)
        assert from_file == got
    for sample in LEGACY_SAMPLES:
        data = sample.read_bytes()
        typed = await values(chunked(data, size), "json", LegacyLabelRow)
        assert len(typed) == len(_expected(data, "json"))


# -- point 3: a malformed but complete array ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5, 64, 4096])
@pytest.mark.parametrize(
    ("bad", "fault"),
    [
        (b'{{"b":2}', 1),  # a doubled brace: the bracket depth never returns to 0
        (b'{"b":[2}', 7),  # a bracket of the wrong kind
        (b'{"b":"x\n', 7),  # a string cut by a raw newline
        (b'{"b" 2}', 5),  # no colon
    ],
)
async def test_malformed_complete_array_is_a_parse_error_at_the_fault(bad: bytes, fault: int, size: int) -> None:
    head = b'[\n{"a":1},\n'
    data = head + bad + b',\n{"c":3},\n{"d":4}]\n'
    got: list[Any] = []
    with pytest.raises(ExportParseError) as info:
        async with read_records(chunked(data, size), None, format="json") as reader:
            async for r in reader:
                got.append(r.value)
    assert got == [{"a": 1}]  # the record before the fault, delivered
    err = info.value
    assert err.offset == len(head) + fault
    assert err.line == 2
    assert "malformed JSON" in str(err) and err.excerpt


async def test_a_broken_structure_is_reported_without_reading_the_rest() -> None:
    # 8 MB after a structure break at byte 1: the splitter used to buffer it all, then say IncompleteExportError.
    record = b'{"pad":"' + b"p" * 1000 + b'"},\n'
    pulled = 0

    async def source() -> AsyncIterator[bytes]:
        nonlocal pulled
        body = b"[{{" + b"x" * 100 + b"\n" + record * 8000 + b"{}]"
        for i in range(0, len(body), 65536):
            pulled = i + 65536
            yield body[i : i + 65536]

    with pytest.raises(ExportParseError, match="key must be a string") as info:
        async with read_records(source(), None, format="json", chunk_size=65536) as reader:
            async for _ in reader:
                pass
    assert info.value.offset == 2
    assert pulled <= 2 * 65536


@pytest.mark.parametrize("size", [1, 3, 4096])
async def test_incomplete_only_when_the_input_ends_inside_a_record(size: int) -> None:
    for cut in (b'[{"a":1},{"b":', b'[{"a":1},{"b":"x', b'[{"a":1},{"b":tr', b'[{"a":1},{"b":[1,', b'[{"a":1},'):
        with pytest.raises(IncompleteExportError) as info:
            await values(chunked(cut, size), "json")
        assert info.value.offset == 8  # just after the last complete record: where a resume starts
    for broken in (b'[{"a":1},{"b":]', b'[{"a":1},{"b":"x\n', b'[{"a":1},{"b" x', b'[{"a":1},}'):
        with pytest.raises(ExportParseError):
            await values(chunked(broken, size), "json")


# -- point 8: deep nesting and lone surrogates ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [7, 65536])
async def test_nesting_past_pydantic_cores_200_levels_is_read(size: int) -> None:
    deep = b"[" * 500 + b"1" + b"]" * 500
    obj = b'{"a":' * 300 + b"{}" + b"}" * 300
    for fmt, data in (("ndjson", deep + b"\n" + obj + b"\n"), ("json", b"[" + deep + b",\n" + obj + b"]")):
        got = await values(chunked(data, size), fmt)
        assert [v for v, *_ in got] == [json.loads(deep), json.loads(obj)]


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
async def test_nesting_past_the_limit_names_the_limit_and_the_position(fmt: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    data = b'{"ok":1}\n' + deep + b"\n" if fmt == "ndjson" else b'[{"ok":1},\n' + deep + b"]"
    with pytest.raises(ExportParseError, match=r"JSON nested too deep: past 200 levels .* recursion limit") as info:
        await values(chunked(data, 4096), fmt)
    assert info.value.offset == data.index(b"[[")
    assert info.value.line == 1


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
@pytest.mark.parametrize("size", [1, 4096])
async def test_lone_surrogate_escapes_are_read_as_json_loads_reads_them(fmt: str, size: int) -> None:
    rows = [b'{"s":"a\\ud800b"}', b'{"\\udc00":"\\ud83d\\ude00"}', b'{"t":"\\ud800\\u0041","u":1.5}']
    data = b"\n".join(rows) + b"\n" if fmt == "ndjson" else b"[" + b",".join(rows) + b"]"
    got = await values(chunked(data, size), fmt)
    assert [v for v, *_ in got] == [json.loads(r) for r in rows]
    typed = await values(chunked(data, size), fmt, TypeAdapter(dict[str, Any]))
    assert [v for v, *_ in typed] == [json.loads(r) for r in rows]


async def test_a_bad_escape_next_to_a_surrogate_is_still_a_parse_error() -> None:
    with pytest.raises(ExportParseError, match="malformed JSON"):
        await values(chunked(b'{"s":"\\ud800\\x"}\n', 3), "ndjson")
    with pytest.raises(ExportParseError, match="malformed JSON"):
        await values(chunked(b'[{"s":"\\ud800"{{}]', 3), "json")


# -- point 9: only JSON whitespace is skipped ---------------------------------------------------------------------


@pytest.mark.parametrize("junk", [b"\x0b", b"\x0c", b" \x0c ", b"\x85", b"\xc2\xa0"])
@pytest.mark.parametrize("size", [1, 4096])
async def test_lines_of_other_whitespace_are_reported_not_skipped(junk: bytes, size: int) -> None:
    ndjson = b'{"a":1}\n' + junk + b'\n{"b":2}\n'
    got: list[Any] = []
    with pytest.raises(ExportParseError) as info:
        async with read_records(chunked(ndjson, size), None, format="ndjson") as reader:
            async for r in reader:
                got.append(r.value)
    assert got == [{"a": 1}]
    assert (info.value.line, info.value.offset) == (1, 8 + junk.index(junk.strip(b" ")))
    with pytest.raises(ExportParseError):  # the last line, with no newline after it
        await values(chunked(b'{"a":1}\n' + junk, size), "ndjson")
    for array in (b'[{"a":1},' + junk + b'{"b":2}]', b'[{"a":1}]' + junk, junk + b'[{"a":1}]'):
        with pytest.raises(ExportParseError):
            await values(chunked(array, size), "json")


async def test_json_whitespace_is_still_skipped_everywhere() -> None:
    ws = b" \t\r\n"
    assert [v for v, *_ in await values(chunked(ws + b'{"a":1}' + ws + b'\n{"b":2}' + ws, 2), "ndjson")] == [
        {"a": 1},
        {"b": 2},
    ]
    got = await values(chunked(ws + b"[" + ws + b'{"a":1}' + ws + b"," + ws + b"2" + ws + b"]" + ws, 2), "json")
    assert [v for v, *_ in got] == [{"a": 1}, 2]


@pytest.mark.parametrize("data", [b"[1,]", b"[,1]", b"[1 2]", b'["a"\x0b]', b"[\x0b1]", b"[1]]"])
async def test_broken_scalar_arrays_are_parse_errors(data: bytes) -> None:
    with pytest.raises(ExportParseError):
        await values(chunked(data, 1), "json")
    with pytest.raises(ExportParseError):
        await values(chunked(data, 100), "json")


async def test_only_labelbox_errors_escape_invalid_utf8() -> None:
    for data in (b'[{"a":"\xff"}]', b'{"a":"\xed\xa0\x80"}\n', b'[{"a":"\xe2\x82"}, 1]'):
        fmt = "json" if data.startswith(b"[") else "ndjson"
        with pytest.raises(LabelboxError):
            await values(chunked(data, 2), fmt)
