"""Slices (saved queries): ``getSavedQuery``, ``catalogSavedQueries``, ``getDataRowIdentifiersBySavedQuery``,
``getDataRowIdentifiersBySavedModelQuery`` and ``exportDataRowsInSlice``.

The API cannot create slices (they are made in the app), so they are seeded, deterministically from the world:

- catalog slices: one per seeded dataset (every row of it, created rows included: ``[{"type": "dataset", ...}]``),
  "first batches" (the first batch of every project: a ``batch`` filter) and "hand-picked" (every fifth of the
  first 200 rows of dataset 0, by ``global_key``);
- model slices, which filter the rows of the model run named in the query: every row, the ``TRAINING`` split
  (``[{"type": "data_split", "operator": "is", "value": "TRAINING"}]``), and the rows of dataset 0.

``Emulator.add_slice`` adds more. A catalog slice's filter is an export ``searchQuery`` list, evaluated by the
export's own :class:`~alabelbox.testing._exports.Selection`, so a slice's identifiers and its export hold the same
rows, in the same order: the seeded rows by dataset and index, then the created rows. The catalog cursor is the
last row's id; the model cursor is the last row's ``{dataRowId globalKey}``, resumed after that row in the order the
run holds its rows. ``endCursor`` is null on the last page (the SDK stops on a null cursor).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from .._data import K_ROW, T0, JSONDict
from .._exports import ExportInputError, Selection
from .._ids import iso_ms
from ._base import ApiError, Info, Resolver, Resource, bad_input, not_found

K_SAVED_QUERY = "v"
"""The id kind of saved queries; parent 0 for catalog slices, 1 for model slices."""
CATALOG, MODEL = 0, 1
HAND_PICKED_EVERY, HAND_PICKED_SPAN = 5, 200
MODEL_FILTERS = frozenset({"data_split", "dataset"})
"""The filter types a model slice evaluates on a run's rows."""

SDL = """
type SavedQuery { id: ID! name: String! description: String filter: Json createdAt: DateTime updatedAt: DateTime }
type SavedQueryDataRowIdentifier { id: ID! globalKey: String }
type SavedQueryDataRowIdentifiers { totalCount: Int! nodes: [SavedQueryDataRowIdentifier!]! pageInfo: PageInfo! }
type DataRowIdentifierCursor { dataRowId: ID! globalKey: String }
type SavedModelQueryPageInfo { endCursor: DataRowIdentifierCursor hasNextPage: Boolean! }
type SavedModelQueryDataRowIdentifiers { totalCount: Int! nodes: [SavedQueryDataRowIdentifier!]!
  pageInfo: SavedModelQueryPageInfo! }

input DataRowIdentifierCursorInput { dataRowId: ID! globalKey: String }
input GetDataRowIdentifiersBySavedQueryInput { savedQueryId: ID! after: String first: Int }
input GetDataRowIdentifiersBySavedModelQueryInput { savedQueryId: ID! modelRunId: ID
  after: DataRowIdentifierCursorInput first: Int }
input SliceExportFilters { sliceId: ID! }
input ExportDataRowsInSliceInput { taskName: String isStreamableReady: Boolean
  filters: SliceExportFilters! params: ExportParams streamable: Boolean }

extend type Query {
  getSavedQuery(id: ID!): SavedQuery
  catalogSavedQueries: [SavedQuery!]!
  getDataRowIdentifiersBySavedQuery(input: GetDataRowIdentifiersBySavedQueryInput!): SavedQueryDataRowIdentifiers!
  getDataRowIdentifiersBySavedModelQuery(input: GetDataRowIdentifiersBySavedModelQueryInput!):
    SavedModelQueryDataRowIdentifiers!
}
extend type Mutation {
  exportDataRowsInSlice(input: ExportDataRowsInSliceInput!): ExportTaskResult!
}
"""

Identifier = tuple[str, str | None]
"""A selected row: its data row id and its global key."""


class Slices(Resource):
    """Seeded (and added) saved queries, and the rows each selects."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.saved: dict[str, JSONDict] = {}
        """Every saved query by id, in creation order: the API's fields plus ``_model`` (a model slice)."""
        self._serial = [0, 0]
        self._seed()

    # ------------------------------------------------------------ state

    def _seed(self) -> None:
        w = self.world
        for d in range(w.n_projects):
            self.add(
                f"{w.dataset_name(d)}: every row",
                [{"ids": [w.dataset_id(d)], "operator": "is", "type": "dataset"}],
                description=f"Every data row of dataset {d}, the rows created in it included",
            )
        if w.n_rows:
            self.add(
                "First batches",
                [{"ids": [w.batch_id(p, 0) for p in range(w.n_projects)], "operator": "is", "type": "batch"}],
                description="The rows of the first batch of every project",
            )
            keys = [w.global_key(0, i) for i in range(0, min(w.n_rows, HAND_PICKED_SPAN), HAND_PICKED_EVERY)]
            self.add(
                "Hand-picked 手選び ✋",
                [{"ids": keys, "operator": "is", "type": "global_key"}],
                description="Rows picked one by one, by global key",
            )
        self.add("Every row of the run", [], model=True, description=None)
        self.add(
            "Training split",
            [{"type": "data_split", "operator": "is", "value": "TRAINING"}],
            model=True,
            description="The run's rows in the TRAINING split",
        )
        self.add(
            "Rows of dataset 0",
            [{"ids": [w.dataset_id(0)], "operator": "is", "type": "dataset"}],
            model=True,
            description="The run's rows that come from dataset 0",
        )

    def add(self, name: str, filter: list[JSONDict], *, model: bool = False, description: str | None = None) -> str:
        """Save a query (what the app does); its id. A catalog filter is a list of export ``searchQuery`` items; a
        model filter a list of ``data_split`` / ``dataset`` items.

        Raises:
            ValueError: The filter is not one the emulator can evaluate.
        """
        if not isinstance(filter, list) or not all(isinstance(item, dict) for item in filter):
            raise ValueError(f"a slice filter is a list of objects, got {filter!r}")
        if model:
            unknown = sorted({str(item.get("type")) for item in filter} - MODEL_FILTERS)
            if unknown:
                known = ", ".join(sorted(MODEL_FILTERS))
                raise ValueError(f"model slice filter types {unknown} are not evaluated (known: {known})")
        else:
            try:
                Selection(self.world, self.backend.labels.deletions, filter)
            except ExportInputError as exc:
                raise ValueError(f"catalog slice filter: {exc}") from exc
        kind = MODEL if model else CATALOG
        index = self._serial[kind]
        self._serial[kind] += 1
        sid = self.world.ids.encode(K_SAVED_QUERY, kind, index)
        created = T0 + 10 * 86_400.0 + kind * 86_400.0 + index * 3600.0
        self.saved[sid] = {
            "id": sid,
            "name": name,
            "description": description,
            "filter": [dict(item) for item in filter],
            "createdAt": iso_ms(created),
            "updatedAt": iso_ms(created + 600.0),
            "_model": model,
        }
        return sid

    def find(self, slice_id: object, *, model: bool | None = None) -> JSONDict | None:
        """The saved query ``slice_id`` (of that kind, when ``model`` says), or None."""
        saved = self.saved.get(slice_id) if isinstance(slice_id, str) else None
        if saved is None or (model is not None and saved["_model"] != model):
            return None
        return saved

    @staticmethod
    def obj(saved: JSONDict) -> JSONDict:
        """A saved query as the API answers it."""
        return {k: v for k, v in saved.items() if not k.startswith("_")}

    # ------------------------------------------------------------ catalog rows

    def _selection(self, saved: JSONDict) -> Selection:
        return Selection(self.world, self.backend.labels.deletions, saved["filter"])

    def catalog_rows(self, saved: JSONDict, after: str | None = None) -> Iterator[Identifier]:
        """The rows a catalog slice selects, after row ``after``: the export's rows, in the export's order."""
        w, data_rows = self.world, self.backend.data_rows
        selection = self._selection(saved)
        start_d, start_i, created_after = 0, 0, None
        if after is not None:
            got = w.find(after, K_ROW)
            if got is not None:
                start_d, start_i = got[0], got[1] + 1
            else:
                start_d, created_after = w.n_projects, after
        for d in range(start_d, w.n_projects):
            if not self.backend.datasets.seeded_alive(d):
                continue
            rows, _ = selection.candidate_rows(d)
            low = start_i if d == start_d else 0
            if isinstance(rows, range):
                rows = range(max(rows.start, low), rows.stop)
            elif low:
                rows = (i for i in rows if i >= low)
            for i in rows:
                if selection.matches(d, i, None):
                    yield w.row_id(d, i), w.global_key(d, i)
        created = data_rows.export_ids(selection)
        if created_after is not None:
            if created_after not in created:
                raise bad_input(f"Invalid cursor {after!r}: it names no row of this slice")
            created = created[created.index(created_after) + 1 :]
        for rid in created:
            if data_rows.created.has(rid):
                yield rid, data_rows.created.get(rid).get("globalKey")

    def catalog_count(self, saved: JSONDict) -> int:
        """How many rows a catalog slice selects (without walking them where the filter needs no row facts)."""
        selection = self._selection(saved)
        plain = selection.activity is None and selection.labeled is None and selection.queue is None
        total = 0
        for d in range(self.world.n_projects):
            if self.backend.datasets.seeded_alive(d):
                rows, count = selection.candidate_rows(d)
                total += count if plain else sum(1 for i in rows if selection.matches(d, i, None))
        return total + len(self.backend.data_rows.export_ids(selection))

    # ------------------------------------------------------------ model rows

    def _run_rows(self, saved: JSONDict, run: Any) -> Iterator[tuple[int, Identifier]]:
        """``(position in the run, identifier)`` of the run's live rows the model slice selects."""
        w, data_rows, datasets = self.world, self.backend.data_rows, self.backend.datasets
        for row in self.backend.model_runs.live_rows(run):
            key = row.key
            global_key: str | None
            if isinstance(key, tuple):
                dataset_id, global_key = w.dataset_id(key[0]), w.global_key(*key)
            else:
                record = data_rows.created.get(key)
                dataset_id, global_key = datasets.table.get(record["_dataset"])["id"], record.get("globalKey")
            if all(_model_match(item, row.split, dataset_id) for item in saved["filter"]):
                yield run.positions[row.id], (row.data_row_id, global_key)

    def model_rows(self, saved: JSONDict, run: Any, after: JSONDict | None = None) -> Iterator[Identifier]:
        """The run's rows a model slice selects, after the row the cursor ``after`` names."""
        low = -1
        if after is not None:
            named = [k for k, row in enumerate(run.order) if row.data_row_id == after.get("dataRowId")]
            if not named:
                raise bad_input(f"Invalid cursor {after!r}: it names no row of this model run")
            low = named[-1]
        return (identifier for position, identifier in self._run_rows(saved, run) if position > low)

    # ------------------------------------------------------------ resolvers

    @staticmethod
    def _page(rows: Iterable[Identifier], first: int | None) -> tuple[list[Identifier], bool]:
        if first is None or first < 1:
            raise bad_input(f"first must be a positive page size, got {first!r}")
        got = list(itertools.islice(rows, first + 1))
        return got[:first], len(got) > first

    def by_saved_query(self, data: JSONDict) -> JSONDict:
        saved = self.find(data.get("savedQueryId"), model=False)
        if saved is None:
            raise not_found("catalog slice", data.get("savedQueryId"))
        rows, more = self._page(self.catalog_rows(saved, data.get("after")), data.get("first"))
        return {
            "totalCount": lambda info: self.catalog_count(saved),
            "nodes": [{"id": rid, "globalKey": gk} for rid, gk in rows],
            "pageInfo": {"endCursor": rows[-1][0] if more else None, "hasNextPage": more, "startCursor": None},
        }

    def by_saved_model_query(self, data: JSONDict) -> JSONDict:
        saved = self.find(data.get("savedQueryId"), model=True)
        if saved is None:
            raise not_found("model slice", data.get("savedQueryId"))
        run_id = data.get("modelRunId")
        if run_id is None:
            raise bad_input("modelRunId is required: a model slice filters the rows of a model run")
        run = self.backend.model_runs.find(run_id)
        if run is None:
            raise not_found("model run", run_id)
        rows, more = self._page(self.model_rows(saved, run, data.get("after")), data.get("first"))
        last = rows[-1] if more else None
        return {
            "totalCount": lambda info: sum(1 for _ in self._run_rows(saved, run)),
            "nodes": [{"id": rid, "globalKey": gk} for rid, gk in rows],
            "pageInfo": {
                "endCursor": None if last is None else {"dataRowId": last[0], "globalKey": last[1]},
                "hasNextPage": more,
            },
        }

    def export(self, data: JSONDict) -> JSONDict:
        """``exportDataRowsInSlice``: a catalog export over the slice's saved filters."""
        slice_id = (data.get("filters") or {}).get("sliceId")
        saved = self.find(slice_id, model=False)
        if saved is None:
            raise not_found("catalog slice", slice_id)
        search = {"scope": None, "query": [dict(item) for item in saved["filter"]]}
        return self.backend.exports.start("exportDataRowsInSlice", {**data, "filters": {"searchQuery": search}}, None)

    def root(self) -> dict[str, Resolver]:
        def get_saved_query(info: Info, id: str) -> JSONDict | None:
            saved = self.find(id)
            return None if saved is None else self.obj(saved)

        def catalog_saved_queries(info: Info) -> list[JSONDict]:
            return [self.obj(s) for s in self.saved.values() if not s["_model"]]

        return {
            "getSavedQuery": get_saved_query,
            "catalogSavedQueries": catalog_saved_queries,
            "getDataRowIdentifiersBySavedQuery": lambda info, input: self.by_saved_query(input),
            "getDataRowIdentifiersBySavedModelQuery": lambda info, input: self.by_saved_model_query(input),
            "exportDataRowsInSlice": lambda info, input: self.export(input),
        }


def _model_match(item: JSONDict, split: str, dataset_id: str) -> bool:
    """Whether a run's row (in ``split``, from dataset ``dataset_id``) passes one model filter item."""
    if item.get("type") == "data_split":
        values = item.get("values")
        wanted: list[Any] = values if isinstance(values, list) else [item.get("value")]
        return split in wanted
    if item.get("type") == "dataset":
        return dataset_id in (item.get("ids") or [])
    raise ApiError(f"Unsupported model slice filter {item.get('type')!r}", "MALFORMED_REQUEST")
