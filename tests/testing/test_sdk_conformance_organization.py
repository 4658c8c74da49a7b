"""Roles, invitations, membership and resource tags: the unmodified SDK and alabelbox against one emulator."""

from __future__ import annotations

from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from tests.testing.test_sdk_conformance import in_thread, no_external_network, sdk_client

__all__ = ["no_external_network"]

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=7, projects=2, data_rows=20, task_seconds=0.0) as e:
        yield e


async def test_roles_and_invitations_agree(emu: Emulator, no_external_network: list[Any]) -> None:
    project_id = emu.project_ids[0]

    def sdk_writes() -> tuple[dict[str, str], str, list[Any], Any]:
        sdk = sdk_client(emu)
        roles = sdk.get_roles()
        org = sdk.get_organization()
        invite = org.invite_user("sdk@example.org", roles["REVIEWER"])
        results = org.invite_users(["bulk@example.org", "BULK@example.org"], roles["LABELER"], projects=[project_id])
        return {k: r.uid for k, r in roles.items()}, invite.uid, results, org.invite_limit()

    sdk_roles, sdk_invite, sdk_results, sdk_limit = await in_thread(sdk_writes)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        roles = {r.key: r.id for r in await client.organization.roles()}
        ours = await client.invites.create("ours@example.org", "team manager")
        listed = {i.id: i async for i in client.invites.list()}
        limit = await client.invites.limit()
        in_project = [i.email async for i in client.invites.list(project_id=project_id)]
    assert roles == sdk_roles
    assert [r.status.value for r in sdk_results] == ["INVITED", "DUPLICATE"]
    truth = emu.backend.invites.by_id
    assert set(listed) == set(truth) and {sdk_invite, ours.id, sdk_results[0].invite_id} <= set(listed)
    assert listed[sdk_invite].organization_role_name == "Reviewer" == truth[sdk_invite]["organizationRoleName"]
    assert in_project == ["bulk@example.org"]
    assert limit.used == sdk_limit.used + 1 and limit.limit == sdk_limit.limit

    def sdk_reads() -> list[str]:
        sdk = sdk_client(emu)
        invites = list(sdk.get_organization().get_invites())
        next(i for i in invites if i.uid == ours.id).cancel()
        return sorted(i.uid for i in sdk.get_organization().get_invites())

    assert await in_thread(sdk_reads) == sorted(set(listed) - {ours.id}) == sorted(truth)


async def test_membership_and_resource_tags_agree(emu: Emulator, no_external_network: list[Any]) -> None:
    project_id = emu.project_ids[0]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        users = [u async for u in client.users.list()]
        await client.organization.set_user_role(users[2].id, "REVIEWER")
        await client.organization.remove_user(users[3].id)
        ours = await client.resource_tags.create("ours", color="00ff00")

    def sdk_side() -> tuple[list[str], list[str], list[str]]:
        sdk = sdk_client(emu)
        org = sdk.get_organization()
        remaining = [u.uid for u in org.users()]
        tag = org.create_resource_tag({"text": "sdk", "color": "0000ff"})
        project = sdk.get_project(project_id)
        project.update_project_resource_tags([tag.uid, ours.id])
        return remaining, [t.uid for t in org.get_resource_tags()], [t.text for t in project.get_resource_tags()]

    remaining, sdk_tags, sdk_project_tags = await in_thread(sdk_side)
    assert remaining == [u.id for u in users if u.id != users[3].id]
    assert emu.backend.roles.user_roles[2] == "Reviewer" and 3 in emu.backend.roles.removed
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        assert [t.id for t in await client.resource_tags.list()] == sdk_tags == list(emu.backend.resource_tags.by_id)
        tags = [t.text for t in await client.resource_tags.for_project(project_id)]
        assert tags == sdk_project_tags == ["sdk", "ours"]
