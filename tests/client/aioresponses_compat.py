"""aioresponses 0.7.9 with aiohttp 3.14: the workaround from upstream PR #288, until a release carries it.

aiohttp 3.14 made ``stream_writer`` a required argument of ``ClientResponse`` (it reads only ``output_size``);
aioresponses 0.7.9 does not pass it (pnuckowski/aioresponses#289). We patch aioresponses' response class rather than
pin aiohttp back, so the tests run against the aiohttp our users get. A no-op on aiohttp < 3.14.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any
from unittest.mock import Mock

import aiohttp
import aioresponses.core as aioresponses_core
import pytest
from aioresponses import aioresponses


class _CompatResponse(aiohttp.ClientResponse):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", Mock(output_size=0))
        super().__init__(*args, **kwargs)


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    """An active aioresponses mock that works on aiohttp 3.14."""
    if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
        monkeypatch.setattr(aioresponses_core, "ClientResponse", _CompatResponse)
    with aioresponses() as m:
        yield m
