"""Batches of a project: ``Project.batches`` (a cursor listing, or one batch by ``where: {id}``), the writes the
official SDK 7.17 sends (``createBatchV2``; ``createEmptyBatch`` + ``addDataRowsToBatchAsync`` for large batches;
``createBatches`` and ``createBatchesFromDataset``, one task per batch of up to 100,000 rows;
``removeQueuedDataRowsFromBatch``; ``deleteBatch``; ``deleteBatchLabels``) and
``queryAllDataRowsHaveBeenProcessed``, which the SDK asks before it creates a batch.

Seeded batches: batch ``b`` of seeded project ``p`` holds rows ``[b * batch_size, (b + 1) * batch_size)`` of
dataset ``p``; they are read-only here except for ``deleteBatchLabels``.

State: created batches (any project, seeded or created), and which rows each project holds through them
(:class:`Entry`: the batch, the workflow queue, the priority). A row is in a project at most once: a row already
there is reported in ``failedDataRowIds``. Rows are seeded ``(d, i)`` pairs or created row ids. ``workflow``
moves rows between queues and sets priorities on these entries; ``exports`` asks :meth:`Batches.export_lines`
for the lines of a project's created batches.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .._data import K_BATCH, JSONDict
from .._ids import iso_ms
from ._base import Info, LazyDict, Resolver, Resource, bad_input, experimental_only, not_found

RowRef = tuple[int, int] | str
"""A data row: ``(d, i)`` for seeded row ``i`` of dataset ``d``, or a created row's id."""

MAX_BATCH_ROWS = 100_000
"""The most rows one batch holds (the API refuses more; ``createBatches`` splits into batches of this size)."""
CREATED = 36**3 - 2
"""The id ``parent`` of created batches (seeded batches have a seeded project's index)."""
DEFAULT_PRIORITY = 5
LABELING, REVIEW, DONE = 0, 1, 2
"""Indices of a project's workflow queues (as ``projects`` lists them)."""

SDL = """
enum DeleteBatchLabelsType { RequeueData RequeueDataWithLabelAsTemplate }
input DeleteBatchLabelsInput { type: DeleteBatchLabelsType! }
input BatchWhereInput { id: ID }
input ConsensusSettingsInput { numberOfLabels: Int coveragePercentage: Float }
input CreateBatchInput { name: String! dataRowIds: [ID!] globalKeys: [ID!] priority: Int
  consensusSettings: ConsensusSettingsInput }
input CreateEmptyBatchInput { name: String! consensusSettings: ConsensusSettingsInput }
input AddDataRowsToBatchInput { batchId: ID! dataRowIds: [ID!] globalKeys: [ID!] priority: Int }
input CreateBatchesInput { batchNamePrefix: String! dataRowIds: [ID!] globalKeys: [ID!] priority: Int
  consensusSettings: ConsensusSettingsInput }
input CreateBatchesFromDatasetInput { batchNamePrefix: String! datasetId: ID! priority: Int
  consensusSettings: ConsensusSettingsInput }

type Batch { id: ID! name: String! size: Int createdAt: DateTime updatedAt: DateTime
  consensusSettingsJson: Json deleted: Boolean createdBy: User project: Project }
type BatchConnection { nodes: [Batch!]! pageInfo: PageInfo! }
type DeleteBatchLabelsResult { deletedLabelIds: [ID!]! }
type CreateBatchResult { batch: Batch! failedDataRowIds: [ID!]! }
type EmptyBatch { id: ID! }
type TaskIdResult { taskId: ID! }
type BatchTask { batchUuid: ID! taskId: ID! }
type CreateBatchesResult { tasks: [BatchTask!]! }
type DeleteBatchResult { deletedBatchId: ID! }
type DataRowsProcessedResult { allDataRowsHaveBeenProcessed: Boolean! }

extend type Project {
  batches(after: String, first: PageSize, where: BatchWhereInput): BatchConnection!
  deleteBatchLabels(batchId: ID!, data: DeleteBatchLabelsInput!): DeleteBatchLabelsResult!
  createBatchV2(input: CreateBatchInput!): CreateBatchResult!
  createEmptyBatch(input: CreateEmptyBatchInput!): EmptyBatch!
  addDataRowsToBatchAsync(input: AddDataRowsToBatchInput!): TaskIdResult!
  createBatches(input: CreateBatchesInput!): CreateBatchesResult!
  createBatchesFromDataset(input: CreateBatchesFromDatasetInput!): CreateBatchesResult!
  removeQueuedDataRowsFromBatch(batchId: ID!): Batch
  deleteBatch(batchId: ID!): DeleteBatchResult!
}
extend type Query {
  queryAllDataRowsHaveBeenProcessed(dataRowIds: [ID!], globalKeys: [ID!]): DataRowsProcessedResult!
}
"""


def done_event() -> threading.Event:
    """An event already set."""
    event = threading.Event()
    event.set()
    return event


@dataclass
class Entry:
    """A row's place in a project: its batch, its workflow queue and its labeling priority."""

    batch: str
    queue: int = LABELING
    batch_priority: int = DEFAULT_PRIORITY
    """The priority the row joined with (its batch's)."""
    override: int | None = None
    """The priority a labeling parameter override set, if any."""

    @property
    def priority(self) -> int:
        """The row's labeling priority: the override's, else its batch's."""
        return self.batch_priority if self.override is None else self.override


@dataclass
class BatchTask:
    """A task adding rows to one batch (``addDataRowsToBatchAsync``, ``createBatches``...)."""

    id: str
    user: int
    name: str
    created_at: float
    ready_at: float
    failed: list[str] = field(default_factory=list)
    """The ids (or global keys) that could not be added."""
    added: int = 0
    fatal: str | None = None
    """Why the whole task failed, if it did."""

    done: threading.Event = field(default_factory=done_event)
    """Set from the start: the work is done when the task is made (``Emulator.wait_task`` waits on it)."""

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.fatal is not None or (self.failed and not self.added) else "COMPLETE"

    def as_graphql(self, now: float) -> JSONDict:
        status = self.status(now)
        errors: Any = None
        if status == "FAILED":
            errors = json.dumps({"message": self.fatal or "No data row could be added", "failed": self.failed[:100]})
        elif self.failed and status == "COMPLETE":
            errors = json.dumps({"message": "Some data rows could not be added", "failed": self.failed[:100]})
        return {
            "id": self.id,
            "name": self.name,
            "type": "add-data-rows-to-batch",
            "status": status,
            "completionPercentage": 0.0 if status == "IN_PROGRESS" else 100.0,
            "createdAt": iso_ms(self.created_at),
            "updatedAt": iso_ms(max(self.created_at, min(now, self.ready_at))),
            # The SDK reads a failed batch task's error from ``result`` (it parses it as JSON).
            "result": None
            if status == "IN_PROGRESS"
            else errors
            if status == "FAILED"
            else json.dumps({"added": self.added}),
            "errors": errors,
            "metadata": None,
        }


class Batches(Resource):
    """Seeded and created batches of every project, and the rows each project holds through created ones."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.created: dict[str, JSONDict] = {}
        """Created batch id -> its record (``_project``: the project key; ``_rows``: its rows, in order;
        ``_seeded`` / ``_created``: its seeded rows counted by dataset, its created rows)."""
        self.rows: dict[int | str, dict[RowRef, Entry]] = {}
        """Project key -> the rows its created batches hold."""
        self.by_project: dict[int | str, list[str]] = {}
        """Project key -> the ids of its created batches, oldest first."""
        self._count = 0

    # ------------------------------------------------------------ lookups

    def row_ref(self, value: object, *, global_key: bool = False) -> RowRef | None:
        """The live row with id (or global key) ``value``, or None."""
        rows = self.backend.data_rows
        if global_key:
            if not isinstance(value, str):
                return None
            rid = rows.global_key_taken(value)
            return None if rid is None else rows.find_any(rid)
        return rows.find_any(value)

    def row_id(self, ref: RowRef) -> str:
        """The id of row ``ref``."""
        return ref if isinstance(ref, str) else self.world.row_id(*ref)

    def in_seeded_project(self, key: int | str, ref: RowRef) -> bool:
        """Whether ``ref`` is in project ``key`` through a seeded batch (row ``i`` of dataset ``p``)."""
        return isinstance(key, int) and isinstance(ref, tuple) and ref[0] == key

    def live(self, ref: RowRef) -> bool:
        """Whether row ``ref`` is still there (its dataset, or the row itself, may have been deleted since)."""
        if isinstance(ref, tuple):
            return self.backend.datasets.seeded_alive(ref[0])
        return self.backend.data_rows.find_any(ref) is not None

    def project_rows(self, key: int | str) -> dict[RowRef, Entry]:
        """The live rows project ``key`` holds through created batches, in the order they joined."""
        return {r: e for r, e in self.rows.get(key, {}).items() if self.live(r)}

    def _project(self, key: int | str) -> dict[RowRef, Entry]:
        return self.rows.setdefault(key, {})

    def project_has_row(self, key: int | str, ref: RowRef) -> bool:
        """Whether live row ``ref`` is in project ``key``: through a seeded batch, or a created one."""
        if self.in_seeded_project(key, ref):
            return self.live(ref)
        return ref in self.rows.get(key, {}) and self.live(ref)

    def find_created(self, key: int | str, batch_id: object) -> JSONDict | None:
        """The live created batch ``batch_id`` of project ``key``, or None."""
        record = self.created.get(str(batch_id))
        if record is None or record["_project"] != key or record["deleted"]:
            return None
        return record

    def _seeded(self, key: int | str, batch_id: object) -> int | None:
        if not isinstance(key, int):
            return None
        got = self.world.find(batch_id, K_BATCH)
        return got[1] if got is not None and got[0] == key else None

    # ------------------------------------------------------------ objects

    def size(self, record: JSONDict) -> int:
        """How many live rows created batch ``record`` holds."""
        seeded: int = sum(n for d, n in record["_seeded"].items() if n and self.backend.datasets.seeded_alive(d))
        return seeded + sum(1 for rid in record["_created"] if self.live(rid))

    def _add_to(self, record: JSONDict, ref: RowRef) -> None:
        record["_rows"][ref] = None
        if isinstance(ref, str):
            record["_created"][ref] = None
        else:
            record["_seeded"][ref[0]] += 1

    def _remove_from(self, record: JSONDict, ref: RowRef) -> None:
        del record["_rows"][ref]
        if isinstance(ref, str):
            del record["_created"][ref]
        else:
            record["_seeded"][ref[0]] -= 1

    def batch_obj(self, record: JSONDict) -> JSONDict:
        """Created batch ``record`` as a GraphQL object (``size`` is counted when it is asked for)."""
        obj: JSONDict = LazyDict(
            {k: v for k, v in record.items() if not k.startswith("_")}, {"size": lambda: self.size(record)}
        )
        key = record["_project"]
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["project"] = lambda info: self.backend.projects.obj(key) if self.backend.projects.table.has(key) else None
        return obj

    def seeded_obj(self, p: int, b: int) -> JSONDict:
        """Seeded batch ``b`` of project ``p`` as a GraphQL object."""
        obj = self.world.batch(p, b)
        obj.setdefault("deleted", False)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["project"] = lambda info: self.backend.projects.obj(p)
        return obj

    def created_of(self, key: int | str) -> list[JSONDict]:
        """The live created batches of project ``key``, oldest first."""
        return [r for bid in self.by_project.get(key, ()) if not (r := self.created[bid])["deleted"]]

    def batch_list(self, key: int | str) -> list[JSONDict]:
        """Every live batch of project ``key``, seeded ones first, then created ones oldest first."""
        out = [self.seeded_obj(key, b) for b in range(self.world.n_batches)] if isinstance(key, int) else []
        out.extend(self.batch_obj(r) for r in self.created_of(key))
        return out

    def connection(
        self, info: Info, key: int | str, after: str | None, first: int | None, where: JSONDict | None
    ) -> JSONDict:
        """One page of ``Project.batches`` after batch id ``after`` (or the one batch ``where.id`` names)."""
        if where and where.get("id") is not None:
            record = self.find_created(key, where["id"])
            b = self._seeded(key, where["id"])
            nodes = (
                [self.batch_obj(record)]
                if record is not None
                else [self.seeded_obj(key, b)]
                if b is not None and isinstance(key, int)
                else []
            )
            return {"nodes": nodes, "pageInfo": {"hasNextPage": False, "endCursor": None, "startCursor": None}}
        experimental_only(info, "batches", "Project")
        batches = self.batch_list(key)
        start = 0
        if after:
            ids = [b["id"] for b in batches]
            if after not in ids:
                raise not_found("batch", after)
            start = ids.index(after) + 1
        stop = len(batches) if first is None else min(len(batches), start + first)
        nodes = batches[start:stop]
        return {
            "nodes": nodes,
            "pageInfo": {
                "hasNextPage": stop < len(batches),
                "endCursor": nodes[-1]["id"] if nodes and stop < len(batches) else None,
                "startCursor": nodes[0]["id"] if nodes else None,
            },
        }

    # ------------------------------------------------------------ writes

    def _name_taken(self, key: int | str, name: str) -> bool:
        seeded = isinstance(key, int) and any(self.world.batch_name(b) == name for b in range(self.world.n_batches))
        return seeded or any(r["name"] == name for r in self.created_of(key))

    def new_batch(self, key: int | str, name: str, consensus: JSONDict | None) -> JSONDict:
        """An empty batch named ``name`` in project ``key`` (names are unique within a project)."""
        if not str(name or "").strip():
            raise bad_input("A batch name must not be blank")
        if self._name_taken(key, name):
            raise bad_input(f"A batch named {name!r} already exists in this project")
        self._count += 1
        stamp = iso_ms(self.backend.clock.now())
        record: JSONDict = {
            "id": self.world.ids.encode(K_BATCH, CREATED, self._count),
            "name": name,
            "createdAt": stamp,
            "updatedAt": stamp,
            "consensusSettingsJson": json.dumps(consensus) if consensus else None,
            "_consensus": dict(consensus or {}),
            "deleted": False,
            "_project": key,
            "_rows": {},
            "_seeded": Counter(),
            "_created": {},
        }
        self.created[record["id"]] = record
        self.by_project.setdefault(key, []).append(record["id"])
        return record

    def add_rows(
        self, key: int | str, record: JSONDict, ids: Iterable[object], *, global_keys: bool, priority: int | None
    ) -> tuple[int, list[str]]:
        """Add rows to batch ``record``: how many were added, and the ids (keys) that were not."""
        held = self._project(key)
        added, failed = 0, []
        prio = DEFAULT_PRIORITY if priority is None else int(priority)
        for value in ids:
            ref = self.row_ref(value, global_key=global_keys)
            if ref is None or (ref in held and self.live(ref)) or self.in_seeded_project(key, ref):
                failed.append(str(value))
                continue
            held[ref] = Entry(record["id"], batch_priority=prio)
            self._add_to(record, ref)
            added += 1
        if added:
            record["updatedAt"] = iso_ms(self.backend.clock.now())
            self._touch(key)
        return added, failed

    def add_to_queue(
        self, key: int | str, name: str, refs: list[RowRef], *, priority: int, queue: int
    ) -> JSONDict | None:
        """A new batch ``name`` of rows not yet in project ``key``, its rows put in workflow queue ``queue`` (what
        send to annotate makes); None when there is no row to add."""
        if not refs:
            return None
        record = self.new_batch(key, name, None)
        self.add_rows(key, record, [self.row_id(r) for r in refs], global_keys=False, priority=priority)
        held = self._project(key)
        for ref in record["_rows"]:
            held[ref].queue = queue
        return record

    def _touch(self, key: int | str) -> None:
        """Keep the project's ``dataRowCount`` in step with the rows its batches hold."""
        table = self.backend.projects.table
        if isinstance(key, str) and table.has(key):
            table.update(key, {"dataRowCount": len(self.rows.get(key, {}))})

    def _ids(self, data: JSONDict) -> tuple[list[Any], bool]:
        ids, keys = data.get("dataRowIds"), data.get("globalKeys")
        if ids and keys:
            raise bad_input("Give dataRowIds or globalKeys, not both")
        chosen = list(keys) if keys else list(ids or [])
        if len(chosen) > MAX_BATCH_ROWS:
            raise bad_input(f"A batch holds at most {MAX_BATCH_ROWS} data rows, got {len(chosen)}")
        return chosen, bool(keys)

    def create_sync(self, key: int | str, data: JSONDict) -> JSONDict:
        """``createBatchV2``: a batch of the given rows; the rows that could not join are listed."""
        ids, by_key = self._ids(data)
        if not ids:
            raise bad_input("A batch needs at least one data row")
        if all(self.row_ref(v, global_key=by_key) is None for v in ids):
            raise bad_input("None of the data rows exist: the batch was not created")
        record = self.new_batch(key, data.get("name") or "", data.get("consensusSettings"))
        _, failed = self.add_rows(key, record, ids, global_keys=by_key, priority=data.get("priority"))
        return {"batch": self.batch_obj(record), "failedDataRowIds": failed}

    def _task(self, name: str) -> BatchTask:
        backend = self.backend
        now = backend.clock.now()
        task = BatchTask(backend.tasks_resource.new_id(), 0, name, now, now + backend.settings.task_seconds)
        backend.tasks_resource.add(task)
        return task

    def add_async(self, key: int | str, data: JSONDict) -> JSONDict:
        """``addDataRowsToBatchAsync``: a task adding rows to an empty batch."""
        record = self.find_created(key, data.get("batchId"))
        if record is None:
            raise not_found("batch", data.get("batchId"))
        ids, by_key = self._ids(data)
        task = self._task("add-data-rows-to-batch")
        task.added, task.failed = self.add_rows(key, record, ids, global_keys=by_key, priority=data.get("priority"))
        return {"taskId": task.id}

    def create_many(self, key: int | str, prefix: str, refs: list[Any], data: JSONDict, by_key: bool) -> JSONDict:
        """Batches ``<prefix>0000``, ``<prefix>0001``... of up to :data:`MAX_BATCH_ROWS` rows, a task each."""
        if not str(prefix or "").strip():
            raise bad_input("A batch name prefix must not be blank")
        chunks = [refs[k : k + MAX_BATCH_ROWS] for k in range(0, len(refs), MAX_BATCH_ROWS)]
        names = [f"{prefix}{n:04d}" for n in range(len(chunks))]
        taken = [n for n in names if self._name_taken(key, n)]
        if taken:
            raise bad_input(f"A batch named {taken[0]!r} already exists in this project")
        tasks = []
        for name, chunk in zip(names, chunks, strict=True):
            record = self.new_batch(key, name, data.get("consensusSettings"))
            task = self._task("create-batches")
            task.added, task.failed = self.add_rows(
                key, record, chunk, global_keys=by_key, priority=data.get("priority")
            )
            tasks.append({"batchUuid": record["id"], "taskId": task.id})
        return {"tasks": tasks}

    def create_batches(self, key: int | str, data: JSONDict) -> JSONDict:
        """``createBatches``: the given rows, split into batches of up to 100,000."""
        ids = data.get("globalKeys") or data.get("dataRowIds") or []
        if data.get("dataRowIds") and data.get("globalKeys"):
            raise bad_input("Give dataRowIds or globalKeys, not both")
        if not ids:
            raise bad_input("createBatches needs at least one data row")
        return self.create_many(key, data.get("batchNamePrefix") or "", list(ids), data, bool(data.get("globalKeys")))

    def dataset_rows(self, dataset_id: object) -> list[RowRef]:
        """The live rows of dataset ``dataset_id`` (seeded or created)."""
        d = self.backend.datasets.find(dataset_id)
        if d is None:
            raise not_found("dataset", dataset_id)
        created: list[RowRef] = list(self.backend.data_rows.created_in(d))
        return created if isinstance(d, str) else [*((d, i) for i in range(self.world.n_rows)), *created]

    def create_from_dataset(self, key: int | str, data: JSONDict) -> JSONDict:
        """``createBatchesFromDataset``: the dataset's rows not yet in the project, in batches of up to 100,000."""
        held = self.project_rows(key)
        refs = [
            r for r in self.dataset_rows(data.get("datasetId")) if r not in held and not self.in_seeded_project(key, r)
        ]
        if not refs:
            raise bad_input("Every data row of this dataset is already in the project")
        return self.create_many(key, data.get("batchNamePrefix") or "", [self.row_id(r) for r in refs], data, False)

    def _batch_or_404(self, key: int | str, batch_id: object) -> JSONDict:
        record = self.find_created(key, batch_id)
        if record is None:
            if self._seeded(key, batch_id) is not None:
                raise bad_input("The batch was created with the project's data and cannot be changed here")
            raise not_found("batch", batch_id)
        return record

    def remove_queued(self, key: int | str, batch_id: object) -> JSONDict:
        """``removeQueuedDataRowsFromBatch``: rows still waiting in the labeling queue leave the batch and project."""
        record = self._batch_or_404(key, batch_id)
        held = self._project(key)
        for ref in [r for r in record["_rows"] if held[r].queue == LABELING]:
            self._remove_from(record, ref)
            del held[ref]
        record["updatedAt"] = iso_ms(self.backend.clock.now())
        self._touch(key)
        return self.batch_obj(record)

    def delete(self, key: int | str, batch_id: object) -> JSONDict:
        """``deleteBatch``: the batch and its rows leave the project."""
        record = self._batch_or_404(key, batch_id)
        held = self._project(key)
        for ref in record["_rows"]:
            held.pop(ref, None)
        record["_rows"], record["_seeded"], record["_created"] = {}, Counter(), {}
        record["deleted"] = True
        self._touch(key)
        return {"deletedBatchId": record["id"]}

    def delete_labels(self, info: Info, key: int | str, batch_id: str, data: JSONDict) -> JSONDict:
        """``deleteBatchLabels``: delete the batch's live labels (as templates on request)."""
        experimental_only(info, "deleteBatchLabels", "Project")
        if self.find_created(key, batch_id) is not None:
            return {"deletedLabelIds": []}  # rows of a created batch have no labels yet
        b = self._seeded(key, batch_id)
        if b is None or not isinstance(key, int):
            raise not_found("batch", batch_id)
        deletions = self.backend.labels.deletions
        size = self.world.config.batch_size
        template = data.get("type") == "RequeueDataWithLabelAsTemplate"
        lo, hi = b * size, min(self.world.n_rows, (b + 1) * size)
        deleted = [i for i in list(deletions.alive(key, lo, hi)) if deletions.delete(key, i, template=template)]
        return {"deletedLabelIds": [self.world.label_id(key, i) for i in deleted]}

    # ------------------------------------------------------------ exports

    def export_lines(
        self, key: int | str, params: JSONDict, keep: Callable[[str, str | None, str, str], bool]
    ) -> tuple[int, Callable[[], Iterator[JSONDict]]]:
        """How many rows project ``key`` holds through created batches, and a generator of their export lines.

        ``keep(row_id, global_key, batch_id, workflow_status)`` filters them.
        """
        held = dict(self.project_rows(key))
        imported = self.backend.imports.export_snapshot(key, params) if held else {}
        projects = self.backend.projects
        record = projects.table.get(key)
        rows = self.backend.data_rows
        workflow = self.backend.workflow

        def lines() -> Iterator[JSONDict]:
            for ref, entry in held.items():
                if isinstance(ref, str):
                    if not rows.created.has(ref):
                        continue
                    gk = rows.created.get(ref).get("globalKey")
                    line = rows.export_line(ref, params)
                else:
                    gk = rows.seeded_value(*ref, "globalKey")
                    line = rows.seeded_export_line(ref[0], ref[1], params)
                status = workflow.status(entry)
                if not keep(self.row_id(ref), gk, entry.batch, status):
                    continue
                section: JSONDict = {"name": record["name"], "labels": imported.get(self.row_id(ref), [])}
                if params.get("includeProjectDetails"):
                    batch = self.created[entry.batch]
                    section["project_details"] = {
                        "ontology_id": self.backend.ontologies.project_ontology.get(key),
                        "task_name": workflow.queue_name(entry.queue),
                        "batch_id": batch["id"],
                        "batch_name": batch["name"],
                        "priority": entry.priority,
                        "consensus_expected_label_count": int(batch["_consensus"].get("numberOfLabels") or 1),
                        "workflow_history": [],
                        "workflow_status": status,
                        "selected_label_id": None,  # a created project's rows have no labels yet
                    }
                line["projects"] = {record["id"]: section}
                yield line

        return len(held), lines

    # ------------------------------------------------------------ wiring

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        k: int | str = key
        obj["batches"] = lambda info, after=None, first=None, where=None: self.connection(info, k, after, first, where)
        obj["deleteBatchLabels"] = lambda info, batchId, data: self.delete_labels(info, k, batchId, data)
        obj["createBatchV2"] = lambda info, input: self.create_sync(k, input)
        obj["createEmptyBatch"] = lambda info, input: {
            "id": self.new_batch(k, input.get("name") or "", input.get("consensusSettings"))["id"]
        }
        obj["addDataRowsToBatchAsync"] = lambda info, input: self.add_async(k, input)
        obj["createBatches"] = lambda info, input: self.create_batches(k, input)
        obj["createBatchesFromDataset"] = lambda info, input: self.create_from_dataset(k, input)
        obj["removeQueuedDataRowsFromBatch"] = lambda info, batchId: self.remove_queued(k, batchId)
        obj["deleteBatch"] = lambda info, batchId: self.delete(k, batchId)

    def root(self) -> dict[str, Resolver]:
        def processed(info: Info, dataRowIds: list[str] | None = None, globalKeys: list[str] | None = None) -> Any:
            return {"allDataRowsHaveBeenProcessed": True}

        return {"queryAllDataRowsHaveBeenProcessed": processed}
