"""Data rows: ``datasetDataRows`` (a cursor listing, newest first), ``dataRow(where:)`` and ``Dataset.dataRows``.

State: none yet: the seeded rows of dataset ``d`` are ``World.data_row(d, i)``; the rows of a deleted dataset
are gone. Issue 13 adds created rows (with global keys, metadata, attachments) here, per dataset key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._data import K_ROW, JSONDict, World
from ._base import ApiError, Info, Resolver, Resource, not_found, page

SDL = """
input DatasetDataRowWhereInput { id: ID externalId: String globalKey: String
  id_in: [ID!] externalId_in: [String!] globalKey_in: [String!] }

type CustomMetadata { schemaId: ID! value: Json }
type MetadataField { schemaId: ID! name: String value: Json kind: String }

type DataRow { id: ID! externalId: String globalKey: String rowData: String!
  mediaAttributes: Json createdAt: DateTime updatedAt: DateTime
  customMetadata: [CustomMetadata!]! metadataFields: [MetadataField!]!
  dataset: Dataset! createdBy: User }

type DataRowConnection { nodes: [DataRow!]! pageInfo: PageInfo! totalCount: Int }

extend type Dataset { dataRows(skip: Int, first: PageSize): [DataRow!]! }

extend type Query {
  datasetDataRows(id: ID!, from: ID, first: Int, where: DatasetDataRowWhereInput): DataRowConnection!
  dataRow(where: WhereUniqueIdInput!): DataRow
}
"""


class DataRows(Resource):
    """The data rows of every live dataset."""

    SDL = SDL
    EXTENDS = frozenset({"Dataset"})

    def find(self, value: object) -> tuple[int, int] | None:
        """``(d, i)`` of the live seeded data row with id ``value``, or None."""
        got = self.world.find(value, K_ROW)
        if got is None or not self.backend.datasets.seeded_alive(got[0]):
            return None
        return got

    def obj(self, d: int, i: int) -> JSONDict:
        """Row ``i`` of seeded dataset ``d`` as a GraphQL object."""
        obj = self.world.data_row(d, i)
        obj["dataset"] = lambda info: self.backend.datasets.obj(d)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        return obj

    def count(self, key: int | str) -> int:
        """How many data rows dataset ``key`` holds."""
        return self.world.n_rows if isinstance(key, int) else 0

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        n = self.count(key)
        if isinstance(key, int):
            obj["dataRows"] = lambda info, skip=0, first=None: [self.obj(key, i) for i in page(range(n), skip, first)]
        else:
            obj["dataRows"] = lambda info, skip=0, first=None: []

    def connection(self, key: int | str, cursor: str | None, first: int | None, where: JSONDict | None) -> JSONDict:
        """One page of ``datasetDataRows``; the next page's cursor comes back in ``startCursor`` (sic)."""
        w = self.world
        if not isinstance(key, int):
            if cursor:
                raise ApiError(f"Invalid cursor {cursor!r}", "MALFORMED_REQUEST")
            return {
                "nodes": [],
                "pageInfo": {"hasNextPage": False, "startCursor": None, "endCursor": None},
                "totalCount": 0,
            }
        d = key
        start = w.n_rows - 1  # newest first
        if cursor:
            c = w.find(cursor, K_ROW)
            if c is None or c[0] != d:
                raise ApiError(f"Invalid cursor {cursor!r}", "MALFORMED_REQUEST")
            start = c[1]
        size = 500 if first is None else max(0, first)
        pred = _row_where(w, d, where)
        nodes: list[int] = []
        i = start
        while i >= 0 and len(nodes) < size:
            if pred is None or pred(i):
                nodes.append(i)
            i -= 1
        while pred is not None and i >= 0 and not pred(i):
            i -= 1
        nxt = w.row_id(d, i) if i >= 0 else None
        return {
            "nodes": [self.obj(d, k) for k in nodes],
            "pageInfo": {"hasNextPage": nxt is not None, "startCursor": nxt, "endCursor": None},
            "totalCount": w.n_rows,
        }

    def root(self) -> dict[str, Resolver]:
        def data_row(info: Info, where: JSONDict) -> JSONDict:
            got = self.find(where.get("id"))
            if got is None:
                raise not_found("data row", where.get("id"))
            return self.obj(*got)

        def dataset_rows(
            info: Info, id: str, first: int | None = None, where: JSONDict | None = None, **kw: Any
        ) -> JSONDict:
            key = self.backend.datasets.find(id)
            if key is None:
                raise not_found("dataset", id)
            return self.connection(key, kw.get("from"), first, where)

        return {"dataRow": data_row, "datasetDataRows": dataset_rows}


def _row_where(w: World, d: int, where: JSONDict | None) -> Callable[[int], bool] | None:
    if not where:
        return None
    checks: list[Callable[[int], bool]] = []
    getters: tuple[tuple[str, Callable[[int], object]], ...] = (
        ("id", lambda i: w.row_id(d, i)),
        ("externalId", lambda i: w.external_id(d, i)),
        ("globalKey", lambda i: w.global_key(d, i)),
    )
    for key, fn in getters:
        if where.get(key) is not None:
            checks.append(_in_check(fn, {where[key]}))
        if where.get(key + "_in") is not None:
            checks.append(_in_check(fn, set(where[key + "_in"])))
    return lambda i: all(c(i) for c in checks)


def _in_check(fn: Callable[[int], object], values: set[Any]) -> Callable[[int], bool]:
    return lambda i: fn(i) in values
