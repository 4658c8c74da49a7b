"""``client.invites`` against the emulator's truth."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, ResponseModelError
from alabelbox.testing import Emulator
from alabelbox.types import InviteStatus


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
