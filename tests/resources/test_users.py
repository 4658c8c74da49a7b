"""client.users against the emulator."""

from __future__ import annotations

import pytest

from alabelbox import Client, ResourceNotFoundError
from alabelbox.testing import Emulator


async def test_users(client: Client, emu: Emulator) -> None:
    me = await client.users.me()
    assert me.id == emu.user_id and me.email
    users = [u async for u in client.users.list(page_size=4)]
    assert len(users) == 6 and users[0].id == emu.user_id
    other = await client.users.retrieve(users[3].id)
    assert other == users[3]
    with pytest.raises(ResourceNotFoundError):
        await client.users.retrieve("cl_no_such_user_00000000")
