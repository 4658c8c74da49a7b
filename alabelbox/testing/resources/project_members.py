"""Project members and roles: ``roles``, ``User.orgRole``, ``setProjectMembership`` (the role ``NONE`` removes the
user from the project, as the official SDK 7.17 sends ``User.remove_from_project``) and ``Project.members``.

Users: user 0 (the API key's) is an organization admin and a member of every project; the other seeded users
have the organization role :data:`ORG_ROLES` gives them, and only users whose organization role is ``NONE``
(project-based users) take a project role, as the API requires.

State: the project roles of project-based users, per project key.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from ._base import Info, Resolver, Resource, bad_input, not_found, page
from .projects import K_ROLE

ROLES = ("ADMIN", "TEAM_MANAGER", "REVIEWER", "LABELER", "NONE")
"""The organization's roles, by index (role ``k`` has id ``encode(K_ROLE, 0, k)``)."""
NONE = ROLES.index("NONE")

SDL = """
input SetProjectMembershipInput { userId: ID! roleId: ID! projectId: ID! }
type Role { id: ID! name: String! }
type ProjectRole { id: ID! name: String! }
type ProjectMember { id: ID! user: User! role: ProjectRole! accessFrom: String }
type ProjectMembership { id: ID! }

extend type User { orgRole: Role }
extend type Project { members(skip: Int, first: PageSize): [ProjectMember!]! }
extend type Query { roles: [Role!]! }
extend type Mutation { setProjectMembership(data: SetProjectMembershipInput!): ProjectMembership }
"""


def org_role(u: int) -> int:
    """The organization role of seeded user ``u``: 0 is an admin, odd users label, the others are project-based."""
    if u == 0:
        return 0
    return ROLES.index("LABELER") if u % 2 else NONE


class Members(Resource):
    """Roles and project memberships."""

    SDL = SDL
    EXTENDS = frozenset({"User", "Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.memberships: dict[int | str, dict[int, int]] = {}
        """Project key -> user index -> role index, for project-based users."""

    def role(self, k: int) -> JSONDict:
        """Role ``k`` as a GraphQL object."""
        return {"id": self.world.ids.encode(K_ROLE, 0, k), "name": ROLES[k]}

    def role_index(self, role_id: object) -> int | None:
        """The index of the role with id ``role_id``, or None."""
        got = self.world.ids.decode(role_id, K_ROLE)
        return got[1] if got is not None and got[0] == 0 and got[1] < len(ROLES) else None

    def members(self, key: int | str) -> list[JSONDict]:
        """The project's members: user 0 through the organization, then project-based users by user index."""
        project_id = self.backend.projects.table.get(key)["id"]
        users = self.backend.users
        out = [
            {
                "id": f"{users.obj(0)['id']}-{project_id}",
                "user": users.obj(0),
                "role": self.role(0),
                "accessFrom": "ORGANIZATION",
            }
        ]
        for u, k in sorted(self.memberships.get(key, {}).items()):
            user = users.obj(u)
            out.append(
                {"id": f"{user['id']}-{project_id}", "user": user, "role": self.role(k), "accessFrom": "PROJECT"}
            )
        return out

    def set_membership(self, data: JSONDict) -> JSONDict:
        """``setProjectMembership``: give a project-based user a role in a project (``NONE`` removes them)."""
        key = self.backend.projects.find_key(data.get("projectId"))
        if key is None:
            raise not_found("project", data.get("projectId"))
        got = self.world.find(data.get("userId"), "u")
        if got is None:
            raise not_found("user", data.get("userId"))
        u = got[1]
        k = self.role_index(data.get("roleId"))
        if k is None:
            raise not_found("role", data.get("roleId"))
        if org_role(u) != NONE:
            raise bad_input(f"User {data['userId']!r} has an organization role and already sees every project")
        held = self.memberships.setdefault(key, {})
        if k == NONE:
            held.pop(u, None)
        else:
            held[u] = k
        return {"id": f"{data['userId']}-{self.backend.projects.table.get(key)['id']}"}

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "User":
            u: int = key
            obj["orgRole"] = lambda info: self.role(org_role(u))
        else:
            k: int | str = key
            obj["members"] = lambda info, skip=0, first=None: page(self.members(k), skip, first)

    def root(self) -> dict[str, Resolver]:
        def roles(info: Info) -> list[JSONDict]:
            return [self.role(k) for k in range(len(ROLES))]

        return {"roles": roles, "setProjectMembership": lambda info, data: self.set_membership(data)}
