"""A Labelbox webhook: where the server sends label events, and which ones."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = ["Webhook", "WebhookStatus", "WebhookTopic"]


class WebhookTopic(enum.StrEnum):
    """The events a webhook can ask for (the SDK's ``Webhook.Topic``)."""

    LABEL_CREATED = "LABEL_CREATED"
    LABEL_UPDATED = "LABEL_UPDATED"
    LABEL_DELETED = "LABEL_DELETED"
    WORKFLOW_ACTION = "WORKFLOW_ACTION"


class WebhookStatus(enum.StrEnum):
    """Whether a webhook is delivered to (the SDK's ``Webhook.Status``). Deleting one makes it ``INACTIVE``."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    REVOKED = "REVOKED"


class _Ref(ApiModel):
    id: str


class Webhook(ApiModel):
    """A webhook of the organization, or of one project when :attr:`project_id` is set.

    Its secret is never returned by the API: keep it where the receiver can read it.
    """

    id: str
    url: str
    topics: list[Annotated[WebhookTopic | str, Field(union_mode="left_to_right")]]
    """The events it is sent; a topic this client does not know is kept as its string."""
    status: Annotated[WebhookStatus | str, Field(union_mode="left_to_right")]
    """A status this client does not know is kept as its string."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    project: _Ref | None = None
    organization: _Ref | None = None

    @property
    def project_id(self) -> str | None:
        """The project it is limited to; None for a webhook of the whole organization."""
        return self.project.id if self.project is not None else None
