"""Data rows: ``datasetDataRows`` (a cursor listing, newest first), ``dataRow(where:)`` and ``Dataset.dataRows``;
``sendToAnnotateFromCatalog`` (rows to a project's queue as a batch, with a model run's predictions as pre-labels or a
project's labels copied: see ``alabelbox.testing._send``).

State: the seeded rows of dataset ``d`` are ``World.data_row(d, i)`` (never stored); the rows of a deleted
dataset are gone. Created rows (``upsertDataRows``, see ``ingestion``) live in :attr:`DataRows.created`, a
:class:`~alabelbox.testing._store.Table` keyed by row id, with an index per dataset key and one by global
key; a created row's id has the seeded layout under parent :data:`CREATED`, so it never decodes as a seeded
one. Listings of a dataset give its created rows newest first, then its seeded rows newest first.

Writes to a seeded row (its global key, attachments, metadata) go to :attr:`DataRows.seeded_writes`, an overlay
over the generated row: every place that emits a seeded row's values (the GraphQL rows, the global-key lookups
and filters, the export v2 lines, the legacy exports) asks :meth:`DataRows.seeded_value` or applies
:meth:`DataRows.export_patches`. A field once written replaces the generated one everywhere (the generated export
attachment and metadata of a row stand for what the row holds until a write names its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._data import K_ROW, JSONDict, World
from .._exports import patch_export_line
from .._ids import iso_ms
from .._send import send_to_annotate
from .._store import Table
from ._base import ApiError, Info, Resolver, Resource, bad_input, not_found, page

CREATED = 36**3 - 1
"""The id ``parent`` of created data rows (seeded rows have their dataset's index)."""

SDL = """
input DatasetDataRowWhereInput { id: ID externalId: String globalKey: String
  id_in: [ID!] externalId_in: [String!] globalKey_in: [String!] }

type CustomMetadata { schemaId: ID! value: Json }
type MetadataField { schemaId: ID! name: String value: Json kind: String }

type AssetAttachment { id: ID! type: String! value: String! name: String }

type DataRow { id: ID! externalId: String globalKey: String rowData: String!
  mediaAttributes: Json createdAt: DateTime updatedAt: DateTime mediaType: String
  attachments(skip: Int, first: PageSize): [AssetAttachment!]!
  customMetadata: [CustomMetadata!]! metadataFields: [MetadataField!]!
  dataset: Dataset! createdBy: User organization: Organization!
  labels(where: DataRowLabelWhereInput, skip: Int, first: PageSize): [Label!]! }

input DataRowLabelWhereInput { deleted: Boolean }

type DataRowConnection { nodes: [DataRow!]! pageInfo: PageInfo! totalCount: Int }

extend type Dataset { dataRows(skip: Int, first: PageSize): [DataRow!]! }

input DataRowIdsWhereInput { dataRowIds: [ID!]! }

input DataRowUpdateInput { externalId: String globalKey: String rowData: String mediaType: String }

input SendToAnnotateFromCatalogInput { destinationProjectId: ID! batchInput: SendToAnnotateBatchInput!
  destinationTaskQueue: SendToAnnotateTaskQueueInput excludeDataRowsInProject: Boolean annotationsInput: Json
  predictionsInput: SendToAnnotatePredictionsInput conflictLabelsResolutionStrategy: String
  searchQuery: Json! ordering: Json sorting: Json limit: Int }

extend type Mutation {
  deleteDataRows(where: DataRowIdsWhereInput!): [DataRow!]!
  updateDataRow(where: WhereUniqueIdInput!, data: DataRowUpdateInput!): DataRow!
  sendToAnnotateFromCatalog(input: SendToAnnotateFromCatalogInput!): SendToAnnotateResult!
}

extend type Query {
  datasetDataRows(id: ID!, from: ID, first: Int, where: DatasetDataRowWhereInput): DataRowConnection!
  dataRow(where: WhereUniqueIdInput!): DataRow
}
"""


class DataRows(Resource):
    """The data rows of every live dataset."""

    SDL = SDL
    EXTENDS = frozenset({"Dataset"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.created = Table(_no_seeded, 0)
        self._by_dataset: dict[int | str, list[str]] = {}
        self._by_global_key: dict[str, str] = {}
        self._counter = 0
        self.seeded_writes: dict[tuple[int, int], JSONDict] = {}
        """``(d, i)`` -> the fields written to seeded row ``i`` of dataset ``d`` (``globalKey``, ``attachments``,
        ``metadataFields``, ``updatedAt``), over the generated ones."""
        self._listing: tuple[Any, list[str], dict[str, int]] | None = None

    # ------------------------------------------------------------ seeded rows' writes

    def seeded_value(self, d: int, i: int, name: str) -> Any:
        """Field ``name`` of seeded row ``(d, i)`` as it stands: written, or generated."""
        written = self.seeded_writes.get((d, i))
        if written is not None and name in written:
            return written[name]
        if name == "globalKey":
            return self.world.global_key(d, i)
        if name in ("attachments", "metadataFields"):
            return []
        raise KeyError(name)

    def write(self, ref: tuple[int, int] | str, fields: JSONDict) -> None:
        """Set ``fields`` (``globalKey``, ``attachments``, ``metadataFields``) of live row ``ref`` (seeded or
        created, as :meth:`find_any` gives it); the global-key index follows."""
        if isinstance(ref, str):
            self.update_created(ref, fields)
            return
        d, i = ref
        old = self.seeded_value(d, i, "globalKey")
        written = self.seeded_writes.setdefault((d, i), {})
        written.update(fields, updatedAt=iso_ms(self.backend.clock.now()))
        if "globalKey" in fields and fields["globalKey"] != old:
            if old and self._by_global_key.get(old) == self.world.row_id(d, i):
                self._by_global_key.pop(old)
            if fields["globalKey"]:
                self._by_global_key[fields["globalKey"]] = self.world.row_id(d, i)

    def current(self, ref: tuple[int, int] | str) -> JSONDict:
        """``globalKey``, ``attachments`` and ``metadataFields`` of live row ``ref`` as they stand."""
        if isinstance(ref, str):
            r = self.record(ref)
            return {"globalKey": r["globalKey"], "attachments": r["attachments"], "metadataFields": r["metadataFields"]}
        return {name: self.seeded_value(*ref, name) for name in ("globalKey", "attachments", "metadataFields")}

    def seeded_export_line(self, d: int, i: int, params: JSONDict) -> JSONDict:
        """The export v2 line of seeded row ``(d, i)`` with its written fields, in no project."""
        line = self.world.export_line(d, i, params, [], [])
        written = self.seeded_writes.get((d, i))
        if written is None:
            return line
        return patch_export_line(line, self.export_patches([(d, i)])[self.world.row_id(d, i)], params)

    def seeded_global_key(self, key: str) -> tuple[int, int] | None:
        """``(d, i)`` of the live seeded row holding global key ``key`` as it stands, or None."""
        rid = self.global_key_taken(key)
        return None if rid is None or self.created.has(rid) else self.find(rid)

    def export_patches(self, only: list[tuple[int, int]] | None = None) -> dict[str, JSONDict]:
        """Seeded row id -> its written fields in export form, a copy for an export's writer thread to apply with
        :func:`~alabelbox.testing._exports.patch_export_line`."""
        metadata = self.backend.metadata
        out: dict[str, JSONDict] = {}
        for d, i in self.seeded_writes if only is None else only:
            written = self.seeded_writes[(d, i)]
            patch: JSONDict = {"updated_at": _export_stamp(written["updatedAt"])}
            if "globalKey" in written:
                patch["global_key"] = written["globalKey"]
            if "attachments" in written:
                patch["attachments"] = [dict(a) for a in written["attachments"]]
            if "metadataFields" in written:
                patch["metadata_fields"] = [metadata.export_field(m) for m in written["metadataFields"]]
                patch["custom_metadata"] = [
                    {"schemaId": m["schemaId"], "value": m["value"]} for m in written["metadataFields"]
                ]
            out[self.world.row_id(d, i)] = patch
        return out

    # ------------------------------------------------------------ created rows

    def create(self, dataset: int | str, fields: JSONDict, *, stamp: str | None = None) -> str:
        """Store a created row of dataset key ``dataset``; its id.

        ``fields`` holds the API's camelCase fields (``rowData``, ``globalKey``, ``externalId``,
        ``mediaType``, ``metadataFields``, ``attachments``); the caller checked the global key is free.
        Only the fields that are set are stored (``stamp``, the creation time, can be shared by a whole
        task), so 100,000 created rows stay small; :meth:`record` fills in the rest.
        """
        self._counter += 1
        stamp = stamp or iso_ms(self.backend.clock.now())
        rid = self.world.ids.encode(K_ROW, CREATED, self._counter)
        record: JSONDict = {"id": rid, "createdAt": stamp, "_dataset": dataset}
        record.update((k, v) for k, v in fields.items() if v is not None and v != [])
        self.created.create(record)
        self._by_dataset.setdefault(dataset, []).append(rid)
        if record.get("globalKey"):
            self._by_global_key[record["globalKey"]] = rid
        return rid

    def record(self, rid: str) -> JSONDict:
        """Every field of created row ``rid`` (a fresh dict); KeyError if it is not live."""
        stored = self.created.get(rid)
        out: JSONDict = {
            "id": rid,
            "externalId": None,
            "globalKey": None,
            "rowData": None,
            "mediaAttributes": None,
            "mediaType": None,
            "createdAt": stored["createdAt"],
            "updatedAt": stored["createdAt"],
            "metadataFields": [],
            "attachments": [],
        }
        out.update(stored)
        return out

    def update_created(self, rid: str, fields: JSONDict) -> None:
        """Apply an upsert's ``fields`` to created row ``rid`` (the global-key index follows)."""
        old = self.record(rid)
        patch = dict(fields, updatedAt=iso_ms(self.backend.clock.now()))
        if "globalKey" in patch and patch["globalKey"] != old["globalKey"]:
            self._by_global_key.pop(old["globalKey"], None)
            if patch["globalKey"]:
                self._by_global_key[patch["globalKey"]] = rid
        self.created.update(rid, patch)

    def update(self, rid: str, data: JSONDict) -> None:
        """``updateDataRow``: set the given fields of created row ``rid`` (an empty string or a taken global key is
        refused, and nothing is changed)."""
        fields: JSONDict = {}
        for name in ("externalId", "globalKey", "rowData", "mediaType"):
            if name not in data:
                continue
            value = data[name]
            if value is not None and not isinstance(value, str):
                raise bad_input(f"{name} must be a string")
            if name in ("rowData", "globalKey") and value == "":
                raise bad_input(f"{name} cannot be empty")
            fields[name] = value
        if not fields:
            raise bad_input("Nothing to update: give externalId, globalKey, rowData or mediaType")
        key = fields.get("globalKey")
        if key:
            holder = self.global_key_taken(key)
            if holder is not None and holder != rid:
                raise ApiError(
                    f"Duplicate global key: '{key}' is already used by data row {holder}",
                    "RESOURCE_CONFLICT",
                    status=409,
                )
        self.update_created(rid, fields)

    def delete_created(self, rid: str) -> bool:
        """Delete created row ``rid`` from every listing and lookup; False if it was not live."""
        if not self.created.has(rid):
            return False
        key = self.record(rid)["globalKey"]
        if key:
            self._by_global_key.pop(key, None)
        return self.created.delete(rid)

    def created_in(self, dataset: int | str) -> list[str]:
        """Ids of the live created rows of dataset ``dataset``, oldest first."""
        return [r for r in self._by_dataset.get(dataset, ()) if self.created.has(r) and self._alive(r)]

    def _alive(self, rid: str) -> bool:
        return bool(self.backend.datasets.table.has(self.created.get(rid)["_dataset"]))

    def created_obj(self, rid: str) -> JSONDict:
        """Created row ``rid`` as a GraphQL object."""
        obj = self.record(rid)
        dataset = obj.pop("_dataset")
        obj["customMetadata"] = [{"schemaId": m["schemaId"], "value": m["value"]} for m in obj["metadataFields"]]
        obj["dataset"] = lambda info: self.backend.datasets.obj(dataset)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["organization"] = lambda info: self.backend.organization.obj()
        obj["labels"] = lambda info, where=None, skip=0, first=None: self.backend.labels.row_labels(
            rid, where, skip, first
        )
        attachments = obj["attachments"]
        obj["attachments"] = lambda info, skip=0, first=None: page(attachments, skip, first)
        return obj

    def global_key_taken(self, key: str) -> str | None:
        """The id of the live row holding global key ``key`` (created or seeded), or None."""
        rid = self._by_global_key.get(key)
        if rid is not None:
            if self.created.has(rid):
                if self._alive(rid):
                    return rid
            else:
                seeded = self.find(rid)
                if seeded is not None and self.seeded_value(*seeded, "globalKey") == key:
                    return rid
        parts = key.rsplit("_", 2)  # a seeded key is "<hash>_<d>_<i>"
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            d, i = int(parts[1]), int(parts[2])
            w = self.world
            if (
                d < w.n_projects
                and i < w.n_rows
                and w.global_key(d, i) == key
                and self.backend.datasets.seeded_alive(d)
                and self.seeded_value(d, i, "globalKey") == key
            ):
                return w.row_id(d, i)
        return None

    def export_ids(self, selection: Any) -> list[str]:
        """Ids of the live created rows an export with ``selection`` (an ``_exports.Selection``) holds."""
        out = []
        for dataset, ids in list(self._by_dataset.items()):
            if not self.backend.datasets.table.has(dataset):
                continue
            dataset_id = self.backend.datasets.table.get(dataset)["id"]
            for rid in ids:
                if self.created.has(rid) and selection.matches_created(
                    rid, self.created.get(rid).get("globalKey"), dataset_id
                ):
                    out.append(rid)
        return out

    def export_line(self, rid: str, params: JSONDict) -> JSONDict:
        """The export v2 line of created row ``rid`` (it is in no project)."""
        r = self.record(rid)
        row: JSONDict = {"id": rid}
        if r["globalKey"] is not None:
            row["global_key"] = r["globalKey"]
        if r["externalId"] is not None:
            row["external_id"] = r["externalId"]
        row["row_data"] = r["rowData"]
        if params.get("includeDataRowDetails"):
            dataset = self.backend.datasets.table.get(r["_dataset"])
            row["details"] = {
                "dataset_id": dataset["id"],
                "dataset_name": dataset["name"],
                "created_at": _export_stamp(r["createdAt"]),
                "updated_at": _export_stamp(r["updatedAt"]),
                "last_activity_at": _export_stamp(r["updatedAt"]),
                "created_by": self.world.email(0),
            }
        line: JSONDict = {"data_row": row, "media_attributes": r["mediaAttributes"] or {}}
        if params.get("includeAttachments"):
            line["attachments"] = [dict(a) for a in r["attachments"]]
        if params.get("includeMetadata"):
            line["metadata_fields"] = [self.backend.metadata.export_field(m) for m in r["metadataFields"]]
        line["projects"] = {}
        return line

    # ------------------------------------------------------------ lookups

    def find_any(self, value: object) -> tuple[int, int] | str | None:
        """``(d, i)`` of a live seeded row or the id of a live created row with id ``value``, or None."""
        if isinstance(value, str) and self.created.has(value):
            return value if self._alive(value) else None
        return self.find(value)

    def any_obj(self, key: tuple[int, int] | str) -> JSONDict:
        """A row found by :meth:`find_any` as a GraphQL object."""
        return self.created_obj(key) if isinstance(key, str) else self.obj(*key)

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
        obj["organization"] = lambda info: self.backend.organization.obj()
        obj["labels"] = lambda info, where=None, skip=0, first=None: self.backend.labels.row_labels(
            (d, i), where, skip, first
        )
        obj.setdefault("mediaType", None)
        written = self.seeded_writes.get((d, i))
        attachments: list[JSONDict] = []
        if written is not None:
            obj["updatedAt"] = written["updatedAt"]
            if "globalKey" in written:
                obj["globalKey"] = written["globalKey"]
            if "metadataFields" in written:
                obj["metadataFields"] = [dict(m) for m in written["metadataFields"]]
                obj["customMetadata"] = [
                    {"schemaId": m["schemaId"], "value": m["value"]} for m in obj["metadataFields"]
                ]
            attachments = [dict(a) for a in written.get("attachments", ())]
        obj["attachments"] = lambda info, skip=0, first=None: page(attachments, skip, first)
        return obj

    def count(self, key: int | str) -> int:
        """How many data rows dataset ``key`` holds."""
        return (self.world.n_rows if isinstance(key, int) else 0) + len(self.created_in(key))

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        n = self.world.n_rows if isinstance(key, int) else 0
        obj["rowCount"] = n + len(self.created_in(key))

        def rows(info: Info, skip: int = 0, first: int | None = None) -> list[JSONDict]:
            keys: list[tuple[int, int] | str] = [(key, i) for i in range(n)]
            keys.extend(self.created_in(key))
            return [self.any_obj(k) for k in page(keys, skip, first)]

        obj["dataRows"] = rows

    def connection(self, key: int | str, cursor: str | None, first: int | None, where: JSONDict | None) -> JSONDict:
        """One page of ``datasetDataRows``; the next page's cursor comes back in ``startCursor`` (sic)."""
        w = self.world
        size = 500 if first is None else max(0, first)
        created, positions = self._newest_first(key)  # before the seeded rows
        n_seeded = w.n_rows if isinstance(key, int) else 0
        total = n_seeded + len(created)
        # A position in the listing: created rows 0..len-1, then seeded rows newest first.
        pos = 0
        if cursor:
            if cursor in positions:
                pos = positions[cursor]
            else:
                c = w.find(cursor, K_ROW)
                if c is None or not isinstance(key, int) or c[0] != key:
                    raise ApiError(f"Invalid cursor {cursor!r}", "MALFORMED_REQUEST")
                pos = len(created) + (n_seeded - 1 - c[1])
        seeded_pred = _row_where(w, key, where, self.seeded_value) if isinstance(key, int) else None
        created_pred = _created_where(self.created, where)

        def at(k: int) -> tuple[int, int] | str:
            return created[k] if k < len(created) else (int(key), n_seeded - 1 - (k - len(created)))

        def keep(k: int) -> bool:
            if k < len(created):
                return created_pred is None or created_pred(created[k])
            return seeded_pred is None or seeded_pred(n_seeded - 1 - (k - len(created)))

        nodes: list[tuple[int, int] | str] = []
        while pos < total and len(nodes) < size:
            if keep(pos):
                nodes.append(at(pos))
            pos += 1
        while where and pos < total and not keep(pos):
            pos += 1
        nxt = None
        if pos < total:
            nk = at(pos)
            nxt = nk if isinstance(nk, str) else w.row_id(*nk)
        return {
            "nodes": [self.any_obj(k) for k in nodes],
            "pageInfo": {"hasNextPage": nxt is not None, "startCursor": nxt, "endCursor": None},
            "totalCount": total,
        }

    def _newest_first(self, key: int | str) -> tuple[list[str], dict[str, int]]:
        """The live created rows of dataset ``key``, newest first, and each one's position there: kept for the
        next page until a row or a dataset changes (paging through 100,000 rows was quadratic)."""
        stamp = (key, self.created.version, self.backend.datasets.table.version)
        if self._listing is None or self._listing[0] != stamp:
            rows = self.created_in(key)[::-1]
            self._listing = (stamp, rows, {rid: n for n, rid in enumerate(rows)})
        return self._listing[1], self._listing[2]

    def root(self) -> dict[str, Resolver]:
        def data_row(info: Info, where: JSONDict) -> JSONDict:
            got = self.find_any(where.get("id"))
            if got is None:
                raise not_found("data row", where.get("id"))
            return self.any_obj(got)

        def dataset_rows(
            info: Info, id: str, first: int | None = None, where: JSONDict | None = None, **kw: Any
        ) -> JSONDict:
            key = self.backend.datasets.find(id)
            if key is None:
                raise not_found("dataset", id)
            return self.connection(key, kw.get("from"), first, where)

        def delete_rows(info: Info, where: JSONDict) -> list[JSONDict]:
            ids = [str(r) for r in where["dataRowIds"]]
            for rid in ids:  # all or nothing: check every id first
                found = self.find_any(rid)
                if found is None:
                    raise not_found("data row", rid)
                if not isinstance(found, str):
                    raise ApiError(
                        f"Data row {rid} is a seeded row: the emulator only deletes created rows", "FORBIDDEN"
                    )
            gone = [self.created_obj(rid) for rid in dict.fromkeys(ids)]
            for rid in ids:
                self.delete_created(rid)
            return gone

        def update_row(info: Info, where: JSONDict, data: JSONDict) -> JSONDict:
            rid = where.get("id")
            found = self.find_any(rid)
            if found is None:
                raise not_found("data row", rid)
            if not isinstance(found, str):
                raise ApiError(f"Data row {rid} is a seeded row: the emulator only updates created rows", "FORBIDDEN")
            self.update(found, data)
            return self.created_obj(found)

        def send_from_catalog(info: Info, input: JSONDict) -> JSONDict:
            search = input.get("searchQuery")
            if not isinstance(search, dict):
                raise bad_input("searchQuery must be an object {scope, query}")
            limit = input.get("limit")
            if limit is not None:
                raise bad_input("limit is not supported by the emulator: name the data rows in searchQuery")
            return send_to_annotate(self.backend, input, run=None, query=search.get("query"), where="searchQuery.query")

        return {
            "dataRow": data_row,
            "datasetDataRows": dataset_rows,
            "deleteDataRows": delete_rows,
            "sendToAnnotateFromCatalog": send_from_catalog,
            "updateDataRow": update_row,
        }


def _row_where(
    w: World, d: int, where: JSONDict | None, value: Callable[[int, int, str], Any]
) -> Callable[[int], bool] | None:
    if not where:
        return None
    checks: list[Callable[[int], bool]] = []
    getters: tuple[tuple[str, Callable[[int], object]], ...] = (
        ("id", lambda i: w.row_id(d, i)),
        ("externalId", lambda i: w.external_id(d, i)),
        ("globalKey", lambda i: value(d, i, "globalKey")),
    )
    for key, fn in getters:
        if where.get(key) is not None:
            checks.append(_in_check(fn, {where[key]}))
        if where.get(key + "_in") is not None:
            checks.append(_in_check(fn, set(where[key + "_in"])))
    return lambda i: all(c(i) for c in checks)


def _in_check(fn: Callable[[int], object], values: set[Any]) -> Callable[[int], bool]:
    return lambda i: fn(i) in values


def _no_seeded(k: int) -> JSONDict:
    raise KeyError(k)  # the created-rows table has no seeded rows


def _created_where(table: Table, where: JSONDict | None) -> Callable[[str], bool] | None:
    if not where:
        return None
    checks: list[Callable[[str], bool]] = []
    for key in ("id", "externalId", "globalKey"):
        if where.get(key) is not None:
            checks.append(_field_in(table, key, {where[key]}))
        if where.get(key + "_in") is not None:
            checks.append(_field_in(table, key, set(where[key + "_in"])))
    return lambda rid: all(c(rid) for c in checks)


def _field_in(table: Table, key: str, values: set[Any]) -> Callable[[str], bool]:
    return lambda rid: table.get(rid).get(key) in values


def _export_stamp(api_stamp: str) -> str:
    """``...951Z`` (the API's format) as ``...951+00:00`` (the export lines' format)."""
    return api_stamp[:-1] + "+00:00" if api_stamp.endswith("Z") else api_stamp
