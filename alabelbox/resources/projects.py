"""``client.projects``: list, retrieve, the current user's projects, label counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._filters import named_where
from alabelbox._pagination import Paginator
from alabelbox._queries.projects import LIST_PROJECTS, LIST_USER_PROJECTS, PROJECT_LABEL_COUNT, RETRIEVE_PROJECT
from alabelbox._validation import check_id
from alabelbox.resources._base import COUNT, DEFAULT, Resource, TimeoutArg
from alabelbox.types.project import Project

__all__ = ["Projects"]


class Projects(Resource):
    """Projects of the organization: ``client.projects``.

    Example:
        >>> async for project in client.projects.list(name_contains="roof"):
        ...     print(project.id, project.name, await client.projects.label_count(project.id))
    """

    def list(
        self,
        *,
        name: str | None = None,
        name_contains: str | None = None,
        where: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Project]:
        """Projects that are not deleted, as the SDK's ``client.get_projects(where=...)``.

        Args:
            name: Only the project(s) with exactly this name.
            name_contains: Only projects whose name contains this.
            where: A raw ``ProjectWhereInput``, ANDed with the other filters.
            page_size: Projects per request.
            window: Requests in flight at once, pinned; None (the default) adapts it to the latency.
            timeout: Limits for each request, overriding the client's.

        Returns:
            A :class:`~alabelbox.Paginator`; nothing is sent until it is awaited or iterated.

        Raises:
            InvalidArgumentError: A filter is malformed (raised here, before any request).

        Example:
            >>> projects = [p async for p in client.projects.list(name="Roof wear")]
        """
        variables = {"where": named_where(name=name, name_contains=name_contains, where=where)}
        return self._offset_listing(
            LIST_PROJECTS, variables, Project, page_size=page_size, window=window, timeout=timeout
        )

    def list_mine(
        self,
        *,
        where: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Project]:
        """The current user's projects (``user { projects }``).

        Example:
            >>> mine = await client.projects.list_mine().get_many(10)
        """
        variables = {"where": named_where(name=None, name_contains=None, where=where)}
        return self._offset_listing(
            LIST_USER_PROJECTS,
            variables,
            Project,
            path=("user", "projects"),
            page_size=page_size,
            window=window,
            timeout=timeout,
        )

    async def retrieve(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> Project:
        """One project by id.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> project = await client.projects.retrieve(project_id)
        """
        return await self._retrieve(
            RETRIEVE_PROJECT, {"id": check_id("project_id", project_id)}, Project, timeout=timeout
        )

    async def label_count(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> int:
        """How many labels the project has.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> await client.projects.label_count(project_id)
            12
        """
        return await self._value(
            PROJECT_LABEL_COUNT,
            {"id": check_id("project_id", project_id)},
            COUNT,
            path=("project", "labelCount"),
            timeout=timeout,
        )
