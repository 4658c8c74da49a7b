"""A Labelbox user, and the short form of one that other objects point to."""

from __future__ import annotations

from datetime import datetime

from alabelbox.types._api import ApiModel

__all__ = ["User", "UserRef"]


class UserRef(ApiModel):
    """A user as other objects reference one (``createdBy { id email }``)."""

    id: str
    email: str | None = None
    name: str | None = None


class User(ApiModel):
    """A user of the organization."""

    id: str
    email: str
    name: str | None = None
    nickname: str | None = None
    picture: str | None = None
    is_external_user: bool | None = None
    is_viewer: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_login_at: datetime | None = None
