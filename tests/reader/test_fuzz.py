"""The fuzz harness, bounded: every corruption category, seeded, in a few seconds (the long run: ``nox -s fuzz``)."""

from __future__ import annotations

import asyncio
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzz import CATEGORIES, Case, check, chunkings, fuzz, make_case, read_case, valid_prefix


async def test_every_category_holds_the_rules() -> None:
    report = await fuzz(cases_per_category=25, seed=20)
    assert report.failures == []
    assert set(report.per_category) == set(CATEGORIES) and len(CATEGORIES) >= 20
    assert report.records > 0


def test_the_oracle_tells_truncation_from_corruption() -> None:
    doc = json.dumps([{"a": [1, -2.5e-3, True, None, 'x\\"é😀'], "b": {}}, "s"], ensure_ascii=False).encode()
    for cut in range(1, len(doc) + 1):
        assert valid_prefix(doc[:cut]), doc[:cut]  # every truncation of valid JSON can be completed
    for bad in (b"[1,]", b"[{{", b'["a\n', b'{"a" 1', b"[tx", b'["\\x"', b'["\xff"', b"[1]]", b"[01", b"[\x0b1"):
        assert not valid_prefix(bad), bad
    assert valid_prefix(b'["\xe2\x82') and valid_prefix(b'["\\u00') and valid_prefix(b"[-")


def test_the_harness_catches_a_reader_that_breaks_the_rules() -> None:
    # The checks must be able to fail: a wrong record, a lost record and the wrong error are all reported.
    rng = random.Random(1)
    case = make_case("truncate", rng)
    outcome = asyncio.run(read_case(case.data, case.fmt, [64]))
    assert check(case, [64], outcome) == []
    valid = Case("none", b'[{"a":1},\n{"b":2}]', "json", 99, 100, [8, 17])
    good = asyncio.run(read_case(valid.data, "json", [3]))
    assert check(valid, [3], good) == []
    good.records[1] = {"b": 3}
    assert any("not json.loads of its bytes" in p for p in check(valid, [3], good))
    good.records.pop()
    good.spans.pop()
    assert any("records differ" in p for p in check(valid, [3], good))
    bad = Case("none", b'[{"a":1},\n{"b" 2}]', "json", 12, 100, [8])
    outcome = asyncio.run(read_case(bad.data, "json", [3]))
    outcome.error = None
    assert any("without an error" in p for p in check(bad, [3], outcome))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CATEGORIES),
    st.integers(min_value=0, max_value=2**32),
    st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=6),
)
def test_random_cases_and_chunkings_hold_the_rules(category: str, seed: int, sizes: list[int]) -> None:
    rng = random.Random(seed)
    case = make_case(category, rng)
    if category in ("huge_line", "bracket_break_big", "deep"):
        sizes = [s * 512 for s in sizes]
    assert chunkings(rng, len(case.data))  # the harness's own chunkings are exercised by the test above
    outcome = asyncio.run(read_case(case.data, case.fmt, sizes))
    assert check(case, sizes, outcome) == []
