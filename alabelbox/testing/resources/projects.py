"""Projects: ``projects``, ``project(where:)``, the ``project`` mutation root, and the projects of users,
the organization and datasets. Project ``k`` is fed by dataset ``k``.

State: a :class:`~alabelbox.testing._store.Table` of projects (seeded only for now; project writes come next).
"""

from __future__ import annotations

from typing import Any

from .._data import K_PROJECT, JSONDict
from .._store import Table
from ._base import Info, Resolver, Resource, match_simple, not_found, order, page

SDL = """
enum ProjectOrderByInput { id_ASC id_DESC name_ASC name_DESC createdAt_ASC createdAt_DESC
  updatedAt_ASC updatedAt_DESC }
input ProjectWhereInput { id: ID id_in: [ID!] name: String name_contains: String deleted: Boolean
  AND: [ProjectWhereInput!] OR: [ProjectWhereInput!] }

type Project { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  setupComplete: DateTime lastActivityTime: DateTime autoAuditNumberOfLabels: Int
  autoAuditPercentage: Float dataRowCount: Int editorTaskType: String allowedMediaType: MediaType
  mediaType: MediaType modelSetupComplete: Boolean uploadType: String isBenchmarkEnabled: Boolean
  isConsensusEnabled: Boolean queueMode: String deleted: Boolean
  createdBy: User organization: Organization }

extend type Organization { projects(where: ProjectWhereInput, skip: Int, first: PageSize): [Project!]! }
extend type User {
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]! }
extend type Dataset { projects(skip: Int, first: PageSize): [Project!]! }

extend type Query {
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]!
  project(where: WhereUniqueIdInput!): Project
}
extend type Mutation { project(where: WhereUniqueIdInput!): Project }
"""


class Projects(Resource):
    """Projects over a writable table."""

    SDL = SDL
    EXTENDS = frozenset({"Organization", "User", "Dataset"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.table = Table(self.world.project, self.world.n_projects)

    def find(self, value: object) -> int | None:
        """The seeded index of the live project with id ``value``, or None."""
        got = self.world.find(value, K_PROJECT)
        if got is None or got[0] != 0 or not self.table.has(got[1]):
            return None
        return got[1]

    def obj(self, p: int) -> JSONDict:
        """Project ``p`` as a GraphQL object."""
        obj = self.table.get(p)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["organization"] = lambda info: self.backend.organization.obj()
        self.backend.extend("Project", obj, p)
        return obj

    def listing(self, where: JSONDict | None, skip: int, first: int | None, order_by: str | None) -> list[JSONDict]:
        """The ``projects`` listing: filter, order, then the ``skip``/``first`` window."""
        # Projects are seeded only for now (created ones will be keyed by id, as datasets are).
        items = [(k, self.table.get(k)) for k in self.table.keys() if isinstance(k, int)]
        chosen = [(k, o) for k, o in items if match_simple(o, where)]
        by_id = {o["id"]: k for k, o in chosen}
        ordered = order([o for _, o in chosen], order_by)
        return [self.obj(by_id[o["id"]]) for o in page(ordered, skip, first)]

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "Dataset":
            # Seeded dataset k feeds project k; a created dataset feeds none yet.
            linked = [key] if isinstance(key, int) and self.table.has(key) else []
            obj["projects"] = lambda info, skip=0, first=None: [self.obj(p) for p in page(linked, skip, first)]
        elif type_name == "Organization":
            obj["projects"] = lambda info, where=None, skip=0, first=None: self.listing(where, skip, first, None)
        else:
            obj["projects"] = lambda info, where=None, skip=0, first=None, orderBy=None: self.listing(
                where, skip, first, orderBy
            )

    def root(self) -> dict[str, Resolver]:
        def project(info: Info, where: JSONDict) -> JSONDict:
            p = self.find(where.get("id"))
            if p is None:
                raise not_found("project", where.get("id"))
            return self.obj(p)

        return {
            "projects": lambda info, where=None, skip=0, first=None, orderBy=None: self.listing(
                where, skip, first, orderBy
            ),
            "project": project,
        }
