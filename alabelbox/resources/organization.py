"""``client.organization``: the organization, its roles, its IAM integrations, and its users' roles and membership."""

from __future__ import annotations

import builtins

from alabelbox._exceptions import InvalidArgumentError, ResponseModelError
from alabelbox._queries.organization import (
    DELETE_MEMBER,
    GET_ALL_INTEGRATIONS,
    GET_AVAILABLE_USER_ROLES,
    GET_ORGANIZATION,
    SET_ORGANIZATION_ROLE,
)
from alabelbox._validation import check_id
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of, parse_many
from alabelbox.types.organization import IamIntegration, Organization, Role

__all__ = ["OrganizationResource", "RoleArg"]

RoleArg = Role | str
"""A role: a :class:`~alabelbox.types.organization.Role`, its id, or its name in any case (``"team manager"``,
``"TEAM_MANAGER"``)."""


class OrganizationResource(Resource):
    """The organization of the API key: ``client.organization``.

    Example:
        >>> org = await client.organization.retrieve()
        >>> [role.key for role in await client.organization.roles()]
        ['ADMIN', 'TEAM_MANAGER', 'REVIEWER', 'LABELER', 'NONE']
    """

    _roles: builtins.list[Role] | None = None

    async def retrieve(self, *, timeout: TimeoutArg = DEFAULT) -> Organization:
        """The organization (the SDK's ``client.get_organization()``).

        Example:
            >>> org = await client.organization.retrieve()
            >>> org.name
            '...'
        """
        return await self._retrieve(GET_ORGANIZATION, {}, Organization, timeout=timeout)

    async def roles(self, *, timeout: TimeoutArg = DEFAULT) -> builtins.list[Role]:
        """Every role a user can have (the SDK's ``client.get_roles()``, as a list; :attr:`Role.key` is its key).

        The roles do not change while a client lives, so they are asked for once.

        Example:
            >>> labeler = next(r for r in await client.organization.roles() if r.key == "LABELER")
        """
        if self._roles is None:
            operation, _ = operation_of(GET_AVAILABLE_USER_ROLES)
            data = await self._execute(GET_AVAILABLE_USER_ROLES, timeout=timeout)
            self._roles = parse_many(Role, data.get("roles"), operation)
        return list(self._roles)

    async def role(self, role: RoleArg, *, timeout: TimeoutArg = DEFAULT) -> Role:
        """The role that ``role`` names: a :class:`Role` as is, else a role id or a name in any case.

        Raises:
            InvalidArgumentError: No role has that id or name (the message lists the names).

        Example:
            >>> (await client.organization.role("team manager")).name
            'TEAM_MANAGER'
        """
        if isinstance(role, Role):
            return role
        if not isinstance(role, str) or not role.strip():
            raise InvalidArgumentError("role", f"must be a Role, a role id or a role name, got {role!r}")
        roles = await self.roles(timeout=timeout)
        key = role.strip().upper().replace(" ", "_")
        found = next((r for r in roles if r.id == role or r.key == key), None)
        if found is None:
            raise InvalidArgumentError("role", f"{role!r} is not one of {', '.join(r.key for r in roles)}")
        return found

    async def set_user_role(self, user_id: str, role: RoleArg, *, timeout: TimeoutArg = DEFAULT) -> Role:
        """Give a user another organization role (the SDK's ``user.update_org_role(role)``).

        Raises:
            InvalidArgumentError: No such role.
            ResourceNotFoundError: No such user in the organization.

        Example:
            >>> users = [u async for u in client.users.list()]
            >>> (await client.organization.set_user_role(users[1].id, "REVIEWER")).key
            'REVIEWER'
        """
        chosen = await self.role(role, timeout=timeout)
        variables = {"userId": check_id("user_id", user_id), "roleId": chosen.id}
        return await self._mutate(SET_ORGANIZATION_ROLE, variables, Role, timeout=timeout)

    async def remove_user(self, user_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Remove a user from the organization (the SDK's ``organization.remove_user(user)``).

        Raises:
            ResourceNotFoundError: No such user in the organization.

        Example:
            >>> users = [u async for u in client.users.list()]
            >>> await client.organization.remove_user(users[-1].id)
        """
        answer = await self._mutate(DELETE_MEMBER, {"userId": check_id("user_id", user_id)}, timeout=timeout)
        if not isinstance(answer, dict) or answer.get("deleted") is not True:
            raise ResponseModelError(f"the user {user_id} was not removed", operation=operation_of(DELETE_MEMBER)[0])

    async def iam_integrations(self, *, timeout: TimeoutArg = DEFAULT) -> builtins.list[IamIntegration]:
        """The organization's IAM (delegated access) integrations (the SDK's ``get_iam_integrations()``).

        Example:
            >>> integrations = await client.organization.iam_integrations()
        """
        operation, _ = operation_of(GET_ALL_INTEGRATIONS)
        data = await self._execute(GET_ALL_INTEGRATIONS, timeout=timeout)
        return parse_many(IamIntegration, data.get("iamIntegrations"), operation)

    async def default_iam_integration(self, *, timeout: TimeoutArg = DEFAULT) -> IamIntegration | None:
        """The integration that is the organization's default, or None (the SDK's
        ``get_default_iam_integration()``).

        Example:
            >>> default = await client.organization.default_iam_integration()
        """
        found = [i for i in await self.iam_integrations(timeout=timeout) if i.is_org_default]
        return found[0] if found else None
