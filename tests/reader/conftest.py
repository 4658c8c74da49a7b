"""Shared helpers for the reader tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"
"""Copies of ../shared/fixtures/labelbox-samples (real exports; e-mail addresses replaced)."""

NDJSON_SAMPLE = SAMPLES / "export-v2-project-roof-wear.ndjson"
LEGACY_SAMPLES = sorted(SAMPLES.glob("*_export.json"))


async def chunked(data: bytes, sizes: Sequence[int] | int) -> AsyncIterator[bytes]:
    """Yield ``data`` in chunks: a fixed size, or cycling through ``sizes``."""
    cycle = [sizes] if isinstance(sizes, int) else list(sizes) or [len(data) or 1]
    i = 0
    pos = 0
    while pos < len(data):
        n = max(1, cycle[i % len(cycle)])
        yield data[pos : pos + n]
        pos += n
        i += 1
