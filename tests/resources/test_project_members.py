"""``client.project_members`` against the emulator: roles, members added, changed and removed, and refusals."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, LabelboxError
from alabelbox.testing import Emulator
from tests.resources.test_batches import new_project


async def test_a_blank_role_is_refused_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="role"):
        await client.project_members.add("p1", "u1", "")
    with pytest.raises(InvalidArgumentError, match="user_id"):
        await client.project_members.remove("p1", "")
    assert emu.api_requests() == []


async def test_members_added_and_removed_with_roles(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    roles = {r.key: r for r in await client.organization.roles()}
    assert set(roles) == {"ADMIN", "TEAM_MANAGER", "REVIEWER", "LABELER", "NONE"}
    project_based = emu.world.user_id(2)  # an even user: organization role NONE
    await client.project_members.add(pid, project_based, "Reviewer")
    members = await client.project_members.list(pid)
    assert [(m.user.id, m.role.name, m.access_from) for m in members] == [
        (emu.user_id, "ADMIN", "ORGANIZATION"),
        (project_based, "REVIEWER", "PROJECT"),
    ]
    await client.project_members.add(pid, project_based, roles["LABELER"])
    assert [m.role.name for m in await client.project_members.list(pid)][1:] == ["LABELER"]
    await client.project_members.remove(pid, project_based)
    assert [m.user.id for m in await client.project_members.list(pid)] == [emu.user_id]
    assert len(emu.api_requests("GetAvailableUserRolesPyApi")) == 1  # the roles are fetched once
    with pytest.raises(LabelboxError, match="organization role"):
        await client.project_members.add(pid, emu.world.user_id(1), "LABELER")
    with pytest.raises(InvalidArgumentError, match="not one of"):
        await client.project_members.add(pid, project_based, "OWNER")
