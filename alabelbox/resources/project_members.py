"""``client.project_members``: who has access to a project and with which role; add and remove project-based
users (users whose organization role is ``NONE``)."""

from __future__ import annotations

import builtins

from pydantic import RootModel

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._pagination import Paginator
from alabelbox._queries.project_members import GET_AVAILABLE_USER_ROLES, PROJECT_MEMBER_OVERVIEW, SET_PROJECT_MEMBERSHIP
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.member import ProjectMember, Role

__all__ = ["ProjectMembers", "role_key"]


def role_key(name: str) -> str:
    """A role's name as the SDK keys roles: upper case, spaces as underscores.

    Example:
        >>> role_key("Team Manager")
        'TEAM_MANAGER'
    """
    return name.upper().replace(" ", "_")


class ProjectMembers(Resource):
    """Members of projects: ``client.project_members``.

    Example:
        >>> await client.project_members.add(project_id, member_id, "LABELER")
        >>> [m.role.name for m in await client.project_members.list(project_id)]
        ['ADMIN', 'LABELER']
    """

    _roles: dict[str, Role] | None = None

    async def roles(self, *, timeout: TimeoutArg = DEFAULT) -> dict[str, Role]:
        """The organization's roles by name (``"ADMIN"``, ``"LABELER"``, ``"NONE"``...), fetched once per client.

        Example:
            >>> sorted(await client.project_members.roles())[:2]
            ['ADMIN', 'LABELER']
        """
        if self._roles is None:
            roles = await self._retrieve(GET_AVAILABLE_USER_ROLES, {}, RootModel[builtins.list[Role]], timeout=timeout)
            self._roles = {role_key(r.name): r for r in roles.root}
        return dict(self._roles)

    def list(self, project_id: str, *, page_size: int = 100, timeout: TimeoutArg = DEFAULT) -> Paginator[ProjectMember]:
        """The project's members: users with access through their organization role, then project members.

        Example:
            >>> members = await client.project_members.list(project_id)
            >>> members[0].access_from
            'ORGANIZATION'
        """
        check_id("project_id", project_id)
        return self._offset_listing(
            PROJECT_MEMBER_OVERVIEW,
            {"projectId": project_id},
            ProjectMember,
            path=("project", "members"),
            page_size=check_positive_int("page_size", page_size),
            window=1,
            timeout=timeout,
        )

    async def _role(self, role: str | Role, timeout: TimeoutArg) -> Role:
        if isinstance(role, Role):
            return role
        if not isinstance(role, str) or not role.strip():
            raise InvalidArgumentError("role", f"must be a Role or a role name, not {role!r}")
        roles = await self.roles(timeout=timeout)
        found = roles.get(role_key(role))
        if found is None:
            raise InvalidArgumentError("role", f"{role!r} is not a role of this organization: {sorted(roles)}")
        return found

    async def add(self, project_id: str, user_id: str, role: str | Role, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Give a project-based user a role in the project (or change it).

        Args:
            project_id: The project.
            user_id: The user; their organization role must be ``NONE``.
            role: The role, by name (``"LABELER"``, ``"Team Manager"``...) or as a :class:`~alabelbox.types.Role`.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: No role of that name.
            ValidationFailedError: The server refused (for example, the user has an organization role).

        Example:
            >>> await client.project_members.add(project_id, member_id, "REVIEWER")
            >>> [m.role.name for m in await client.project_members.list(project_id)]
            ['ADMIN', 'REVIEWER']
        """
        check_id("project_id", project_id)
        check_id("user_id", user_id)
        chosen = await self._role(role, timeout)
        await self._mutate(
            SET_PROJECT_MEMBERSHIP,
            {"userId": user_id, "roleId": chosen.id, "projectId": project_id},
            timeout=timeout,
            idempotent=True,
        )

    async def remove(self, project_id: str, user_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Take a project-based user out of the project (their project role becomes ``NONE``).

        Example:
            >>> await client.project_members.add(project_id, member_id, "REVIEWER")
            >>> await client.project_members.remove(project_id, member_id)
            >>> len(await client.project_members.list(project_id))
            1
        """
        await self.add(project_id, user_id, "NONE", timeout=timeout)
