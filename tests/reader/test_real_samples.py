"""Every real export (``samples/real/``, see SOURCES.md) and the older samples, read in many chunkings.

Typed (the model the manifest names) and as dicts (``model=None``); fixed chunk sizes (the powers of two from 4 KiB
to 256 KiB, and a few odd sizes), random chunkings, and two-chunk cuts across the file (every cut of a small file, a
deterministic sample of the larger ones: near the start, around record boundaries, and near the end, where a
cut-off last record would hide), through an async iterator of bytes and through an anyio file.

Clean means: every record valid (``on_invalid="raise"``), every typed record dumps back (``model_dump(mode="json",
by_alias=True, exclude_unset=True)``) to the original value with the same JSON types, every dict equals
``json.loads``. The expected values are computed once per file; each chunking is then compared with them.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import anyio
import pytest
from pydantic import TypeAdapter

import alabelbox.types
from alabelbox._streaming import read_records

from .conftest import SAMPLES, chunked

REAL = SAMPLES / "real"

KIB = 1024
POWERS = [4 * KIB << i for i in range(7)]  # 4, 8, 16, 32, 64, 128, 256 KiB
ODD_SIZES = [4 * KIB + 1, 40_000, 100_003]
BIG = 1024 * KIB
"""Files above this get a reduced set of chunkings (they are read many times; keep the suite fast)."""


class Sample(NamedTuple):
    path: Path
    format: str
    model: str


def _samples() -> list[Sample]:
    manifest = json.loads((REAL / "manifest.json").read_text())
    found = [Sample(REAL / m["file"], m["format"], m["model"]) for m in manifest]
    found.append(Sample(SAMPLES / "export-v2-project-roof-wear.ndjson", "ndjson", "ExportRow"))
    found += [Sample(p, "json", "LegacyLabelRow") for p in sorted(SAMPLES.glob("*_export.json"))]
    return found


SAMPLE_LIST = _samples()


def test_every_real_file_is_in_the_manifest_and_copied() -> None:
    on_disk = {p.name for p in REAL.iterdir()} - {"manifest.json", "SOURCES.md"}
    assert on_disk == {s.path.name for s in SAMPLE_LIST if s.path.parent == REAL}
    assert len(on_disk) == 20
    sources = (REAL / "SOURCES.md").read_text()
    assert all(name in sources for name in on_disk)


def exact(value: Any) -> Any:
    """A JSON value with its types made visible, so ``1`` and ``1.0`` (or ``True`` and ``1``) do not compare equal."""
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact(v) for v in value]
    return (type(value).__name__, value)


def originals(sample: Sample, data: bytes) -> list[Any]:
    if sample.format == "ndjson":
        return [json.loads(line) for line in data.splitlines() if line.strip()]
    parsed = json.loads(data)
    return parsed if isinstance(parsed, list) else [parsed]


def model_of(sample: Sample) -> Any:
    model = getattr(alabelbox.types, sample.model)
    return model if isinstance(model, type) else TypeAdapter(model)


def adapter_of(model: Any) -> TypeAdapter[Any]:
    return model if isinstance(model, TypeAdapter) else TypeAdapter(model)


def dumper(model: Any) -> Callable[[Any], Any]:
    adapter = adapter_of(model)
    return lambda value: adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


def two_chunk_cuts(data: bytes) -> list[int]:
    """Where to cut ``data`` in two: everywhere in a small file; else a deterministic sample."""
    n = len(data)
    if n <= 2 * KIB:
        return list(range(1, n))
    cuts = set(range(1, 48)) | set(range(n - 48, n))  # the first record's start; the last record and the end
    ends = [i + 1 for i in range(n) if data[i : i + 1] == b"}"]  # record (and object) boundaries
    rng = random.Random(n)
    for end in rng.sample(ends, min(12, len(ends))) + ends[-3:]:
        cuts |= {end - 1, end, end + 1}
    cuts |= {n * k // 16 for k in range(1, 16)}
    return sorted(c for c in cuts if 0 < c < n)


async def _two(data: bytes, cut: int) -> AsyncIterator[bytes]:
    yield data[:cut]
    yield data[cut:]


async def _random(data: bytes, seed: int, most: int) -> AsyncIterator[bytes]:
    rng = random.Random(seed)
    pos = 0
    while pos < len(data):
        n = rng.randint(1, most)
        yield data[pos : pos + n]
        pos += n


Source = Callable[[], AsyncIterator[bytes]]


def chunkings(data: bytes, typed: bool) -> list[tuple[str, Source]]:
    """(name, source factory) for every chunking of ``data`` through an async iterator of bytes.

    Larger files are read with fewer chunkings, and typed with fewer still, to keep the suite fast: how bytes are
    cut is the reader's concern and the same in both modes, and dicts are the cheaper read (the largest file, 3.5 MB
    of polygons, takes about 0.3 s as dicts and 0.45 s typed on a quiet machine).
    """
    big = len(data) > BIG
    if big:
        sizes = [256 * KIB] if typed else [4 * KIB, 64 * KIB, 256 * KIB]
    else:
        sizes = POWERS + (ODD_SIZES if len(data) <= 64 * KIB else ODD_SIZES[:1])
    out: list[tuple[str, Source]] = [(f"fixed {size}", partial(chunked, data, size)) for size in sizes]
    if big and typed:
        return out
    seeds = [(3, 997)] if big else [(1, 997), (3, 97)]
    out += [(f"random 1-{most} seed {seed}", partial(_random, data, seed, most)) for seed, most in seeds]
    cuts = two_chunk_cuts(data)
    if big:
        cuts = [*cuts[-2:], len(data) // 2]
    elif len(data) > 64 * KIB:
        cuts = [*cuts[:4], *cuts[4:-8][:: max(1, len(cuts) // 8)], *cuts[-8:]]
    elif len(cuts) > 48:
        cuts = [*cuts[:8], *cuts[8:-8][:: max(1, (len(cuts) - 16) // 32)], *cuts[-8:]]
    out += [(f"two chunks cut at {cut}", partial(_two, data, cut)) for cut in cuts]
    return out


async def read_all(source: Any, model: Any, fmt: Any, **kwargs: Any) -> list[Any]:
    async with read_records(source, model, format=fmt, **kwargs) as reader:
        return [record.value async for record in reader]


async def failures(sample: Sample, model: Any, expected: list[Any], data: bytes) -> str:
    """The chunkings (iterator and anyio file) whose records differ from ``expected``, one a line ("" if none)."""
    failed: list[str] = []
    for name, source in chunkings(data, typed=model is not None):
        try:
            got = await read_all(source(), model, sample.format)
        except Exception as exc:  # reported by name below, with its message
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if got != expected:
            failed.append(f"{name}: {len(got)} records differ from the {len(expected)} expected")
    sizes = [256 * KIB] if len(data) > BIG else POWERS if len(data) <= 64 * KIB else [4 * KIB, 64 * KIB, 256 * KIB]
    for size in sizes:
        try:
            async with await anyio.open_file(sample.path, "rb") as f:
                got = await read_all(f, model, sample.format, chunk_size=size)
        except Exception as exc:
            failed.append(f"anyio file {size}: {type(exc).__name__}: {exc}")
            continue
        if got != expected:
            failed.append(f"anyio file {size}: records differ")
    return "\n".join(failed)


@pytest.mark.parametrize("sample", SAMPLE_LIST, ids=lambda s: s.path.name)
async def test_typed_round_trip_is_exact(sample: Sample) -> None:
    data = sample.path.read_bytes()
    model = model_of(sample)
    values = await read_all(chunked(data, 256 * KIB), model, sample.format)
    dump = dumper(model)
    original = originals(sample, data)
    assert len(values) == len(original)
    for i, (value, raw) in enumerate(zip(values, original, strict=True)):
        assert exact(dump(value)) == exact(raw), f"record {i} of {sample.path.name} does not dump back as read"


@pytest.mark.parametrize("sample", SAMPLE_LIST, ids=lambda s: s.path.name)
async def test_typed_records_whatever_the_chunking(sample: Sample) -> None:
    data = sample.path.read_bytes()
    model = model_of(sample)
    expected = [adapter_of(model).validate_python(item) for item in originals(sample, data)]
    assert await failures(sample, model, expected, data) == ""


@pytest.mark.parametrize("sample", SAMPLE_LIST, ids=lambda s: s.path.name)
async def test_dicts_equal_json_loads_whatever_the_chunking(sample: Sample) -> None:
    data = sample.path.read_bytes()
    expected = originals(sample, data)
    assert exact(await read_all(chunked(data, 64 * KIB), None, sample.format)) == exact(expected)
    assert await failures(sample, None, expected, data) == ""
