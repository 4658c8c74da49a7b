"""``client.project_members``: who has access to a project and with which role; add and remove project-based
users (users whose organization role is ``NONE``)."""

from __future__ import annotations

from alabelbox._pagination import Paginator
from alabelbox._queries.project_members import PROJECT_MEMBER_OVERVIEW, SET_PROJECT_MEMBERSHIP
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.member import ProjectMember
from alabelbox.types.organization import Role

__all__ = ["ProjectMembers"]


class ProjectMembers(Resource):
    """Members of projects: ``client.project_members``.

    Example:
        >>> await client.project_members.add(project_id, member_id, "LABELER")
        >>> [m.role.name for m in await client.project_members.list(project_id)]
        ['ADMIN', 'LABELER']
    """

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

    async def add(self, project_id: str, user_id: str, role: str | Role, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Give a project-based user a role in the project (or change it).

        Args:
            project_id: The project.
            user_id: The user; their organization role must be ``NONE``.
            role: The role: a :class:`~alabelbox.types.Role`, its id, or its name in any spelling (``"LABELER"``,
                ``"team manager"``); the roles are ``client.organization.roles()``.
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
        chosen = await self._client.organization.role(role, timeout=timeout)
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
