"""Users of the organization: ``user(where:)``; user 0 owns the API key."""

from __future__ import annotations

from .._data import K_USER, JSONDict
from ._base import Info, Resolver, Resource, not_found

SDL = """
input UserWhereInput { id: ID email: String }

type User { id: ID! email: String! name: String nickname: String picture: String
  isExternalUser: Boolean isViewer: Boolean createdAt: DateTime updatedAt: DateTime
  lastLoginAt: DateTime timezone: String
  organization: Organization! }

extend type Query { user(where: UserWhereInput): User }
"""


class Users(Resource):
    """The seeded users (read-only)."""

    SDL = SDL

    def obj(self, u: int) -> JSONDict:
        """User ``u`` as a GraphQL object."""
        obj = self.world.user(u)
        obj["organization"] = lambda info: self.backend.organization.obj()
        self.backend.extend("User", obj, u)
        return obj

    def index(self, where: JSONDict) -> int:
        """The index of the user that ``where`` (``id`` or ``email``) names, or -1."""
        w = self.world
        if where.get("id") is not None:
            got = w.find(where["id"], K_USER)
            return got[1] if got else -1
        for u in range(w.n_users):
            if w.email(u) == where.get("email"):
                return u
        return -1

    def root(self) -> dict[str, Resolver]:
        def user(info: Info, where: JSONDict | None = None) -> JSONDict | None:
            if not where or (where.get("id") is None and where.get("email") is None):
                return self.obj(0)
            u = self.index(where)
            if u < 0 or not self.backend.roles.live(u):
                raise not_found("user", where.get("id") if where.get("id") is not None else where.get("email"))
            return self.obj(u)

        return {"user": user}
