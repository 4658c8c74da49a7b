"""Roles and the members of a project."""

from __future__ import annotations

from alabelbox.types._api import ApiModel
from alabelbox.types.organization import Role
from alabelbox.types.user import UserRef

__all__ = ["ProjectMember"]


class ProjectMember(ApiModel):
    """A user with access to a project, their role there, and where the access comes from.

    Example:
        >>> member = ProjectMember.model_validate(
        ...     {"id": "m1", "user": {"id": "u1"}, "role": {"id": "r1", "name": "ADMIN"}, "accessFrom": "ORGANIZATION"}
        ... )
        >>> member.role.name, member.access_from
        ('ADMIN', 'ORGANIZATION')
    """

    id: str
    user: UserRef
    role: Role
    access_from: str | None = None
    """``ORGANIZATION`` (the user's organization role gives access) or ``PROJECT`` (a project membership)."""
