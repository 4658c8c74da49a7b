"""Webhooks: ``createWebhook``, ``updateWebhook``, ``Organization.webhooks``, ``Project.webhooks``, and deliveries.

State: every webhook by id, in creation order. The SDK deletes a webhook by setting its status to ``INACTIVE``, so a
deleted webhook stays listed with that status, as the API keeps it; only ``ACTIVE`` webhooks are delivered to.

Deliveries: on a label event (``LABEL_CREATED`` for a label import's labels, ``LABEL_DELETED`` for ``deleteLabels`` and
``bulkDeleteLabels``, and :meth:`Webhooks.emit` for any other source), every ACTIVE webhook of the label's project or
of the organization whose topics include the event gets a ``POST`` of the event's JSON, signed as Labelbox signs it:
``X-Hub-Signature: sha1=<HMAC-SHA1 of the body with the webhook's secret, hex>``, with ``X-Labelbox-Event`` (the
topic) and ``X-Labelbox-Id`` (the delivery's id). The emulator only ever connects to loopback (``127.0.0.1``,
``::1``, ``localhost``); a webhook whose URL is elsewhere gets its deliveries recorded as not sent. Every delivery is
recorded in :attr:`Webhooks.deliveries`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .._data import JSONDict
from .._ids import iso_ms
from ._base import Info, Resolver, Resource, bad_input, not_found, page

SDL = """
enum WebhookTopic { LABEL_CREATED LABEL_UPDATED LABEL_DELETED WORKFLOW_ACTION }
enum WebhookStatus { ACTIVE INACTIVE REVOKED }
input WebhookTopicsInput { set: [WebhookTopic!]! }
input WebhookCreateInput { project: WhereUniqueIdInput topics: WebhookTopicsInput! url: String! secret: String! }
input WebhookUpdateInput { topics: WebhookTopicsInput url: String status: WebhookStatus }

type Webhook { id: ID! createdAt: DateTime updatedAt: DateTime url: String! topics: [WebhookTopic!]!
  status: WebhookStatus! createdBy: User organization: Organization project: Project }

extend type Organization { webhooks(skip: Int, first: PageSize): [Webhook!]! }
extend type Project { webhooks(skip: Int, first: PageSize): [Webhook!]! }
extend type Query { webhook(where: WhereUniqueIdInput!): Webhook }
extend type Mutation {
  createWebhook(data: WebhookCreateInput!): Webhook!
  updateWebhook(where: WhereUniqueIdInput!, data: WebhookUpdateInput!): Webhook!
}
"""

#: Hosts the emulator delivers to; anything else is recorded, never contacted.
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
#: Seconds a delivery may take.
DELIVERY_TIMEOUT = 5.0


@dataclass
class Delivery:
    """One webhook delivery, as the emulator attempted it."""

    id: str
    webhook_id: str
    topic: str
    url: str
    body: bytes
    headers: dict[str, str]
    status: int | None = None
    """The receiver's HTTP status; None if it was not reached (or not contacted: see :attr:`error`)."""
    error: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event, repr=False)


class Webhooks(Resource):
    """Webhooks of the organization and its projects, and their deliveries."""

    SDL = SDL
    EXTENDS = frozenset({"Organization", "Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.by_id: dict[str, JSONDict] = {}
        self.secrets: dict[str, str] = {}
        self.deliveries: list[Delivery] = []
        self._pending: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._counter = 0

    # ------------------------------------------------------------ objects

    def _new_id(self, kind: str) -> str:
        self._counter += 1
        return self.world.ids.encode(kind, 36**3 - 2, self._counter)

    def obj(self, webhook_id: str) -> JSONDict:
        """Webhook ``webhook_id`` as a GraphQL object."""
        record = self.by_id[webhook_id]
        obj = {k: v for k, v in record.items() if k != "projectKey"}
        key = record["projectKey"]
        obj["project"] = (lambda info: self.backend.projects.obj(key)) if key is not None else None
        obj["organization"] = lambda info: self.backend.organization.obj()
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        return obj

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "Organization":
            ids = list(self.by_id)
        else:
            ids = [w for w, r in self.by_id.items() if r["projectKey"] == key]
        obj["webhooks"] = lambda info, skip=0, first=None: [self.obj(w) for w in page(ids, skip, first)]

    # ------------------------------------------------------------ writes

    def create(self, data: JSONDict) -> JSONDict:
        """``createWebhook``."""
        url, secret = str(data.get("url") or ""), str(data.get("secret") or "")
        topics = list((data.get("topics") or {}).get("set") or [])
        if not url.strip():
            raise bad_input("A webhook url must not be blank")
        if not secret:
            raise bad_input("A webhook secret must not be blank")
        if not topics:
            raise bad_input("A webhook needs at least one topic")
        project_key = None
        if data.get("project") is not None:
            project_id = data["project"].get("id")
            project_key = self.backend.projects.find_key(project_id)
            if project_key is None:
                raise not_found("project", project_id)
        stamp = iso_ms(self.backend.clock.now())
        webhook_id = self._new_id("w")
        self.by_id[webhook_id] = {
            "id": webhook_id,
            "createdAt": stamp,
            "updatedAt": stamp,
            "url": url,
            "topics": topics,
            "status": "ACTIVE",
            "projectKey": project_key,
        }
        self.secrets[webhook_id] = secret
        return self.obj(webhook_id)

    def update(self, webhook_id: object, data: JSONDict) -> JSONDict:
        """``updateWebhook``: topics, url, status (the SDK's delete sets ``INACTIVE``)."""
        record = self.by_id.get(webhook_id) if isinstance(webhook_id, str) else None
        if record is None:
            raise not_found("webhook", webhook_id)
        if data.get("topics") is not None:
            topics = list(data["topics"].get("set") or [])
            if not topics:
                raise bad_input("A webhook needs at least one topic")
            record["topics"] = topics
        if data.get("url") is not None:
            if not str(data["url"]).strip():
                raise bad_input("A webhook url must not be blank")
            record["url"] = str(data["url"])
        if data.get("status") is not None:
            record["status"] = data["status"]
        record["updatedAt"] = iso_ms(self.backend.clock.now())
        return self.obj(record["id"])

    def root(self) -> dict[str, Resolver]:
        def webhook(info: Info, where: JSONDict) -> JSONDict:
            if where.get("id") not in self.by_id:
                raise not_found("webhook", where.get("id"))
            return self.obj(where["id"])

        return {
            "webhook": webhook,
            "createWebhook": lambda info, data: self.create(data),
            "updateWebhook": lambda info, where, data: self.update(where.get("id"), data),
        }

    # ------------------------------------------------------------ deliveries

    def label_payload(self, p: int, i: int) -> JSONDict:
        """The event payload of seeded label ``i`` of project ``p``."""
        meta = self.world.label_meta(p, i)
        w = self.world
        return {
            "id": meta.id,
            "createdAt": iso_ms(meta.created_at),
            "updatedAt": iso_ms(meta.updated_at),
            "createdBy": {"id": w.user_id(meta.creator), "email": w.email(meta.creator)},
            "project": {"id": w.project_id(p), "name": w.project_name(p)},
            "dataRow": {
                "id": w.row_id(p, i),
                "externalId": w.external_id(p, i),
                "globalKey": self.backend.data_rows.seeded_value(p, i, "globalKey"),
            },
            "organization": {"id": w.org_id},
        }

    def label_event(self, topic: str, p: int, i: int) -> list[Delivery]:
        """Deliver ``topic`` for seeded label ``i`` of project ``p`` to the webhooks that want it."""
        if not self.by_id:
            return []
        return self.emit(topic, p, self.label_payload(p, i))

    def emit(self, topic: str, project_key: int | str | None, payload: JSONDict) -> list[Delivery]:
        """Deliver an event to every ACTIVE webhook of ``project_key`` or of the organization with ``topic``.

        Called on the emulator's event loop (resolvers are); off it, deliveries are recorded as not sent. Returns the
        deliveries started.
        """
        started: list[Delivery] = []
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        body = json.dumps(payload, separators=(",", ":")).encode()
        for webhook_id, record in self.by_id.items():
            if record["status"] != "ACTIVE" or topic not in record["topics"]:
                continue
            if record["projectKey"] is not None and record["projectKey"] != project_key:
                continue
            signature = hmac.new(self.secrets[webhook_id].encode(), body, hashlib.sha1).hexdigest()
            delivery = Delivery(
                id=self._new_id("v"),
                webhook_id=webhook_id,
                topic=topic,
                url=record["url"],
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature": f"sha1={signature}",
                    "X-Labelbox-Event": topic,
                    "X-Labelbox-Id": "",
                },
            )
            delivery.headers["X-Labelbox-Id"] = delivery.id
            self.deliveries.append(delivery)
            started.append(delivery)
            if loop is None:
                delivery.error = "not sent: no event loop where the event happened"
                delivery.done.set()
                continue
            task = loop.create_task(self._send(delivery))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        return started

    async def _send(self, delivery: Delivery) -> None:
        try:
            host = urlsplit(delivery.url).hostname
            if host not in LOOPBACK:
                delivery.error = f"not sent: the emulator only delivers to loopback, not {host!r}"
                return
            if self._session is None:
                self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT))
            async with self._session.post(delivery.url, data=delivery.body, headers=delivery.headers) as response:
                await response.read()
                delivery.status = response.status
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}"
        finally:
            delivery.done.set()

    async def aclose(self) -> None:
        """Let deliveries in flight finish (a few seconds at most), then close the delivery session."""
        pending = list(self._pending)
        if pending:
            _, late = await asyncio.wait(pending, timeout=DELIVERY_TIMEOUT)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
