"""Roles and organization membership: ``roles``, ``User.orgRole``, ``setOrganizationRole``, ``updateUser``.

State: each user's organization role (seeded: user 0, the API key's, is an admin; the others are labelers) and the
users removed from the organization. A removed user is gone from ``organization.users``, from ``user(where:)`` and
from every listing that names users by index; the key's own user cannot be removed.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from ._base import Resolver, Resource, bad_input, not_found

SDL = """
type Role { id: ID! name: String! }
type OrgRole { id: ID! name: String! }
type DeletedUser { id: ID! deleted: Boolean }
input SetOrganizationRoleInput { userId: ID! roleId: ID! }
input UserUpdateInput { deleted: Boolean }

extend type User { orgRole: OrgRole }
extend type Query { roles: [Role!]! }
extend type Mutation {
  setOrganizationRole(data: SetOrganizationRoleInput!): Role
  updateUser(where: WhereUniqueIdInput!, data: UserUpdateInput!): DeletedUser
}
"""

#: The roles of every organization, as the API names them (the SDK keys them upper-case, ``TEAM_MANAGER``).
ROLE_NAMES = ("None", "Labeler", "Reviewer", "Team Manager", "Admin")
#: The id ``parent`` of the roles' ids.
ROLES_PARENT = 36**3 - 3


class Roles(Resource):
    """The organization's roles, each user's role, and the users removed."""

    SDL = SDL
    EXTENDS = frozenset({"User"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.ids = {name: self.world.ids.encode("y", ROLES_PARENT, k) for k, name in enumerate(ROLE_NAMES)}
        self.names = {role_id: name for name, role_id in self.ids.items()}
        self.user_roles: dict[int, str] = {u: ("Admin" if u == 0 else "Labeler") for u in range(self.world.n_users)}
        self.removed: set[int] = set()

    def role(self, name: str) -> JSONDict:
        """The role called ``name`` as a GraphQL object."""
        return {"id": self.ids[name], "name": name}

    def live(self, u: int) -> bool:
        """Whether user ``u`` is still in the organization."""
        return u not in self.removed

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        obj["orgRole"] = lambda info: self.role(self.user_roles[key])

    def _user(self, value: object) -> int:
        u = self.backend.users.index({"id": value})
        if u < 0 or not self.live(u):
            raise not_found("user", value)
        return u

    def set_role(self, data: JSONDict) -> JSONDict:
        u = self._user(data.get("userId"))
        name = self.names.get(str(data.get("roleId")))
        if name is None:
            raise not_found("role", data.get("roleId"))
        self.user_roles[u] = name
        return self.role(name)

    def remove(self, where: JSONDict, data: JSONDict) -> JSONDict:
        u = self._user(where.get("id"))
        if data.get("deleted"):
            if u == 0:
                raise bad_input("You cannot remove yourself from the organization")
            self.removed.add(u)
        return {"id": self.world.user_id(u), "deleted": bool(data.get("deleted"))}

    def root(self) -> dict[str, Resolver]:
        return {
            "roles": lambda info: [self.role(name) for name in ROLE_NAMES],
            "setOrganizationRole": lambda info, data: self.set_role(data),
            "updateUser": lambda info, where, data: self.remove(where, data),
        }
