"""Answers are read by pydantic-core's JSON parser, and always to ``json.loads``' value: same numbers, same strings,
same errors; what pydantic-core refuses and ``json.loads`` reads goes to ``json.loads``."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from aioresponses import aioresponses

from alabelbox import Client, RetryConfig, UnexpectedResponseError
from alabelbox._transport._mapping import loads

ENDPOINT = "https://api.labelbox.test/graphql"
KEY = "lb-secret-key-0123456789"


def same(a: Any, b: Any) -> bool:
    """Equal, with equal types all the way down (1 is not 1.0), and NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b) and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b))


BODIES = [
    b'{"a": 123456789012345678901234567890, "b": -0, "c": -0.0, "d": 1e400, "e": -1e400}',
    b'{"a": NaN, "b": Infinity, "c": -Infinity}',
    b'{"a": 1, "a": 2, "b": {"x": 1, "x": [3]}}',
    b'{"a": 9007199254740993, "b": 1.0000000000000002, "c": 5e-324, "d": 1.7976931348623157e308, "e": 1E5}',
    '{"label": "{\\"title\\": \\"moss \U0001f33f\\", \\"value\\": \\"\\u640d\\u50b7\\"}", "t": "\\u0000\\/"}'.encode(),
    b'{"a": "\\ud83c\\udf3f", "b": "\xf0\x9f\x8c\xbf"}',
    b' \n {"data": {"x": [true, false, null, [], {}]}} \n',
    # pydantic-core refuses these; json.loads reads them.
    b'{"a": "\\ud800"}',
    b'\xef\xbb\xbf{"a": 1}',
    '{"a": "é"}'.encode("utf-16"),
    b"[" * 300 + b"]" * 300,
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_the_value_is_json_loads_value(body: bytes) -> None:
    assert same(loads(body), json.loads(body))


def test_random_floats_and_integers_read_exactly() -> None:
    rng = random.Random(7)
    values = []
    for _ in range(5_000):
        x = rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30)
        values.append([x, round(x, rng.randint(0, 6)), rng.getrandbits(rng.randint(1, 80)) * rng.choice((1, -1))])
    body = json.dumps({"values": values}).encode()
    assert same(loads(body), json.loads(body))


@pytest.mark.parametrize(
    "body", [b"", b'{"a": 1} x', b'{"a": 01}', b'{"a": 1,}', b'{"a": "x\ny"}', b'{"a": "\x00"}', b'{"a": "\xff"}']
)
def test_what_json_loads_refuses_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        loads(body)


async def test_a_malformed_answer_is_still_an_unexpected_response(mocked: aioresponses) -> None:
    async with Client(api_key=KEY, endpoint=ENDPOINT, retry=RetryConfig(max_retries=0)) as client:
        mocked.post(ENDPOINT, status=200, body=b'{"data": {"thing": 1},}')
        with pytest.raises(UnexpectedResponseError):
            await client.execute("query GetThingPyApi { thing }")
        mocked.post(ENDPOINT, status=200, body='\ufeff{"data": {"thing": 1}}'.encode())
        assert await client.execute("query GetThingPyApi { thing }") == {"thing": 1}
