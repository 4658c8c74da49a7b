"""``client.webhooks`` and :mod:`alabelbox.webhooks` against the emulator, deliveries received end to end."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, WebhookSignatureError
from alabelbox.testing import Emulator
from alabelbox.types.webhook import WebhookStatus, WebhookTopic
from alabelbox.webhooks import WebhookEvent, aiohttp_handler, asgi_app, parse_event, sign, verify_signature

SECRET = "a webhook secret"


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[WebhookEvent], asyncio.Queue[WebhookEvent]]]:
    """A receiver on 127.0.0.1 built with :func:`aiohttp_handler`: its URL, what it got, and a queue of it."""
    events: list[WebhookEvent] = []
    queue: asyncio.Queue[WebhookEvent] = asyncio.Queue()

    async def on_event(event: WebhookEvent) -> None:
        events.append(event)
        await queue.put(event)

    app = web.Application()
    app.router.add_post("/labelbox", aiohttp_handler(SECRET, on_event))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/labelbox", events, queue
    await runner.cleanup()


async def test_create_list_update_delete(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    org = await client.webhooks.create(url="http://127.0.0.1:1/o", topics=[WebhookTopic.LABEL_CREATED], secret="s")
    mine = await client.webhooks.create(
        url="http://127.0.0.1:1/p", topics=["LABEL_DELETED", "LABEL_DELETED"], secret="s", project_id=project_id
    )
    assert org.project_id is None and mine.project_id == project_id and mine.topics == [WebhookTopic.LABEL_DELETED]
    assert [h.id async for h in client.webhooks.list()] == [org.id, mine.id]
    assert [h.id async for h in client.webhooks.list(project_id=project_id, page_size=1)] == [mine.id]
    updated = await client.webhooks.update(mine.id, url="http://127.0.0.1:1/q", topics=["LABEL_UPDATED"])
    assert updated.url == "http://127.0.0.1:1/q" and updated.topics == [WebhookTopic.LABEL_UPDATED]
    assert updated.status is WebhookStatus.ACTIVE
    deleted = await client.webhooks.delete(org.id)
    assert deleted.status is WebhookStatus.INACTIVE
    assert (await client.webhooks.retrieve(org.id)).status is WebhookStatus.INACTIVE
    assert emu.backend.webhooks.by_id[org.id]["status"] == "INACTIVE"


async def test_bad_arguments_are_refused_before_anything_is_sent(emu: Emulator, client: Client) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"url": "", "topics": ["LABEL_CREATED"], "secret": "s"}, "url"),
        ({"url": "http://x", "topics": ["LABEL_CREATED"], "secret": ""}, "secret"),
        ({"url": "http://x", "topics": [], "secret": "s"}, "at least one topic"),
        ({"url": "http://x", "topics": "LABEL_CREATED", "secret": "s"}, "not the string"),
        (
            {"url": "http://x", "topics": ["LABEL_CREATED", "LABEL_EXPLODED"], "secret": "s"},
            r"\[1\] is 'LABEL_EXPLODED'",
        ),
    ]
    for arguments, message in cases:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.webhooks.create(**arguments)
    with pytest.raises(InvalidArgumentError, match="at least one of"):
        await client.webhooks.update("w1")
    with pytest.raises(InvalidArgumentError, match="'GONE', not one of"):
        await client.webhooks.update("w1", status="GONE")
    assert emu.api_requests("CreateWebhookPyApi") == [] and emu.api_requests("UpdateWebhookPyApi") == []
    with pytest.raises(ResourceNotFoundError, match="project"):
        await client.webhooks.create(url="http://x", topics=["LABEL_CREATED"], secret="s", project_id="cl0nope")
    with pytest.raises(ResourceNotFoundError, match="webhook"):
        await client.webhooks.update("cl0nope", status="REVOKED")


async def test_label_deletions_are_delivered_signed_to_the_webhooks_that_want_them(
    emu: Emulator, client: Client, receiver: tuple[str, list[WebhookEvent], asyncio.Queue[WebhookEvent]]
) -> None:
    url, events, queue = receiver
    p0, p1 = emu.project_ids[0], emu.project_ids[1]
    await client.webhooks.create(url=url, topics=["LABEL_DELETED"], secret=SECRET, project_id=p0)
    await client.webhooks.create(url=url, topics=["LABEL_CREATED"], secret=SECRET)  # another topic: not sent
    stopped = await client.webhooks.create(url=url, topics=["LABEL_DELETED"], secret=SECRET)
    await client.webhooks.delete(stopped.id)  # inactive: not sent
    wanted = emu.label_ids(p0)[:3]
    await client.labels.delete(wanted)
    await client.labels.delete(emu.label_ids(p1)[:2])  # another project's labels: not sent to the project webhook
    got = [await asyncio.wait_for(queue.get(), 5) for _ in wanted]
    await asyncio.sleep(0.05)
    assert len(events) == 3 and sorted(e.label_id or "" for e in got) == sorted(wanted)
    assert {e.topic for e in got} == {WebhookTopic.LABEL_DELETED} and {e.project_id for e in got} == {p0}
    assert all(e.data_row_id and e.delivery_id for e in got)
    deliveries = emu.backend.webhooks.deliveries
    assert [d.status for d in deliveries] == [200, 200, 200]
    assert {d.id for d in deliveries} == {e.delivery_id for e in got}


async def test_the_receiver_refuses_what_is_not_signed_with_its_secret(
    receiver: tuple[str, list[WebhookEvent], asyncio.Queue[WebhookEvent]],
) -> None:
    url, events, _ = receiver
    body = json.dumps({"id": "l1"}).encode()
    async with aiohttp.ClientSession() as session:
        for headers, status in [
            ({}, 401),
            ({"X-Hub-Signature": sign(body, "another secret")}, 401),
            ({"X-Hub-Signature": "sha256=" + sign(body, SECRET)[5:]}, 401),
            ({"X-Hub-Signature": sign(b"other", SECRET)}, 401),
        ]:
            async with session.post(url, data=body, headers=headers) as response:
                assert response.status == status
        async with session.post(url, data=b"[1]", headers={"X-Hub-Signature": sign(b"[1]", SECRET)}) as response:
            assert response.status == 400 and "not an object" in await response.text()
        big = b" " * (2 << 20)
        async with session.post(url, data=io.BytesIO(big), headers={"X-Hub-Signature": sign(big, SECRET)}) as response:
            assert response.status == 413
    assert events == []


def test_verify_signature_and_parse_event() -> None:
    body = b'{"id": "l1", "project": {"id": "p1"}, "dataRow": {"id": "d1"}}'
    verify_signature(body, sign(body, SECRET), SECRET.encode())
    verify_signature(body, sign(body, SECRET).upper().replace("SHA1=", "sha1="), SECRET)
    for header, message in [
        (None, "has no X-Hub-Signature"),
        ("md5=00", "not sha1=<hex>"),
        ("sha1=", "not sha1=<hex>"),
        ("sha1=" + "0" * 40, "does not match"),
    ]:
        with pytest.raises(WebhookSignatureError, match=message):
            verify_signature(body, header, SECRET)
    with pytest.raises(WebhookSignatureError, match="secret is empty"):
        verify_signature(body, sign(body, SECRET), "")
    event = parse_event(body, {"X-HUB-SIGNATURE": sign(body, SECRET), "X-Labelbox-Event": "SOMETHING_NEW"}, SECRET)
    assert event.topic == "SOMETHING_NEW" and event.delivery_id is None
    assert (event.label_id, event.project_id, event.data_row_id) == ("l1", "p1", "d1")
    with pytest.raises(ValueError, match="not JSON"):
        parse_event(b"{", {"X-Hub-Signature": sign(b"{", SECRET)}, SECRET)
    assert SECRET not in repr(event)


async def test_the_asgi_app_verifies_and_calls_back() -> None:
    got: list[WebhookEvent] = []
    app = asgi_app(SECRET, got.append)

    async def call(method: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        parts = [body[:5], body[5:]]
        messages = [{"type": "http.request", "body": p, "more_body": i == 0} for i, p in enumerate(parts)]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": method, "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
        await app(scope, receive, send)
        return sent[0]["status"], sent[1]["body"]

    body = b'{"id": "l9"}'
    signed = {"x-hub-signature": sign(body, SECRET), "x-labelbox-event": "LABEL_UPDATED", "x-labelbox-id": "d1"}
    assert await call("POST", body, signed) == (200, b"ok")
    assert (await call("POST", body, {"x-hub-signature": sign(body, "nope")}))[0] == 401
    assert (await call("GET", b"", {}))[0] == 405
    assert [(e.topic, e.label_id, e.delivery_id) for e in got] == [(WebhookTopic.LABEL_UPDATED, "l9", "d1")]


async def test_deliveries_to_hosts_beyond_loopback_are_recorded_never_sent(emu: Emulator, client: Client) -> None:
    await client.webhooks.create(url="https://hooks.example.com/x", topics=["LABEL_DELETED"], secret="s")
    await client.labels.delete(emu.label_ids(emu.project_ids[0])[:1])
    (delivery,) = emu.backend.webhooks.deliveries
    await asyncio.wait_for(delivery.done.wait(), 5)
    assert delivery.status is None and "only delivers to loopback" in (delivery.error or "")


async def test_imported_labels_are_delivered_as_label_created(
    emu: Emulator, client: Client, receiver: tuple[str, list[WebhookEvent], asyncio.Queue[WebhookEvent]]
) -> None:
    url, _, queue = receiver
    project_id = emu.project_ids[0]
    await client.webhooks.create(url=url, topics=["LABEL_CREATED"], secret=SECRET, project_id=project_id)
    row_ids = [emu.world.row_id(0, i) for i in range(2)]
    records = [
        {"dataRow": {"id": r}, "name": "damage 損傷", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}
        for r in row_ids
    ]
    job = await client.imports.create(project_id, name="ground truth", records=records)
    await client.imports.wait(job, poll_interval=0.02)
    got = [await asyncio.wait_for(queue.get(), 5) for _ in row_ids]
    assert {e.topic for e in got} == {WebhookTopic.LABEL_CREATED}
    assert sorted(e.data_row_id or "" for e in got) == sorted(row_ids) and {e.project_id for e in got} == {project_id}
    assert {e.label_id for e in got} == set(emu.backend.imports.labels)
