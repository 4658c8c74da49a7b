"""Project members: ``setProjectMembership`` (the role ``NONE`` removes the user from the project, as the official
SDK 7.17 sends ``User.remove_from_project``) and ``Project.members``.

Users: user 0 (the API key's) is an organization admin and a member of every project; only users whose
organization role is ``NONE`` (project-based users; the roles resource holds each user's) take a project role, as
the API requires.

State: the project roles of project-based users, per project key.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from ._base import Resolver, Resource, bad_input, not_found, page

SDL = """
input SetProjectMembershipInput { userId: ID! roleId: ID! projectId: ID! }
type ProjectRole { id: ID! name: String! }
type ProjectMember { id: ID! user: User! role: ProjectRole! accessFrom: String }
type ProjectMembership { id: ID! }

extend type Project { members(skip: Int, first: PageSize): [ProjectMember!]! }
extend type Mutation { setProjectMembership(data: SetProjectMembershipInput!): ProjectMembership }
"""


class Members(Resource):
    """Roles and project memberships."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.memberships: dict[int | str, dict[int, str]] = {}
        """Project key -> user index -> role name, for project-based users."""

    def role(self, name: str) -> JSONDict:
        """The role called ``name`` as a GraphQL object."""
        return self.backend.roles.role(name)

    def members(self, key: int | str) -> list[JSONDict]:
        """The project's members: user 0 through the organization, then project-based users by user index."""
        project_id = self.backend.projects.table.get(key)["id"]
        users = self.backend.users
        out = [
            {
                "id": f"{users.obj(0)['id']}-{project_id}",
                "user": users.obj(0),
                "role": self.role("ADMIN"),
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
        k = self.backend.roles.names.get(str(data.get("roleId")))
        if k is None:
            raise not_found("role", data.get("roleId"))
        if self.backend.roles.org_role(u) != "NONE":
            raise bad_input(f"User {data['userId']!r} has an organization role and already sees every project")
        held = self.memberships.setdefault(key, {})
        if k == "NONE":
            held.pop(u, None)
        else:
            held[u] = k
        return {"id": f"{data['userId']}-{self.backend.projects.table.get(key)['id']}"}

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        k: int | str = key
        obj["members"] = lambda info, skip=0, first=None: page(self.members(k), skip, first)

    def root(self) -> dict[str, Resolver]:
        return {"setProjectMembership": lambda info, data: self.set_membership(data)}
