"""``client.organization``, ``client.invites`` and ``client.resource_tags`` against the emulator's truth."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, ResponseModelError, UnexpectedResponseError
from alabelbox.testing import Emulator
from alabelbox.types import InviteStatus


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


async def test_invites_one_and_many_with_per_address_outcomes(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    seats = await client.invites.limit()
    assert (seats.used, seats.limit) == (emu.world.n_users, 100)
    one = await client.invites.create("One@Example.org", "NONE", project_roles=[(project_id, "LABELER")])
    assert one.organization_role_name == "None" and [p.project_id for p in one.project_invites] == [project_id]
    member = emu.world.email(2)
    emails = ["new@example.org", " NEW@example.org", "not an address", member, "one@example.org", "x" * 321 + "@a.b"]
    results = await client.invites.create_many(emails, role="REVIEWER")
    assert [r.status for r in results] == [
        InviteStatus.INVITED,
        InviteStatus.DUPLICATE,
        InviteStatus.INVALID_EMAIL,
        InviteStatus.ALREADY_MEMBER,
        InviteStatus.ALREADY_INVITED,
        InviteStatus.INVALID_EMAIL,
    ]
    assert results[0].invite_id and results[4].invite_id == one.id
    (sent,) = emu.api_requests("InviteMembersPyApi")
    assert sent.variables is not None and len(sent.variables["data"]["emails"]) == 4  # not the repeat, not the long one
    listed = [i async for i in client.invites.list(page_size=1)]
    assert [i.email for i in listed] == ["One@Example.org", "new@example.org"]
    assert [i.id async for i in client.invites.list(project_id=project_id)] == [one.id]
    assert (await client.invites.limit()).used == seats.used + 2
    await client.invites.cancel(one.id)
    assert [i.id async for i in client.invites.list()] == [listed[1].id]
    with pytest.raises(ResourceNotFoundError):
        await client.invites.cancel(one.id)


async def test_invites_refuse_bad_input_before_sending(emu: Emulator, client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match="not a string"):
        await client.invites.create_many("a@example.org", role="LABELER")
    with pytest.raises(InvalidArgumentError, match="at least one"):
        await client.invites.create_many([], role="LABELER")
    with pytest.raises(InvalidArgumentError, match="needs an organization role"):
        await client.invites.create_many(["a@example.org"], role="NONE")
    with pytest.raises(InvalidArgumentError, match=r"\[1\] is a int"):
        await client.invites.create_many(["a@example.org", 5], role="LABELER")  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match="organization role NONE"):
        await client.invites.create("a@example.org", "ADMIN", project_roles=[(emu.project_ids[0], "LABELER")])
    assert emu.api_requests("InviteMembersPyApi") == [] and emu.api_requests("createInvitesPyApi") == []


async def test_a_full_organization_refuses_seats_per_address(emu: Emulator, client: Client) -> None:
    emu.backend.invites.seat_limit = emu.world.n_users + 1
    results = await client.invites.create_many(["a@example.org", "b@example.org"], role="LABELER")
    assert [r.status for r in results] == [InviteStatus.INVITED, InviteStatus.SEAT_LIMIT]
    with pytest.raises(ResponseModelError, match="invited no one"):
        await client.invites.create("c@example.org", "LABELER")


async def test_resource_tags_and_a_projects_tags(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    vision = await client.resource_tags.create("vision", color="1f77b4")
    audio = await client.resource_tags.create("audio", color="ff7f0e")
    assert [t.text for t in await client.resource_tags.list()] == ["vision", "audio"]
    renamed = await client.resource_tags.update(audio.id, text="speech")
    assert (renamed.text, renamed.color) == ("speech", "ff7f0e")
    assert [t.id for t in await client.resource_tags.set_for_project(project_id, [vision.id, audio.id])] == [
        vision.id,
        audio.id,
    ]
    assert [t.text for t in await client.resource_tags.for_project(project_id)] == ["vision", "speech"]
    assert await client.resource_tags.for_project(emu.project_ids[1]) == []
    assert await client.resource_tags.set_for_project(project_id, []) == []
    with pytest.raises(ResourceNotFoundError):
        await client.resource_tags.set_for_project(project_id, ["cl0nope"])
    with pytest.raises(InvalidArgumentError, match="wrap it"):
        await client.resource_tags.set_for_project(project_id, vision.id)
    with pytest.raises(InvalidArgumentError, match="give text, color"):
        await client.resource_tags.update(vision.id)
