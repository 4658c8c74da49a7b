"""``client.organization`` against the emulator's truth."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, UnexpectedResponseError
from alabelbox.testing import Emulator


async def test_roles_are_asked_for_once_and_resolve_by_id_or_any_spelling(emu: Emulator, client: Client) -> None:
    roles = await client.organization.roles()
    assert [r.key for r in roles] == ["NONE", "LABELER", "REVIEWER", "TEAM_MANAGER", "ADMIN"]
    manager = roles[3]
    for spelling in ("team manager", "TEAM_MANAGER", " Team Manager ", manager.id, manager):
        assert await client.organization.role(spelling) == manager
    with pytest.raises(InvalidArgumentError, match="'boss' is not one of NONE, LABELER"):
        await client.organization.role("boss")
    assert len(emu.api_requests("GetAvailableUserRolesPyApi")) == 1


async def test_a_users_role_changes_and_a_removed_user_is_gone(emu: Emulator, client: Client) -> None:
    users = [u async for u in client.users.list()]
    other = users[1]
    assert (await client.organization.set_user_role(other.id, "admin")).key == "ADMIN"
    assert emu.backend.roles.user_roles[1] == "Admin"
    await client.organization.remove_user(other.id)
    assert [u.id async for u in client.users.list()] == [u.id for u in users if u.id != other.id]
    with pytest.raises(ResourceNotFoundError):
        await client.users.retrieve(other.id)
    with pytest.raises(ResourceNotFoundError):
        await client.organization.remove_user(other.id)
    with pytest.raises(UnexpectedResponseError, match="cannot remove yourself"):
        await client.organization.remove_user(users[0].id)


async def test_the_organization_and_its_integrations(emu: Emulator, client: Client) -> None:
    org = await client.organization.retrieve()
    assert org.id == emu.world.org_id and org.name == emu.world.organization()["name"]
    assert await client.organization.iam_integrations() == []
    assert await client.organization.default_iam_integration() is None
