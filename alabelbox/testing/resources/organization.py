"""The organization of the API key, with its users and projects."""

from __future__ import annotations

from .._data import JSONDict
from ._base import Resolver, Resource, page

SDL = """
type Organization { id: ID! name: String! createdAt: DateTime updatedAt: DateTime
  users(skip: Int, first: PageSize): [User!]! }

extend type Query { organization: Organization }
"""


class Organizations(Resource):
    """The one seeded organization (read-only)."""

    SDL = SDL

    def obj(self) -> JSONDict:
        """The organization as a GraphQL object."""
        obj = self.world.organization()
        obj["users"] = lambda info, skip=0, first=None: [
            self.backend.users.obj(u)
            for u in page([u for u in range(self.world.n_users) if self.backend.roles.live(u)], skip, first)
        ]
        self.backend.extend("Organization", obj, 0)
        return obj

    def root(self) -> dict[str, Resolver]:
        return {"organization": lambda info: self.obj()}
