"""``client.resource_tags``: the organization's resource tags, and the tags of a project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._queries.resource_tags import (
    CREATE_RESOURCE_TAG,
    GET_ORGANIZATION_RESOURCE_TAGS,
    GET_PROJECT_RESOURCE_TAGS,
    UPDATE_PROJECT_RESOURCE_TAGS,
    update_resource_tag,
)
from alabelbox._validation import check_id, check_ids
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, dig, operation_of, parse_many
from alabelbox.types.organization import ResourceTag

__all__ = ["ResourceTags"]


def _text(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, f"must be a non-empty string, got {value!r}")
    return value


class ResourceTags(Resource):
    """Resource tags: ``client.resource_tags``.

    Example:
        >>> tag = await client.resource_tags.create("vision", color="1f77b4")
        >>> tags = await client.resource_tags.set_for_project(project_id, [tag.id])
        >>> [t.text for t in tags]
        ['vision']
    """

    async def create(self, text: str, *, color: str, timeout: TimeoutArg = DEFAULT) -> ResourceTag:
        """Create a tag (the SDK's ``organization.create_resource_tag({"text": ..., "color": ...})``).

        Args:
            text: The tag's text, unique in the organization.
            color: Its color, as the UI takes it (a hex code without ``#``, e.g. ``"ff0000"``).
            timeout: Limits for the request, overriding the client's.

        Example:
            >>> (await client.resource_tags.create("audio", color="ff7f0e")).text
            'audio'
        """
        variables = {"text": _text("text", text), "color": _text("color", color)}
        return await self._mutate(CREATE_RESOURCE_TAG, variables, ResourceTag, timeout=timeout)

    async def update(
        self, tag_id: str, *, text: str | None = None, color: str | None = None, timeout: TimeoutArg = DEFAULT
    ) -> ResourceTag:
        """Change a tag's text or color; what is None stays (the SDK's ``resource_tag.update(...)``).

        Example:
            >>> tag = await client.resource_tags.create("draft", color="aaaaaa")
            >>> (await client.resource_tags.update(tag.id, text="final")).text
            'final'
        """
        values = {name: _text(name, value) for name, value in (("text", text), ("color", color)) if value is not None}
        if not values:
            raise InvalidArgumentError("update", "give text, color or both")
        variables = {**values, "ResourceTagId": check_id("tag_id", tag_id)}
        query = update_resource_tag(builtins.list(values))
        return await self._mutate(query, variables, ResourceTag, timeout=timeout)

    async def list(self, *, timeout: TimeoutArg = DEFAULT) -> builtins.list[ResourceTag]:
        """Every tag of the organization (the SDK's ``organization.get_resource_tags()``).

        Example:
            >>> texts = [tag.text for tag in await client.resource_tags.list()]
        """
        operation, _ = operation_of(GET_ORGANIZATION_RESOURCE_TAGS)
        data = await self._execute(GET_ORGANIZATION_RESOURCE_TAGS, timeout=timeout)
        return parse_many(ResourceTag, dig(data, ("organization", "resourceTag"), operation), operation)

    async def for_project(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> builtins.list[ResourceTag]:
        """The tags of a project (the SDK's ``project.get_resource_tags()``).

        Example:
            >>> tags = await client.resource_tags.for_project(project_id)
        """
        operation, _ = operation_of(GET_PROJECT_RESOURCE_TAGS)
        variables = {"projectId": check_id("project_id", project_id)}
        data = await self._execute(GET_PROJECT_RESOURCE_TAGS, variables, timeout=timeout)
        return parse_many(ResourceTag, dig(data, ("project", "resourceTags"), operation), operation)

    async def set_for_project(
        self, project_id: str, tag_ids: Iterable[str], *, timeout: TimeoutArg = DEFAULT
    ) -> builtins.list[ResourceTag]:
        """Make ``tag_ids`` the project's tags, replacing the ones it had (``[]`` untags it); the SDK's
        ``project.update_project_resource_tags(ids)``. Returns the project's tags.

        Raises:
            ResourceNotFoundError: No such project or tag.

        Example:
            >>> await client.resource_tags.set_for_project(project_id, [])
            []
        """
        operation, _ = operation_of(UPDATE_PROJECT_RESOURCE_TAGS)
        variables = {"projectId": check_id("project_id", project_id), "resourceTagIds": check_ids("tag_ids", tag_ids)}
        answer = await self._mutate(
            UPDATE_PROJECT_RESOURCE_TAGS, variables, path=("project", "updateProjectResourceTags"), timeout=timeout
        )
        return parse_many(ResourceTag, answer, operation)
