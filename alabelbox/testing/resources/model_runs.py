"""Model runs: a model's runs, their data rows, labels, predictions and data splits; their export; and sending
their rows to a project for annotation.

The requests are the official SDK's: ``createModelRun``, ``modelRun``, ``Model.modelRuns``, ``deleteModelRuns``,
``updateModelRunConfig`` / ``resetModelRunConfig``, the registration tasks
(``createMEAModelRunDataRowRegistrationTask``, ``createMEAModelRunLabelRegistrationTask``,
``createMEAModelRunProjectLabelRegistrationTask``) polled through
``MEADataRowRegistrationTaskStatus`` / ``MEALabelRegistrationTaskStatus``, the data-split task
(``createAssignDataRowsToDataSplitTask`` and ``assignDataRowsToDataSplitTaskStatus``, experimental endpoint only),
``annotationGroups`` (a run's data rows, by cursor), ``deleteModelRunDataRows``, ``updateTrainingPipeline``
(experimental), ``modelFoundryModelRunInfo`` (of the runs of Foundry apps; not found for others),
``exportDataRowsInModelRun`` and ``sendToAnnotateFromMea``.

State: a :class:`~alabelbox.testing._store.Table` of runs and, per run, its data rows in the order they were added
(:class:`RunRow`: the row, its labels, its predictions, its split). Registration and split tasks are
:class:`RunTask` records, registered with ``tasks`` too. Writes that name rows or labels the emulator does not know
apply to the ones it knows and end FAILED with an ``errorMessage`` that names every unknown one; nothing is added
twice. What was sent to annotate is kept in :attr:`ModelRuns.sent`; the rows join the destination project as a
batch, their predictions its pre-labels (``alabelbox.testing._send``, shared with the catalog's send).

Other resources reach a run through :meth:`ModelRuns.find` (the :class:`RunRecord`, or None) and add predictions
with :meth:`ModelRuns.add_predictions` (which adds the row to the run if it is not there yet), so what they wrote
shows in the run's export. Which labels a run can take is asked of :meth:`ModelRuns.find_label` and
:meth:`ModelRuns.project_labels` (seeded labels today): labels created elsewhere are added there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .._data import JSONDict
from .._exports import ExportInputError, Selection, check_params, write_export
from .._ids import iso_ms
from .._packed import unpack
from .._send import send_to_annotate
from .._store import Table
from ._base import ApiError, Info, Resolver, Resource, bad_input, experimental_only, not_found, page

K_RUN, K_RUN_ROW = "k", "g"
"""Id kinds of model runs and of model-run data rows."""
CREATED = 36**3 - 1
"""The id ``parent`` of created model runs."""
SPLITS = ("TRAINING", "VALIDATION", "TEST", "UNASSIGNED")
"""The data splits a run's row can be in."""
PIPELINE_STATUSES = ("EXPORTING_DATA", "PREPARING_DATA", "TRAINING_MODEL", "COMPLETE", "FAILED")
"""What ``updateTrainingPipeline`` takes: where the training pipeline of a run is."""

SDL = """
enum DataSplit { TRAINING VALIDATION TEST UNASSIGNED }

input ModelRunCreateInput { name: String! trainingMetadata: Json modelId: ID! }
input ModelRunIdsWhereInput { ids: [ID!]! }
input UpdateModelRunConfigInput { config: Json! }
input ModelRunDataRowRegistrationInput { dataRowIds: [ID!] globalKeys: [ID!] }
input ModelRunLabelRegistrationInput { labelIds: [ID!]! }
input ModelRunProjectWhereInput { modelRunId: ID! projectId: ID! }
input DeleteModelRunDataRowsWhereInput { modelRunId: ID! dataRowIds: [ID!]! }
input DataSplitAssignmentInput { split: DataSplit! dataRowIds: [ID!] globalKeys: [ID!] }
input CreateAssignDataRowsToDataSplitTaskInput { assignments: [DataSplitAssignmentInput!]! }
input UpdateTrainingPipelineInput { status: String! errorMessage: String metadata: Json }
input AnnotationGroupWhereInput { modelRunId: WhereUniqueIdInput! }
input ModelRunExportFilters { modelRunId: ID! }
input ExportDataRowsInModelRunInput { taskName: String isStreamableReady: Boolean
  filters: ModelRunExportFilters! params: ExportParams streamable: Boolean }
input SendToAnnotateBatchInput { batchName: String! batchPriority: Int }
input SendToAnnotateTaskQueueInput { type: String! value: ID }
input SendToAnnotatePredictionsInput { featureSchemaIdsMapping: Json modelRunId: ID!
  minConfidence: Float maxConfidence: Float }
input SendToAnnotateFromMeaInput { destinationProjectId: ID! batchInput: SendToAnnotateBatchInput!
  destinationTaskQueue: SendToAnnotateTaskQueueInput excludeDataRowsInProject: Boolean annotationsInput: Json
  predictionsInput: SendToAnnotatePredictionsInput conflictLabelsResolutionStrategy: String
  searchQuery: [Json!]! sourceModelRunId: ID! }

type ModelRun { id: ID! name: String! modelId: ID! createdAt: DateTime updatedAt: DateTime createdBy: String
  trainingMetadata: Json modelAppId: ID }
type ModelRunConfig { trainingMetadata: Json }
type TrainingPipeline { status: String! errorMessage: String metadata: Json }
type ModelRunTaskStatus { status: String! errorMessage: String }
type AnnotationGroup { id: ID! modelRunId: ID! dataSplit: DataSplit labelId: ID dataRow: DataRow }
type AnnotationGroupConnection { nodes: [AnnotationGroup!]! pageInfo: PageInfo! }
type SendToAnnotateResult { taskId: ID! }
type ModelFoundryModelRunInfo { cost: Float status: String totalDataRows: Int }
input ModelFoundryModelRunInfoWhereInput { modelRunId: ID! }

extend type Model { modelRuns(skip: Int, first: PageSize): [ModelRun!]! }

extend type Query {
  modelRun(where: WhereUniqueIdInput!): ModelRun
  annotationGroups(where: AnnotationGroupWhereInput!, after: String, first: Int): AnnotationGroupConnection!
  MEADataRowRegistrationTaskStatus(where: WhereUniqueIdInput!): ModelRunTaskStatus
  MEALabelRegistrationTaskStatus(where: WhereUniqueIdInput!): ModelRunTaskStatus
  assignDataRowsToDataSplitTaskStatus(where: WhereUniqueIdInput!): ModelRunTaskStatus
  modelFoundryModelRunInfo(where: ModelFoundryModelRunInfoWhereInput!): ModelFoundryModelRunInfo
}
extend type Mutation {
  createModelRun(data: ModelRunCreateInput!): ModelRun!
  deleteModelRuns(where: ModelRunIdsWhereInput!): Boolean
  updateModelRunConfig(modelRun: WhereUniqueIdInput!, data: UpdateModelRunConfigInput!): ModelRunConfig!
  resetModelRunConfig(modelRun: WhereUniqueIdInput!): ModelRunConfig!
  updateTrainingPipeline(modelRun: WhereUniqueIdInput!, data: UpdateTrainingPipelineInput!): TrainingPipeline!
  createMEAModelRunDataRowRegistrationTask(where: WhereUniqueIdInput!, data: ModelRunDataRowRegistrationInput!): ID!
  createMEAModelRunLabelRegistrationTask(where: WhereUniqueIdInput!, data: ModelRunLabelRegistrationInput!): ID!
  createMEAModelRunProjectLabelRegistrationTask(where: ModelRunProjectWhereInput!): ID!
  deleteModelRunDataRows(where: DeleteModelRunDataRowsWhereInput!): Boolean
  createAssignDataRowsToDataSplitTask(modelRun: WhereUniqueIdInput!,
    data: CreateAssignDataRowsToDataSplitTaskInput!): ID!
  exportDataRowsInModelRun(input: ExportDataRowsInModelRunInput!): ExportTaskResult!
  sendToAnnotateFromMea(input: SendToAnnotateFromMeaInput!): SendToAnnotateResult!
}
"""

RowKey = tuple[int, int] | str
"""A data row as ``data_rows`` finds it: ``(dataset, index)`` for a seeded row, the id of a created one."""
LabelRef = tuple[int, int] | JSONDict
"""A label in a run: ``(project, index)`` of a seeded label, or the export v2 label itself."""


@dataclass
class RunRow:
    """One data row of a model run (an annotation group)."""

    id: str
    data_row_id: str
    key: RowKey
    labels: dict[str, LabelRef] = field(default_factory=dict)
    """Label id -> the label, in the order they were added."""
    predictions: list[JSONDict] = field(default_factory=list)
    """Export v2 labels (``annotations`` etc.) of the model's predictions."""
    split: str = "UNASSIGNED"
    removed: bool = False
    """Taken out of the run (``deleteModelRunDataRows``); kept so that a cursor naming it still works."""


@dataclass
class RunRecord:
    """A model run's rows, by data row id, in the order they were added."""

    id: str
    model_id: str
    rows: dict[str, RunRow] = field(default_factory=dict)
    """The rows in the run, by data row id."""
    order: list[RunRow] = field(default_factory=list)
    """Every row ever added, removed ones included, in the order they were added (what the cursor walks)."""
    positions: dict[str, int] = field(default_factory=dict)
    """Row id -> its index in :attr:`order`."""
    serial: int = 0


@dataclass
class RunTask:
    """A registration, split or send-to-annotate task: it ends at ``ready_at``, FAILED if ``error`` is set."""

    id: str
    name: str
    kind: str
    created_at: float
    ready_at: float
    error: str | None = None
    result: Any = None
    user: int = 0
    done: threading.Event = field(default_factory=lambda: _set(threading.Event()))
    """Set: the task's work is done when it is created (``Emulator.wait_task`` waits on it, as on an export's)."""

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.error is not None else "COMPLETE"

    def status_obj(self, now: float) -> JSONDict:
        """The ``{status errorMessage}`` answer of the task's status query."""
        status = self.status(now)
        return {"status": status, "errorMessage": self.error if status == "FAILED" else None}

    def as_graphql(self, now: float) -> JSONDict:
        status = self.status(now)
        done = status != "IN_PROGRESS"
        return {
            "id": self.id,
            "name": self.name,
            "type": self.kind,
            "status": status,
            "completionPercentage": 100.0 if done else 0.0,
            "createdAt": iso_ms(self.created_at),
            "updatedAt": iso_ms(self.ready_at if done else self.created_at),
            "errors": self.error if status == "FAILED" else None,
            "result": self.result if done else None,
            "metadata": None,
        }


def _set(event: threading.Event) -> threading.Event:
    event.set()
    return event


def _missing_message(what: str, missing: list[str], total: int) -> str:
    return f"{len(missing)} of {total} {what} not found: {', '.join(missing)}"


class ModelRuns(Resource):
    """Model runs over a writable table; each run's rows in a :class:`RunRecord`."""

    SDL = SDL
    EXTENDS = frozenset({"Model"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.table = Table(lambda k: {}, 0)
        self.records: dict[str, RunRecord] = {}
        self.sent: list[JSONDict] = []
        """What ``sendToAnnotateFromMea`` sent: project id, batch, priority, queue, data row ids, predictions."""
        self._serial = 0
        self._lock = threading.Lock()

    # ------------------------------------------------------------ lookups

    def find(self, value: object) -> RunRecord | None:
        """The live run with id ``value`` (its rows), or None."""
        if isinstance(value, str) and self.table.has(value):
            return self.records[value]
        return None

    def _run_or_404(self, value: object) -> RunRecord:
        run = self.find(value)
        if run is None:
            raise not_found("model run", value)
        return run

    def obj(self, key: str) -> JSONDict:
        """Run ``key`` as a GraphQL object."""
        return self.table.get(key)

    def of_model(self, model_id: str) -> list[str]:
        """Ids of the live runs of model ``model_id``, oldest first."""
        return [k for k in self.table.keys() if isinstance(k, str) and self.records[k].model_id == model_id]

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        model_id: str = key
        obj["modelRuns"] = lambda info, skip=0, first=None: [
            self.obj(k) for k in page(self.of_model(model_id), skip, first)
        ]

    def resolve_rows(
        self, data_row_ids: Iterable[Any] | None, global_keys: Iterable[Any] | None
    ) -> tuple[list[tuple[str, RowKey]], list[str]]:
        """``(found, missing)``: ``(data row id, key)`` of every live row named, once each, and the names not found."""
        rows = self.backend.data_rows
        found: dict[str, RowKey] = {}
        missing: list[str] = []
        for value in data_row_ids or ():
            key = rows.find_any(value)
            if key is None:
                missing.append(str(value))
            else:
                found.setdefault(str(value), key)
        for value in global_keys or ():
            rid = rows.global_key_taken(value) if isinstance(value, str) else None
            key = rows.find_any(rid) if rid is not None else None
            if rid is None or key is None:
                missing.append(str(value))
            else:
                found.setdefault(rid, key)
        return list(found.items()), missing

    def _row(self, run: RunRecord, data_row_id: str, key: RowKey) -> RunRow:
        row = run.rows.get(data_row_id)
        if row is None:
            run.serial += 1
            parent = self.world.ids.decode(run.id, K_RUN)
            row = RunRow(self.world.ids.encode(K_RUN_ROW, parent[1] if parent else 0, run.serial), data_row_id, key)
            run.rows[data_row_id] = row
            run.positions[row.id] = len(run.order)
            run.order.append(row)
        return row

    def live_rows(self, run: RunRecord) -> list[RunRow]:
        """The run's rows whose data row still exists, in the order they were added."""
        rows = self.backend.data_rows
        return [r for r in list(run.rows.values()) if rows.find_any(r.data_row_id) is not None]

    # ------------------------------------------------------------ writes

    def create(self, model_id: str, name: str, training_metadata: Any) -> str:
        """Create a run of model ``model_id``; its id."""
        if self.backend.models.find(model_id) is None:
            raise not_found("model", model_id)
        if not name.strip():
            raise bad_input("A model run name must not be blank")
        if training_metadata is not None and not isinstance(training_metadata, dict):
            raise bad_input("trainingMetadata must be a JSON object")
        with self._lock:
            self._serial += 1
            serial = self._serial
        stamp = iso_ms(self.backend.clock.now())
        rid = self.world.ids.encode(K_RUN, CREATED, serial)
        self.records[rid] = RunRecord(rid, model_id)
        return self.table.create(
            {
                "id": rid,
                "name": name,
                "modelId": model_id,
                "createdAt": stamp,
                "updatedAt": stamp,
                "createdBy": self.world.user(0)["id"],
                "trainingMetadata": training_metadata,
                "modelAppId": None,
                "trainingPipeline": None,
            }
        )

    def delete(self, ids: list[str]) -> bool:
        """Delete the runs ``ids``; an unknown id is RESOURCE_NOT_FOUND and deletes nothing."""
        for rid in ids:
            self._run_or_404(rid)
        for rid in ids:
            self.table.delete(rid)
        return True

    def delete_of_model(self, model_id: str) -> None:
        """Delete every run of model ``model_id`` (the model is being deleted)."""
        for rid in self.of_model(model_id):
            self.table.delete(rid)

    def set_config(self, run_id: str, config: Any, *, merge: bool) -> JSONDict:
        """Merge ``config`` into the run's training metadata (or reset it with ``merge=False``, ``config=None``)."""
        self._run_or_404(run_id)
        if merge and not isinstance(config, dict):
            raise bad_input("config must be a JSON object")
        current = self.table.get(run_id)["trainingMetadata"] or {}
        value = {**current, **config} if merge else None
        self.table.update(run_id, {"trainingMetadata": value, "updatedAt": iso_ms(self.backend.clock.now())})
        return {"trainingMetadata": value}

    def set_pipeline(self, run_id: str, data: JSONDict) -> JSONDict:
        """``updateTrainingPipeline``: where the run's training pipeline is (kept as ``trainingPipeline``)."""
        self._run_or_404(run_id)
        status = data.get("status")
        if status not in PIPELINE_STATUSES:
            raise bad_input(f"status must be one of {', '.join(PIPELINE_STATUSES)}, got {status!r}")
        metadata = data.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise bad_input("metadata must be a JSON object")
        pipeline = {"status": status, "errorMessage": data.get("errorMessage"), "metadata": metadata}
        self.table.update(run_id, {"trainingPipeline": pipeline, "updatedAt": iso_ms(self.backend.clock.now())})
        return dict(pipeline)

    def _task(self, kind: str, name: str, error: str | None, result: Any = None, task_id: str | None = None) -> RunTask:
        now = self.backend.clock.now()
        task = RunTask(
            task_id or self.backend.tasks_resource.new_id(),
            name,
            kind,
            now,
            now + self.backend.settings.task_seconds,
            error,
            result,
        )
        self.backend.tasks_resource.add(task)
        return task

    @staticmethod
    def _check_count(what: str, n: int) -> None:
        if n == 0:
            raise bad_input(f"No {what} given")

    def register_data_rows(self, run_id: str, data_row_ids: list[Any] | None, global_keys: list[Any] | None) -> str:
        """Add rows to the run (without labels); the task's id. Unknown rows make it FAILED, naming them."""
        run = self._run_or_404(run_id)
        self._check_count("data rows", len(data_row_ids or ()) + len(global_keys or ()))
        found, missing = self.resolve_rows(data_row_ids, global_keys)
        for rid, key in found:
            self._row(run, rid, key)
        total = len(data_row_ids or ()) + len(global_keys or ())
        error = _missing_message("data rows were", missing, total) if missing else None
        return self._task("model-run-data-row-registration", "Register data rows", error).id

    def find_label(self, label_id: object) -> tuple[str, RowKey, LabelRef] | None:
        """``(data row id, row key, label)`` of the live label ``label_id``, or None: what a run can hold.

        Seeded labels only; labels that other resources create are found here once they are added.
        """
        got = self.backend.labels.find(label_id)
        if got is None or self.backend.labels.deletions.is_deleted(*got):
            return None
        row_id = self.world.row_id(*got)
        return (row_id, got, got) if self.backend.data_rows.find(row_id) is not None else None

    def project_labels(self, project: int | str) -> Iterator[tuple[str, str, RowKey, LabelRef]]:
        """``(label id, data row id, row key, label)`` of every live label of project ``project`` (a key)."""
        if isinstance(project, int) and self.backend.labels.rows_alive(project):
            for i in self.backend.labels.all_label_indices(project):
                yield self.world.label_id(project, i), self.world.row_id(project, i), (project, i), (project, i)

    def register_labels(self, run_id: str, label_ids: list[Any]) -> str:
        """Add labels (and their rows) to the run; the task's id. Unknown or deleted labels make it FAILED."""
        run = self._run_or_404(run_id)
        self._check_count("labels", len(label_ids))
        missing: list[str] = []
        for lid in dict.fromkeys(label_ids):
            found = self.find_label(lid)
            if found is None:
                missing.append(str(lid))
                continue
            row_id, key, label = found
            self._row(run, row_id, key).labels.setdefault(str(lid), label)
        error = _missing_message("labels were", missing, len(label_ids)) if missing else None
        return self._task("model-run-label-registration", "Register labels", error).id

    def register_project_labels(self, run_id: str, project_id: str) -> str:
        """Add every live label of a project (and its rows) to the run; the task's id."""
        run = self._run_or_404(run_id)
        key = self.backend.projects.find_key(project_id)
        if key is None:
            raise not_found("project", project_id)
        for label_id, row_id, row_key, label in self.project_labels(key):
            self._row(run, row_id, row_key).labels.setdefault(label_id, label)
        return self._task("model-run-label-registration", "Register project labels", None).id

    def add_task(self, task_id: str, kind: str, name: str, error: str | None, result: Any = None) -> None:
        """Register a task of the run's kinds with id ``task_id`` (``send-to-annotate``: see ``_send``)."""
        self._task(kind, name, error, result, task_id)

    def has_row(self, run: RunRecord, data_row_id: str) -> bool:
        """Whether the data row is in the run: added to it, or predicted on by an MEA import into it."""
        return data_row_id in run.rows or bool(self.backend.imports.predictions.get(run.id, {}).get(data_row_id))

    def row_predictions(self, run_id: str, data_row_id: str) -> list[JSONDict]:
        """The annotations (export shape) of each prediction of the run on the row: those ``add_predictions`` and
        MEA imports left."""
        run = self.find(run_id)
        row = run.rows.get(data_row_id) if run is not None else None
        out = [dict(p.get("annotations") or {}) for p in row.predictions] if row is not None else []
        return out + [dict(unpack(a)) for a in self.backend.imports.predictions.get(run_id, {}).get(data_row_id, [])]

    def add_predictions(self, run_id: str, data_row_id: str, predictions: Iterable[JSONDict]) -> None:
        """Add export v2 prediction labels to a row of the run (adding the row if it is not there).

        Raises KeyError when the run or the data row does not exist.
        """
        run = self.find(run_id)
        key = self.backend.data_rows.find_any(data_row_id)
        if run is None or key is None:
            raise KeyError(run_id if run is None else data_row_id)
        self._row(run, data_row_id, key).predictions.extend(predictions)

    def delete_rows(self, run_id: str, data_row_ids: list[str]) -> bool:
        """Remove rows from the run (ids not in it are ignored)."""
        run = self._run_or_404(run_id)
        for rid in data_row_ids:
            row = run.rows.pop(rid, None)
            if row is not None:
                row.removed = True
        return True

    def assign_splits(self, run_id: str, assignments: list[JSONDict]) -> str:
        """Put rows of the run in splits; the task's id. Rows not in the run make it FAILED, naming them."""
        run = self._run_or_404(run_id)
        if not assignments:
            raise bad_input("No assignments given")
        problems: list[str] = []
        for n, assignment in enumerate(assignments):
            split = assignment.get("split")
            ids, keys = assignment.get("dataRowIds") or [], assignment.get("globalKeys") or []
            self._check_count(f"data rows in assignment {n}", len(ids) + len(keys))
            found, missing = self.resolve_rows(ids, keys)
            outside = [rid for rid, _ in found if rid not in run.rows]
            missing += outside
            for rid, _ in found:
                if rid in run.rows:
                    run.rows[rid].split = str(split)
            if missing:
                problems.append(
                    f"assignment {n} ({split}): "
                    + _missing_message("data rows were", missing, len(ids) + len(keys)).replace(
                        " not found", " not found in the model run"
                    )
                )
        return self._task("assign-data-rows-to-split", "Assign data splits", "; ".join(problems) or None).id

    # ------------------------------------------------------------ export

    def export_lines(self, run: RunRecord, params: JSONDict) -> Iterator[JSONDict]:
        """The export v2 lines of the run's live rows, each with its ``experiments`` section."""
        world, rows = self.world, self.backend.data_rows
        model = self.backend.models.table.get(run.model_id) if self.backend.models.table.has(run.model_id) else {}
        run_name = self.table.get(run.id)["name"] if self.table.has(run.id) else ""
        for row in self.live_rows(run):
            key = row.key
            line = rows.seeded_export_line(*key, params) if isinstance(key, tuple) else rows.export_line(key, params)
            line.pop("projects", None)
            labels = [
                world.export_label(*ref, params) if isinstance(ref, tuple) else dict(ref) for ref in row.labels.values()
            ]
            entry: JSONDict = {"name": run_name, "run_data_row_id": row.id, "labels": labels}
            if params.get("includePredictions"):
                entry["predictions"] = [dict(p) for p in row.predictions]
            if row.split != "UNASSIGNED":
                entry["split"] = row.split.lower()
            line["experiments"] = {run.model_id: {"name": model.get("name"), "runs": {run.id: entry}}}
            yield line

    def start_export(self, data: JSONDict) -> JSONDict:
        """``exportDataRowsInModelRun``: an export task over the run's rows."""
        backend = self.backend
        run = self._run_or_404((data.get("filters") or {}).get("modelRunId"))
        params = dict(data.get("params") or {})
        try:
            check_params(params)
        except ExportInputError as exc:
            raise ApiError(str(exc), "MALFORMED_REQUEST", extra={"errors": exc.errors}) from exc
        task = backend.exports.new_task("exportDataRowsInModelRun", data.get("taskName"))
        lines = list(self.export_lines(run, params))  # a snapshot: later writes do not change a running export
        task.total = max(1, len(lines))
        thread = threading.Thread(
            target=write_export,
            name=f"export-{task.id}",
            args=(
                task,
                self.world,
                backend.labels.deletions,
                [],
                Selection(self.world, backend.labels.deletions, None),
                params,
                backend.workdir / "exports" / task.id,
                backend.settings.shard_bytes,
                backend.storage.publish,
                backend.stop,
                0.0,
                lambda: iter(lines),
            ),
            daemon=True,
        )
        backend.threads.append(thread)
        thread.start()
        return {"taskId": task.id, "isStreamable": True}

    # ------------------------------------------------------------ send to annotate

    def send_to_annotate(self, data: JSONDict) -> JSONDict:
        """``sendToAnnotateFromMea``: rows of the run, with their predictions as pre-labels, to a project's queue as
        a batch; a task (see ``_send``)."""
        run = self._run_or_404(data.get("sourceModelRunId"))
        return send_to_annotate(self.backend, data, run=run, query=data.get("searchQuery"), where="searchQuery")

    # ------------------------------------------------------------ GraphQL

    def _status(self, info: Info, where: JSONDict, kinds: tuple[str, ...]) -> JSONDict:
        task = self.backend.tasks_resource.by_id.get(str(where.get("id")))
        if not isinstance(task, RunTask) or task.kind not in kinds:
            raise not_found("task", where.get("id"))
        return task.status_obj(self.backend.clock.now())

    def annotation_groups(self, where: JSONDict, after: str | None, first: int | None) -> JSONDict:
        """One page of a run's data rows, after the row with id ``after``."""
        run = self._run_or_404((where.get("modelRunId") or {}).get("id"))
        rows = run.order
        start = 0
        if after:
            if after not in run.positions:
                raise bad_input(f"Unknown cursor {after!r}")
            start = run.positions[after] + 1
        # Only the rows of this page (and one more, to know whether there is a next) are checked for being alive.
        want = len(rows) if first is None else max(0, first)
        alive = self.backend.data_rows.find_any
        chosen: list[RunRow] = []
        more = False
        for r in rows[start:]:
            if r.removed or alive(r.data_row_id) is None:
                continue
            if len(chosen) == want:
                more = True
                break
            chosen.append(r)
        data_rows = self.backend.data_rows
        nodes = [
            {
                "id": r.id,
                "modelRunId": run.id,
                "dataSplit": r.split,
                "labelId": next(iter(r.labels), None),
                "dataRow": (lambda info, key=r.key: data_rows.any_obj(key)),
            }
            for r in chosen
        ]
        return {
            "nodes": nodes,
            "pageInfo": {
                "hasNextPage": more,
                "endCursor": chosen[-1].id if chosen and more else None,
                "startCursor": chosen[0].id if chosen else None,
            },
        }

    def root(self) -> dict[str, Resolver]:
        def model_run(info: Info, where: JSONDict) -> JSONDict | None:
            run = self.find(where.get("id"))
            return None if run is None else self.obj(run.id)

        def create_model_run(info: Info, data: JSONDict) -> JSONDict:
            return self.obj(self.create(str(data["modelId"]), str(data["name"]), data.get("trainingMetadata")))

        def update_pipeline(info: Info, modelRun: JSONDict, data: JSONDict) -> JSONDict:
            experimental_only(info, "updateTrainingPipeline", "Mutation")
            return self.set_pipeline(str(modelRun.get("id")), data)

        def assign_split(info: Info, modelRun: JSONDict, data: JSONDict) -> str:
            experimental_only(info, "createAssignDataRowsToDataSplitTask", "Mutation")
            return self.assign_splits(str(modelRun.get("id")), list(data.get("assignments") or []))

        def split_status(info: Info, where: JSONDict) -> JSONDict:
            experimental_only(info, "assignDataRowsToDataSplitTaskStatus", "Query")
            return self._status(info, where, ("assign-data-rows-to-split",))

        def foundry_info(info: Info, where: JSONDict) -> JSONDict:
            # Cost and usage exist for the runs of Foundry apps only.
            self._run_or_404(where.get("modelRunId"))
            found = self.backend.foundry.run_info(str(where.get("modelRunId")))
            if found is None:
                raise not_found("Foundry model run info", where.get("modelRunId"))
            return found

        return {
            "modelRun": model_run,
            "modelFoundryModelRunInfo": foundry_info,
            "annotationGroups": lambda info, where, after=None, first=None: self.annotation_groups(where, after, first),
            "MEADataRowRegistrationTaskStatus": lambda info, where: self._status(
                info, where, ("model-run-data-row-registration",)
            ),
            "MEALabelRegistrationTaskStatus": lambda info, where: self._status(
                info, where, ("model-run-label-registration",)
            ),
            "assignDataRowsToDataSplitTaskStatus": split_status,
            "createModelRun": create_model_run,
            "deleteModelRuns": lambda info, where: self.delete([str(i) for i in where["ids"]]),
            "updateModelRunConfig": lambda info, modelRun, data: self.set_config(
                str(modelRun.get("id")), data.get("config"), merge=True
            ),
            "updateTrainingPipeline": update_pipeline,
            "resetModelRunConfig": lambda info, modelRun: self.set_config(str(modelRun.get("id")), None, merge=False),
            "createMEAModelRunDataRowRegistrationTask": lambda info, where, data: self.register_data_rows(
                str(where.get("id")), data.get("dataRowIds"), data.get("globalKeys")
            ),
            "createMEAModelRunLabelRegistrationTask": lambda info, where, data: self.register_labels(
                str(where.get("id")), list(data.get("labelIds") or [])
            ),
            "createMEAModelRunProjectLabelRegistrationTask": lambda info, where: self.register_project_labels(
                str(where["modelRunId"]), str(where["projectId"])
            ),
            "deleteModelRunDataRows": lambda info, where: self.delete_rows(
                str(where["modelRunId"]), [str(i) for i in where["dataRowIds"]]
            ),
            "createAssignDataRowsToDataSplitTask": assign_split,
            "exportDataRowsInModelRun": lambda info, input: self.start_export(input),
            "sendToAnnotateFromMea": lambda info, input: self.send_to_annotate(input),
        }
