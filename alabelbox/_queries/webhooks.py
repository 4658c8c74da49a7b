"""Webhook queries, with the SDK's operation names and fields.

The SDK interpolates the URL and the secret into the mutation's text; here they are variables of scalar types, so no
string is ever spliced into a document (and the secret is not part of the cached text). Topics and statuses are enum
literals, checked against :class:`~alabelbox.types.webhook.WebhookTopic` before they are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

__all__ = [
    "GET_ORGANIZATION_WEBHOOKS",
    "GET_PROJECT_WEBHOOKS",
    "GET_WEBHOOK",
    "WEBHOOK_FIELDS",
    "create_webhook",
    "update_webhook",
]

#: The fields of the SDK's ``Webhook``.
WEBHOOK_FIELDS: Final = "createdAt status topics id updatedAt url project { id } organization { id }"

GET_ORGANIZATION_WEBHOOKS: Final = (
    f"query GetOrganizationWebhooksPyApi($skip: Int, $first: PageSize)"
    f"{{organization{{webhooks(skip: $skip first: $first){{{WEBHOOK_FIELDS}}}}}}}"
)
GET_PROJECT_WEBHOOKS: Final = (
    f"query GetProjectWebhooksPyApi($projectId: ID!, $skip: Int, $first: PageSize)"
    f"{{project(where: {{id: $projectId}}){{webhooks(skip: $skip first: $first){{{WEBHOOK_FIELDS}}}}}}}"
)
GET_WEBHOOK: Final = f"query GetWebhookPyApi($id: ID!){{webhook(where: {{id: $id}}){{{WEBHOOK_FIELDS}}}}}"


def create_webhook(topics: Sequence[str], *, for_project: bool) -> str:
    """``createWebhook`` with these (already checked) topics; ``$url``, ``$secret`` and ``$projectId`` are variables.

    Example:
        >>> print(create_webhook(["LABEL_CREATED"], for_project=False))  # doctest: +NORMALIZE_WHITESPACE
        mutation CreateWebhookPyApi($url: String!, $secret: String!){createWebhook(data:{topics:{set:[LABEL_CREATED]},
        url: $url, secret: $secret}){createdAt status topics id updatedAt url project { id } organization { id }}}
    """
    project = ", $projectId: ID!" if for_project else ""
    where = "project:{id: $projectId}, " if for_project else ""
    return (
        f"mutation CreateWebhookPyApi($url: String!, $secret: String!{project})"
        f"{{createWebhook(data:{{{where}topics:{{set:[{' '.join(topics)}]}}, url: $url, secret: $secret}})"
        f"{{{WEBHOOK_FIELDS}}}}}"
    )


def update_webhook(*, topics: Sequence[str] | None, url: bool, status: str | None) -> str:
    """``updateWebhook`` setting only what is given: topics and status as (checked) literals, ``$url`` a variable."""
    parts = []
    if topics is not None:
        parts.append(f"topics: {{set: [{' '.join(topics)}]}}")
    if url:
        parts.append("url: $url")
    if status is not None:
        parts.append(f"status: {status}")
    url_variable = ", $url: String!" if url else ""
    return (
        f"mutation UpdateWebhookPyApi($id: ID!{url_variable})"
        f"{{updateWebhook(where: {{id: $id}} data:{{{', '.join(parts)}}}){{{WEBHOOK_FIELDS}}}}}"
    )
