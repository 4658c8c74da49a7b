"""The emulator pauses the cyclic collector around its bursts of kept objects, and always turns it back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.testing._collector import collector_paused


@pytest.fixture
def collecting() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collecting")
def test_the_collector_is_paused_in_the_block_and_back_after_it_even_on_an_error() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


@pytest.mark.usefixtures("collecting")
def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.usefixtures("collecting")
async def test_an_upsert_runs_without_collections_and_leaves_the_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    async with Emulator(data_rows=2) as emu, Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        ingestion = emu.backend.ingestion
        seen: list[bool] = []
        apply = ingestion._apply

        def spy(*args: Any) -> str | None:
            seen.append(gc.isenabled())
            return apply(*args)

        monkeypatch.setattr(ingestion, "_apply", spy)
        dataset = await client.datasets.create(name="d")
        done = await client.data_rows.create(
            dataset.id, [{"row_data": f"https://example.com/{i}.jpg"} for i in range(3)]
        )
        assert done.accepted == 3
        assert seen == [False] * 3
        assert gc.isenabled()
