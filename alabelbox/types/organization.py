"""The organization and its administration: roles, IAM integrations, invitations, resource tags."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = [
    "IamIntegration",
    "Invite",
    "InviteLimit",
    "InviteResult",
    "InviteStatus",
    "Organization",
    "ProjectInvite",
    "ResourceTag",
    "Role",
]


class Organization(ApiModel):
    """The organization the API key belongs to."""

    id: str
    name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Role(ApiModel):
    """A role a user can have in the organization or a project (``Labeler``, ``Team Manager``, ``None``...)."""

    id: str
    name: str

    @property
    def key(self) -> str:
        """The name as the SDK keys ``get_roles()``: upper-case, spaces as underscores (``TEAM_MANAGER``)."""
        return self.name.upper().replace(" ", "_")


class IamIntegration(ApiModel):
    """A delegated-access (IAM) integration for cloud storage."""

    id: str
    name: str
    provider: str | None = None
    valid: bool | None = None
    is_org_default: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_valid_at: datetime | None = None
    settings: dict[str, Any] | None = None
    """The provider's settings (``roleArn`` for AWS; ``serviceAccountEmailId``, ``readBucket`` for GCP)."""


class InviteLimit(ApiModel):
    """The organization's seats: ``used = users + pending invites``, ``remaining = limit - used``."""

    used: int
    limit: int
    remaining: int


class ProjectInvite(ApiModel):
    """A project an invitation gives access to, with the role there."""

    id: str
    project_role_name: str
    project_id: str


class Invite(ApiModel):
    """A pending invitation."""

    id: str
    email: str = Field(alias="inviteeEmail")
    organization_role_name: str
    created_at: datetime | None = None
    project_invites: list[ProjectInvite] = Field(default_factory=list)


class InviteStatus(enum.StrEnum):
    """The outcome of one address of :meth:`~alabelbox.resources.invites.Invites.create_many`."""

    INVITED = "INVITED"
    ADDED = "ADDED"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    ALREADY_INVITED = "ALREADY_INVITED"
    INVALID_EMAIL = "INVALID_EMAIL"
    DUPLICATE = "DUPLICATE"
    SEAT_LIMIT = "SEAT_LIMIT"
    NOT_ALLOWED = "NOT_ALLOWED"
    FAILED = "FAILED"


class InviteResult(ApiModel):
    """What happened to one address: ``email`` as the server checked it (trimmed, lower-cased when valid)."""

    email: str
    status: Annotated[InviteStatus | str, Field(union_mode="left_to_right")]
    """The outcome; a status this client does not know is kept as its string."""
    reason: str | None = None
    """Why an address is not allowed or already a member, where the server says."""
    invite_id: str | None = None


class ResourceTag(ApiModel):
    """A tag for projects (and other resources), with its color."""

    id: str
    text: str
    color: str
