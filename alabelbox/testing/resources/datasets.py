"""Datasets: listings, lookups and the writes the official SDK sends (create, update, delete).

State: a :class:`~alabelbox.testing._store.Table` over the seeded datasets. A created dataset gets an id of
the seeded layout under parent :data:`CREATED`, so no created id can decode as a seeded one. The SDK deletes a
dataset with ``updateDataset(data: {deleted: true})``; a deleted dataset, and every data row in it, is gone
from listings, lookups and exports.
"""

from __future__ import annotations

from typing import Any

from .._data import K_DATASET, JSONDict
from .._ids import iso_ms
from .._store import Table
from ._base import Info, Resolver, Resource, bad_input, not_found, page, table_listing

CREATED = 36**3 - 1
"""The id ``parent`` of created datasets (seeded ones have parent 0)."""

SDL = """
enum DatasetOrderByInput { id_ASC id_DESC name_ASC name_DESC createdAt_ASC createdAt_DESC
  updatedAt_ASC updatedAt_DESC }
input DatasetWhereInput { id: ID id_in: [ID!] name: String name_contains: String deleted: Boolean
  AND: [DatasetWhereInput!] OR: [DatasetWhereInput!] }
input DatasetCreateInput { name: String! description: String }
input DatasetUpdateInput { name: String description: String deleted: Boolean }

type Dataset { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  rowCount: Int deleted: Boolean createdBy: User organization: Organization }

extend type Project { datasets(skip: Int, first: PageSize): [Dataset!]! }

extend type Query {
  datasets(where: DatasetWhereInput, skip: Int, first: PageSize, orderBy: DatasetOrderByInput): [Dataset!]!
  dataset(where: WhereUniqueIdInput!): Dataset
}
extend type Mutation {
  createDataset(data: DatasetCreateInput!): Dataset!
  updateDataset(where: WhereUniqueIdInput!, data: DatasetUpdateInput!): Dataset!
}
"""


class Datasets(Resource):
    """Datasets over a writable table; keys are seeded indices or created ids."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.table = Table(self.world.dataset, self.world.n_projects)
        self._created = 0

    def find(self, value: object) -> int | str | None:
        """The key of the live dataset with id ``value``, or None."""
        if isinstance(value, str) and self.table.has(value):
            return value
        got = self.world.find(value, K_DATASET)
        if got is None or got[0] != 0 or not self.table.has(got[1]):
            return None
        return got[1]

    def seeded_alive(self, d: int) -> bool:
        """Whether seeded dataset ``d`` (and so its data rows) is still there."""
        return self.table.has(d)

    def obj(self, key: int | str) -> JSONDict:
        """Dataset ``key`` as a GraphQL object."""
        obj = self.table.get(key)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["organization"] = lambda info: self.backend.organization.obj()
        self.backend.extend("Dataset", obj, key)
        return obj

    def listing(self, where: JSONDict | None, skip: int, first: int | None, order_by: str | None) -> list[JSONDict]:
        """The ``datasets`` listing: filter, order, then the ``skip``/``first`` window."""
        return table_listing(self.table, self.obj, where, skip, first, order_by)

    # ------------------------------------------------------------ writes

    def create(self, name: str, description: str | None = None) -> str:
        """Create an empty dataset; its key (= its id)."""
        if not name.strip():
            raise bad_input("A dataset name must not be blank")
        self._created += 1
        stamp = iso_ms(self.backend.clock.now())
        return self.table.create(
            {
                "id": self.world.ids.encode(K_DATASET, CREATED, self._created),
                "name": name,
                "description": description,
                "createdAt": stamp,
                "updatedAt": stamp,
                "rowCount": 0,
                "deleted": False,
            }
        )

    def update(self, key: int | str, data: JSONDict) -> JSONDict:
        """Apply ``updateDataset``'s ``data``; ``deleted: true`` deletes."""
        if data.get("deleted"):
            record = self.obj(key)
            self.table.delete(key)
            record["deleted"] = True
            return record
        patch: JSONDict = {k: data[k] for k in ("name", "description") if k in data}
        if "name" in patch and not str(patch["name"] or "").strip():
            raise bad_input("A dataset name must not be blank")
        patch["updatedAt"] = iso_ms(self.backend.clock.now())
        self.table.update(key, patch)
        return self.obj(key)

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        # Seeded project k is fed by dataset k.
        linked = [key] if self.table.has(key) else []
        obj["datasets"] = lambda info, skip=0, first=None: [self.obj(d) for d in page(linked, skip, first)]

    def root(self) -> dict[str, Resolver]:
        def dataset(info: Info, where: JSONDict) -> JSONDict:
            key = self.find(where.get("id"))
            if key is None:
                raise not_found("dataset", where.get("id"))
            return self.obj(key)

        def create_dataset(info: Info, data: JSONDict) -> JSONDict:
            return self.obj(self.create(str(data["name"]), data.get("description")))

        def update_dataset(info: Info, where: JSONDict, data: JSONDict) -> JSONDict:
            key = self.find(where.get("id"))
            if key is None:
                raise not_found("dataset", where.get("id"))
            return self.update(key, data)

        return {
            "datasets": lambda info, where=None, skip=0, first=None, orderBy=None: self.listing(
                where, skip, first, orderBy
            ),
            "dataset": dataset,
            "createDataset": create_dataset,
            "updateDataset": update_dataset,
        }
