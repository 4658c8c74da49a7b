"""client.datasets against the emulator."""

from __future__ import annotations

import pytest

from alabelbox import Client, ResourceNotFoundError
from alabelbox.testing import Emulator


async def test_list_and_retrieve_datasets(client: Client, emu: Emulator) -> None:
    datasets = [d async for d in client.datasets.list()]
    assert [d.id for d in datasets] == emu.dataset_ids
    assert all(d.row_count == 250 for d in datasets)
    one = await client.datasets.retrieve(emu.dataset_ids[2])
    assert one == datasets[2]
    assert [d.id async for d in client.datasets.list(name=one.name)] == [one.id]
    with pytest.raises(ResourceNotFoundError):
        await client.datasets.retrieve("cl_no_such_dataset_00000")
