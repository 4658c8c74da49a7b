"""Workflow of a project: its task queues with their row counts (``Project.taskQueues``), moving rows to a queue
(``createBulkAddRowsToQueueTask``, a task), labeling priorities (``setLabelingParameterOverrides``,
``createQueuePriorityUpdateTask``, ``unsetLabelingParameterOverrides``, ``labelingParameterOverrides``) and the
overview counts (``workstreamStateCounts``, ``completedDataRowCount``, ``issues``), extending the caller's
reservations (``extendReservations``) and whether labelers see predictions (``Project.showPredictionsToLabelers``),
as the official SDK 7.17 asks.

State: none of its own. It works on the rows a project holds through created batches (``batches.rows``: each
row's queue and priority). Rows of seeded batches keep their generated workflow status and are counted, but
cannot be moved or re-prioritized here. Reservations are not modelled: no one holds any, so extending them
extends 0. The predictions flag of each project is kept here (off until set).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .._data import JSONDict
from .._ids import iso_ms
from ._base import Resolver, Resource, bad_input, not_found, page
from .batches import DONE, LABELING, REVIEW, Entry, RowRef, done_event
from .projects import QUEUES

STATUS = {LABELING: "TO_LABEL", REVIEW: "IN_REVIEW", DONE: "DONE"}
"""The export ``workflow_status`` of a row in each queue."""
STATES = ("All", "Unlabeled", "InReview", "InRework", "Skipped", "Done", "Labeled", "NotInTaskQueue")
"""The states of ``workstreamStateCounts``, in the API's order."""
_SEEDED_STATE = {"TO_LABEL": "Unlabeled", "IN_REVIEW": "InReview", "IN_REWORK": "InRework", "DONE": "Done"}
MAX_PRIORITY_ROWS = 1_000_000
"""The most rows one ``createQueuePriorityUpdateTask`` takes."""
INT32 = (-(2**31), 2**31 - 1)

SDL = """
input LabelingParameterOverrideWithDataRowIdentifierInput { dataRowIdentifier: DataRowIdentifierInput!
  priority: Int! numberOfLabels: Int }
input UnsetLabelingParameterOverrideInput { dataRowId: ID! }
input AddRowsToTaskQueueViaDataRowIdentifiersInput { ids: [ID!]! idType: IdType! }
input QueuePriorityUpdateDataRowIdentifiersInput { ids: [ID!]! idType: IdType! }
input CreateBulkAddRowsToQueueTaskInput { queueId: ID
  dataRowIdentifiers: AddRowsToTaskQueueViaDataRowIdentifiersInput! }
input CreateQueuePriorityUpdateTaskInput { priority: Int!
  dataRowIdentifiers: QueuePriorityUpdateDataRowIdentifiersInput }
input DataRowCountQueryInput { searchQuery: SearchQueryInput }

type SuccessResult { success: Boolean! }
type WorkflowTaskResult { taskId: ID! }
type WorkstreamStateCount { state: String! count: Int! }
type ProjectIssues { totalCount: Int! }
type ProjectShowPredictions { id: ID! showingPredictionsToLabelers: Boolean! }
enum ReservationQueueType { LabelingQueue ReviewQueue }
type LabelingParameterOverride { id: ID! priority: Int! numberOfLabels: Int dataRow: DataRow }

extend type Project {
  setLabelingParameterOverrides(dataWithDataRowIdentifiers: [LabelingParameterOverrideWithDataRowIdentifierInput!]!):
    SuccessResult!
  unsetLabelingParameterOverrides(data: [UnsetLabelingParameterOverrideInput!]!): SuccessResult!
  labelingParameterOverrides(skip: Int, first: PageSize): [LabelingParameterOverride!]!
  createQueuePriorityUpdateTask(data: CreateQueuePriorityUpdateTaskInput!): WorkflowTaskResult!
  createBulkAddRowsToQueueTask(data: CreateBulkAddRowsToQueueTaskInput!): WorkflowTaskResult!
  workstreamStateCounts(batchIds: [String!]): [WorkstreamStateCount!]!
  completedDataRowCount: Int!
  issues: ProjectIssues
  showPredictionsToLabelers(show: Boolean!): ProjectShowPredictions!
  showingPredictionsToLabelers: Boolean!
}
extend type Mutation { extendReservations(projectId: ID!, queueType: ReservationQueueType!): Int! }
"""


@dataclass
class WorkflowTask:
    """A queue move or a bulk priority update: done at once, reported when the task's time is up."""

    id: str
    user: int
    name: str
    kind: str
    created_at: float
    ready_at: float
    failed: list[str] = field(default_factory=list)
    """The identifiers that named no row of the project (then nothing changed)."""
    changed: int = 0

    done: threading.Event = field(default_factory=done_event)
    """Set from the start: the work is done when the task is made (``Emulator.wait_task`` waits on it)."""

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.failed else "COMPLETE"

    def as_graphql(self, now: float) -> JSONDict:
        status = self.status(now)
        errors = None
        if status == "FAILED":
            errors = json.dumps(
                {"message": "Data rows not found in the project", "failedDataRowIdentifiers": self.failed[:100]}
            )
        return {
            "id": self.id,
            "name": self.name,
            "type": self.kind,
            "status": status,
            "completionPercentage": 0.0 if status == "IN_PROGRESS" else 100.0,
            "createdAt": iso_ms(self.created_at),
            "updatedAt": iso_ms(max(self.created_at, min(now, self.ready_at))),
            # The SDK reads a failed queue move's error from ``result`` (it parses it as JSON).
            "result": errors
            if status == "FAILED"
            else None
            if status != "COMPLETE"
            else json.dumps({"updated": self.changed}),
            "errors": errors,
            "metadata": None,
        }


class Workflow(Resource):
    """Task queues, queue moves, priorities and overview counts of every project."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.show_predictions: dict[int | str, bool] = {}
        """Project key -> whether its labelers see predictions (absent: off)."""

    # ------------------------------------------------------------ reading

    def status(self, entry: Entry) -> str:
        """The export ``workflow_status`` of a row held through a created batch."""
        return STATUS[entry.queue]

    def queue_name(self, queue: int) -> str:
        """The name of queue ``queue``."""
        return QUEUES[queue][0]

    def _rows(self, key: int | str, batch_ids: Iterable[str] | None) -> dict[RowRef, Entry]:
        rows = self.backend.batches.project_rows(key)
        if batch_ids is None:
            return rows
        wanted = set(batch_ids)
        return {r: e for r, e in rows.items() if e.batch in wanted}

    def _seeded_states(self, key: int | str, batch_ids: Iterable[str] | None) -> Counter[str]:
        """The states of the rows of a seeded project's seeded batches."""
        states: Counter[str] = Counter()
        if not isinstance(key, int):
            return states
        w = self.world
        size = w.config.batch_size
        wanted = None if batch_ids is None else set(batch_ids)
        deletions = self.backend.labels.deletions
        for i in range(w.n_rows):
            if wanted is not None and w.batch_id(key, i // size) not in wanted:
                continue
            alive = not deletions.is_deleted(key, i)
            status = w.workflow_status(key, i) if alive else "TO_LABEL"
            states[_SEEDED_STATE[status]] += 1
            if alive:
                states["Labeled"] += 1
                if w.label_meta(key, i).skipped:
                    states["Skipped"] += 1
        return states

    def states(self, key: int | str, batch_ids: Iterable[str] | None = None) -> dict[str, int]:
        """``workstreamStateCounts``: how many rows are in each state (``batch_ids`` limits them)."""
        ids = None if batch_ids is None else list(batch_ids)
        states = self._seeded_states(key, ids)
        for entry in self._rows(key, ids).values():
            states[{LABELING: "Unlabeled", REVIEW: "InReview", DONE: "Done"}[entry.queue]] += 1
        states["All"] = states["Unlabeled"] + states["InReview"] + states["InRework"] + states["Done"]
        return {s: states[s] for s in STATES}

    def queues(self, key: int | str) -> list[JSONDict]:
        """``Project.taskQueues``, each with ``dataRowCount`` (optionally limited by a batch search filter)."""
        out = []
        counts = self.queue_counts(key, None)
        for q, queue in enumerate(self.backend.projects.task_queues(key)):
            queue["dataRowCount"] = lambda info, input=None, q=q: (
                counts if _batch_filter(input) is None else self.queue_counts(key, input)
            )[q]
            queue["rowCount"] = counts[q]
            out.append(queue)
        return out

    def queue_counts(self, key: int | str, count_input: JSONDict | None) -> list[int]:
        """How many rows wait in each queue of project ``key`` (of the batches ``count_input`` names, if any)."""
        states = self.states(key, _batch_filter(count_input))
        return [states["Unlabeled"], states["InReview"], states["Done"]]

    def overrides(self, key: int | str) -> list[JSONDict]:
        """``labelingParameterOverrides``: the rows whose priority an override set."""
        rows = self.backend.data_rows
        out = []
        for ref, entry in self.backend.batches.project_rows(key).items():
            if entry.override is None:
                continue
            row_id = self.backend.batches.row_id(ref)
            out.append(
                {
                    "id": self.world.ids.opaque("lpo", self.backend.projects.table.get(key)["id"], row_id),
                    "priority": entry.override,
                    "numberOfLabels": 1,
                    "dataRow": lambda info, ref=ref: rows.any_obj(ref),
                }
            )
        return out

    # ------------------------------------------------------------ writes

    def _resolve(self, key: int | str, ids: list[Any], id_type: str) -> tuple[list[Entry], list[str]]:
        """The entries of the rows ``ids`` name in project ``key``, and the identifiers that name none."""
        batches = self.backend.batches
        held = batches.project_rows(key)
        found, failed = [], []
        for value in ids:
            ref = batches.row_ref(value, global_key=id_type == "GKEY")
            entry = None if ref is None else held.get(ref)
            if entry is None:
                failed.append(str(value))
            else:
                found.append(entry)
        return found, failed

    def _task(self, name: str, kind: str) -> WorkflowTask:
        backend = self.backend
        now = backend.clock.now()
        task = WorkflowTask(backend.tasks_resource.new_id(), 0, name, kind, now, now + backend.settings.task_seconds)
        backend.tasks_resource.add(task)
        return task

    def move(self, key: int | str, data: JSONDict) -> JSONDict:
        """``createBulkAddRowsToQueueTask``: move rows to queue ``queueId`` (None: Done); all or nothing."""
        queue_id = data.get("queueId")
        ids = [q["id"] for q in self.backend.projects.task_queues(key)]
        if queue_id is None:
            target = DONE
        elif queue_id in ids:
            target = ids.index(queue_id)
        else:
            raise not_found("task queue", queue_id)
        identifiers = data.get("dataRowIdentifiers") or {}
        found, failed = self._resolve(key, list(identifiers.get("ids") or []), str(identifiers.get("idType")))
        task = self._task("Add rows to task queue", "send-to-task-queue")
        task.failed = failed
        if not failed:
            for entry in found:
                entry.queue = target
            task.changed = len(found)
        return {"taskId": task.id}

    def set_overrides(self, key: int | str, items: list[JSONDict]) -> JSONDict:
        """``setLabelingParameterOverrides``: set each row's priority; refused whole if a row is not in the project."""
        entries = []
        for index, item in enumerate(items):
            ident = item.get("dataRowIdentifier") or {}
            found, failed = self._resolve(key, [ident.get("id")], str(ident.get("idType")))
            if failed:
                raise bad_input(f"dataWithDataRowIdentifiers[{index}]: data row {failed[0]!r} is not in this project")
            _check_priority(item.get("priority"), f"dataWithDataRowIdentifiers[{index}].priority")
            entries.append((found[0], int(item["priority"])))
        for entry, priority in entries:
            entry.override = priority
        return {"success": True}

    def unset_overrides(self, key: int | str, items: list[JSONDict]) -> JSONDict:
        """``unsetLabelingParameterOverrides``: the rows take their batch's priority again."""
        found, failed = self._resolve(key, [item.get("dataRowId") for item in items], "ID")
        if failed:
            raise bad_input(f"Data row {failed[0]!r} is not in this project")
        for entry in found:
            entry.override = None
        return {"success": True}

    def bulk_priority(self, key: int | str, data: JSONDict) -> JSONDict:
        """``createQueuePriorityUpdateTask``: one priority for many rows (up to 1,000,000); all or nothing."""
        _check_priority(data.get("priority"), "priority")
        identifiers = data.get("dataRowIdentifiers") or {}
        ids = list(identifiers.get("ids") or [])
        if len(ids) > MAX_PRIORITY_ROWS:
            raise bad_input(f"At most {MAX_PRIORITY_ROWS} data rows per priority update, got {len(ids)}")
        found, failed = self._resolve(key, ids, str(identifiers.get("idType")))
        task = self._task("Update queue priority", "queue-priority-update")
        task.failed = failed
        if not failed:
            for entry in found:
                entry.override = int(data["priority"])
            task.changed = len(found)
        return {"taskId": task.id}

    # ------------------------------------------------------------ wiring

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        k: int | str = key
        obj["taskQueues"] = lambda info: self.queues(k)
        obj["setLabelingParameterOverrides"] = lambda info, dataWithDataRowIdentifiers: self.set_overrides(
            k, dataWithDataRowIdentifiers
        )
        obj["unsetLabelingParameterOverrides"] = lambda info, data: self.unset_overrides(k, data)
        obj["labelingParameterOverrides"] = lambda info, skip=0, first=None: page(self.overrides(k), skip, first)
        obj["createQueuePriorityUpdateTask"] = lambda info, data: self.bulk_priority(k, data)
        obj["createBulkAddRowsToQueueTask"] = lambda info, data: self.move(k, data)
        obj["workstreamStateCounts"] = lambda info, batchIds=None: [
            {"state": s, "count": n} for s, n in self.states(k, batchIds).items()
        ]
        obj["completedDataRowCount"] = lambda info: self.states(k)["Done"]
        obj["issues"] = lambda info: {"totalCount": 0}
        obj["showPredictionsToLabelers"] = lambda info, show: self.set_show_predictions(k, show)
        obj["showingPredictionsToLabelers"] = lambda info: self.show_predictions.get(k, False)

    def set_show_predictions(self, key: int | str, show: bool) -> JSONDict:
        """``showPredictionsToLabelers``: turn model-assisted labeling on or off for project ``key``."""
        self.show_predictions[key] = bool(show)
        return {"id": self.backend.projects.table.get(key)["id"], "showingPredictionsToLabelers": bool(show)}

    def extend_reservations(self, project_id: object, queue_type: str) -> int:
        """``extendReservations``: how many of the caller's reservations in the queue were extended (none are held)."""
        if self.backend.projects.find_key(project_id) is None:
            raise not_found("project", project_id)
        return 0

    def root(self) -> dict[str, Resolver]:
        return {"extendReservations": lambda info, projectId, queueType: self.extend_reservations(projectId, queueType)}


def _check_priority(value: object, where: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not INT32[0] <= value <= INT32[1]:
        raise bad_input(f"{where}: a priority is a 32-bit integer, got {value!r}")


def _batch_filter(count_input: JSONDict | None) -> list[str] | None:
    """The batch ids of a ``DataRowCountQueryInput``'s search query, or None when it names none."""
    query = ((count_input or {}).get("searchQuery") or {}).get("query") or []
    ids: list[str] | None = None
    for item in query:
        if isinstance(item, dict) and item.get("type") == "batch":
            ids = (ids or []) + [str(v) for v in item.get("ids") or []]
    return ids
