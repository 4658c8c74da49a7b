"""``client.webhooks``: create, update, delete and list the webhooks of the organization and its projects.

Receiving them (checking the signature, parsing the event) is :mod:`alabelbox.webhooks`.
"""

from __future__ import annotations

from collections.abc import Iterable

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._pagination import Paginator
from alabelbox._queries.webhooks import (
    GET_ORGANIZATION_WEBHOOKS,
    GET_PROJECT_WEBHOOKS,
    GET_WEBHOOK,
    create_webhook,
    update_webhook,
)
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.webhook import Webhook, WebhookStatus, WebhookTopic

__all__ = ["Webhooks"]

#: The SDK's page size for webhook listings.
WEBHOOKS_PAGE_SIZE = 100


def _topics(topics: Iterable[WebhookTopic | str]) -> list[str]:
    if isinstance(topics, str):
        raise InvalidArgumentError("topics", f"must be a list of topics, not the string {topics!r}")
    checked = []
    for index, topic in enumerate(topics):
        try:
            checked.append(WebhookTopic(topic).value)
        except ValueError:
            known = ", ".join(t.value for t in WebhookTopic)
            raise InvalidArgumentError("topics", f"[{index}] is {topic!r}, not one of {known}") from None
    if not checked:
        raise InvalidArgumentError("topics", "must name at least one topic")
    return list(dict.fromkeys(checked))


def _text(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, f"must be a non-empty string, got {type(value).__name__}")
    return value


class Webhooks(Resource):
    """Webhooks: ``client.webhooks``.

    Example:
        >>> hook = await client.webhooks.create(
        ...     url="http://127.0.0.1:8080/labelbox", topics=["LABEL_CREATED", "LABEL_DELETED"], secret="s3cret"
        ... )
        >>> hook.status
        <WebhookStatus.ACTIVE: 'ACTIVE'>
    """

    async def create(
        self,
        *,
        url: str,
        topics: Iterable[WebhookTopic | str],
        secret: str,
        project_id: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Webhook:
        """Create a webhook, for the whole organization or for one project (the SDK's ``Webhook.create``).

        Args:
            url: Where the server sends the events.
            topics: Which events (:class:`~alabelbox.types.webhook.WebhookTopic` members or their names).
            secret: The key the server signs each delivery with; the receiver checks it
                (:func:`alabelbox.webhooks.verify_signature`). It is sent as a variable, never spliced into the
                query.
            project_id: Only this project's events; None for every project of the organization.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: An empty url or secret, no topics, or a topic that does not exist (nothing is sent).
            ResourceNotFoundError: There is no such project.

        Example:
            >>> hook = await client.webhooks.create(
            ...     url="http://127.0.0.1:8080/hook", topics=["LABEL_UPDATED"], secret="s3cret", project_id=project_id
            ... )
            >>> hook.project_id == project_id
            True
        """
        variables = {"url": _text("url", url), "secret": _text("secret", secret)}
        if project_id is not None:
            variables["projectId"] = check_id("project_id", project_id)
        query = create_webhook(_topics(topics), for_project=project_id is not None)
        return await self._mutate(query, variables, Webhook, timeout=timeout)

    async def update(
        self,
        webhook_id: str,
        *,
        url: str | None = None,
        topics: Iterable[WebhookTopic | str] | None = None,
        status: WebhookStatus | str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Webhook:
        """Change a webhook's url, topics or status; what is None is left as it is (the SDK's ``Webhook.update``).

        Raises:
            InvalidArgumentError: Nothing to change, an empty url or topic list, or an unknown topic or status.
            ResourceNotFoundError: There is no such webhook.

        Example:
            >>> hook = await client.webhooks.create(url="http://127.0.0.1:8080/a", topics=["LABEL_CREATED"], secret="s")
            >>> hook = await client.webhooks.update(hook.id, topics=["LABEL_CREATED", "LABEL_UPDATED"])
            >>> [str(topic) for topic in hook.topics]
            ['LABEL_CREATED', 'LABEL_UPDATED']
        """
        if url is None and topics is None and status is None:
            raise InvalidArgumentError("update", "give at least one of url, topics and status")
        checked_status = None
        if status is not None:
            try:
                checked_status = WebhookStatus(status).value
            except ValueError:
                known = ", ".join(s.value for s in WebhookStatus)
                raise InvalidArgumentError("status", f"is {status!r}, not one of {known}") from None
        variables = {"id": check_id("webhook_id", webhook_id)}
        if url is not None:
            variables["url"] = _text("url", url)
        query = update_webhook(
            topics=_topics(topics) if topics is not None else None, url=url is not None, status=checked_status
        )
        return await self._mutate(query, variables, Webhook, timeout=timeout)

    async def delete(self, webhook_id: str, *, timeout: TimeoutArg = DEFAULT) -> Webhook:
        """Stop a webhook: its status becomes ``INACTIVE``, which is how the API deletes one (the SDK's
        ``Webhook.delete``). It stays listed, with that status.

        Example:
            >>> hook = await client.webhooks.create(url="http://127.0.0.1:8080/b", topics=["LABEL_DELETED"], secret="s")
            >>> (await client.webhooks.delete(hook.id)).status
            <WebhookStatus.INACTIVE: 'INACTIVE'>
        """
        return await self.update(webhook_id, status=WebhookStatus.INACTIVE, timeout=timeout)

    async def retrieve(self, webhook_id: str, *, timeout: TimeoutArg = DEFAULT) -> Webhook:
        """One webhook by id.

        Raises:
            ResourceNotFoundError: There is no such webhook.

        Example:
            >>> hook = await client.webhooks.create(url="http://127.0.0.1:8080/c", topics=["LABEL_CREATED"], secret="s")
            >>> (await client.webhooks.retrieve(hook.id)).url
            'http://127.0.0.1:8080/c'
        """
        return await self._retrieve(GET_WEBHOOK, {"id": check_id("webhook_id", webhook_id)}, Webhook, timeout=timeout)

    def list(
        self,
        *,
        project_id: str | None = None,
        page_size: int = WEBHOOKS_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Webhook]:
        """The organization's webhooks (every project's included), or one project's (the SDK's
        ``organization.webhooks()`` and ``project.webhooks()``). Deleted webhooks are listed as ``INACTIVE``.

        Example:
            >>> urls = [hook.url async for hook in client.webhooks.list()]
            >>> mine = [hook.id async for hook in client.webhooks.list(project_id=project_id)]
        """
        check_positive_int("page_size", page_size)
        if project_id is None:
            return self._offset_listing(
                GET_ORGANIZATION_WEBHOOKS,
                {},
                Webhook,
                path=("organization", "webhooks"),
                page_size=page_size,
                window=window,
                timeout=timeout,
            )
        return self._offset_listing(
            GET_PROJECT_WEBHOOKS,
            {"projectId": check_id("project_id", project_id)},
            Webhook,
            path=("project", "webhooks"),
            page_size=page_size,
            window=window,
            timeout=timeout,
        )
