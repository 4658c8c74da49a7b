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
    # A retrieved dataset carries who created it and its organization too; a listed one leaves them None.
    assert one.model_copy(update={"created_by": None, "organization": None}) == datasets[2]
    assert one.created_by is not None and one.created_by.id == emu.user_id and datasets[2].created_by is None
    assert one.organization is not None and one.organization.id == emu.organization_id
    assert [d.id async for d in client.datasets.list(name=one.name)] == [one.id]
    with pytest.raises(ResourceNotFoundError):
        await client.datasets.retrieve("cl_no_such_dataset_00000")
