"""Webhooks: the unmodified official SDK and alabelbox against one emulator, checked against its truth."""

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


async def test_webhooks_written_by_either_client_read_the_same_in_both(
    emu: Emulator, no_external_network: list[Any]
) -> None:
    project_id = emu.project_ids[0]
    truth = emu.backend.webhooks.by_id

    def sdk_writes() -> tuple[str, str]:
        sdk = sdk_client(emu)
        org = labelbox.Webhook.create(sdk, ["LABEL_CREATED", "LABEL_DELETED"], "http://127.0.0.1:9/o", "s1", None)
        mine = labelbox.Webhook.create(
            sdk, ["LABEL_UPDATED"], "http://127.0.0.1:9/p", "s2", sdk.get_project(project_id)
        )
        mine.update(topics=["LABEL_DELETED"], url="http://127.0.0.1:9/p2")
        org.delete()
        return org.uid, mine.uid

    org_id, project_hook_id = await in_thread(sdk_writes)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        ours = await client.webhooks.create(
            url="http://127.0.0.1:9/a", topics=["WORKFLOW_ACTION"], secret="s3", project_id=project_id
        )
        await client.webhooks.update(ours.id, status="REVOKED")
        listed = {h.id: h async for h in client.webhooks.list()}
        in_project = [h.id async for h in client.webhooks.list(project_id=project_id)]
        elsewhere = [h.id async for h in client.webhooks.list(project_id=emu.project_ids[1])]

    def sdk_reads() -> tuple[dict[str, Any], list[str]]:
        sdk = sdk_client(emu)
        hooks = {h.uid: h for h in sdk.get_organization().webhooks()}
        return hooks, [h.uid for h in sdk.get_project(project_id).webhooks()]

    sdk_listed, sdk_in_project = await in_thread(sdk_reads)
    assert set(listed) == set(sdk_listed) == set(truth) == {org_id, project_hook_id, ours.id}
    assert in_project == sdk_in_project == [project_hook_id, ours.id] and elsewhere == []
    for hook_id, hook in listed.items():
        record, sdk_hook = truth[hook_id], sdk_listed[hook_id]
        assert hook.url == sdk_hook.url == record["url"]
        assert [str(t) for t in hook.topics] == sdk_hook.topics == record["topics"]
        assert str(hook.status) == sdk_hook.status == record["status"]
    assert str(listed[org_id].status) == "INACTIVE" and listed[org_id].project_id is None
    assert listed[project_hook_id].url == "http://127.0.0.1:9/p2" and listed[project_hook_id].project_id == project_id
    assert str(listed[ours.id].status) == "REVOKED"
    assert emu.backend.webhooks.secrets[ours.id] == "s3"
    # alabelbox sends the url and the secret as variables, never inside the document.
    (create,) = [r for r in emu.api_requests("CreateWebhookPyApi") if r.variables]
    assert create.variables == {"url": "http://127.0.0.1:9/a", "secret": "s3", "projectId": project_id}
    assert "s3" not in (create.query or "")
