"""Annotation imports as the official SDK 7.17 sends them: ground truth (``createLabelImport``), model-assisted
labeling (``createModelAssistedLabelingPredictionImport``), model-run predictions
(``createModelErrorAnalysisPredictionImport``) and model-run predictions sent to a project
(``createMalPredictionImportForModelRunDataRows``); the reads by name (``labelImport``,
``modelAssistedLabelingPredictionImport``, ``modelErrorAnalysisPredictionImport``, ``meaToMalPredictionImport``),
the project listings (``labelImports``, ``modelAssistedLabelingPredictionImports``) and
``deleteModelAssistedLabelingPredictionImport``.

The NDJSON file comes as the file part of a GraphQL multipart request (``filePayload: {file, contentLength}``) or as
a ``fileUrl`` on the emulator's storage origin (a signed URL it gave out). Every line is checked against the
target: its data row must exist (and be in the project), its feature must be in the project's ontology with a
matching tool or classification type, nested classifications and answers too. The input, status and error files
are NDJSON on the storage origin, by signed URL, one status per line (``uuid``, ``dataRow``, ``status``,
``errors``), as the API writes them.

What an import turns into: a label import creates one label per data row (it is listed by ``Project.labels``,
``label(where:)`` finds it, ``deleteLabels`` deletes it, and project exports carry it, annotations in the export
shape, with the feature schema ids and classifications sent). A MAL import keeps pre-labels per data row (not labels:
the editor shows them to labelers, as the API does). A model-run import keeps predictions per model run and data row.

State: every import by id, the created labels (:class:`ImportedLabel`) by id and by project, the pre-labels and the
predictions. Model runs: ``model_run_ids`` holds the runs this module knows (seeded through the emulator's truth
API); when a ``model_runs`` resource exists it is asked first.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic_core import from_json

from .._collector import collector_paused
from .._data import _ANSWERS, K_LABEL, JSONDict, _first_word
from .._ids import iso_export, iso_ms
from .._packed import Packed, join, pack, pack_part, unpack
from ._base import Info, Resolver, Resource, bad_input, not_found, page
from .uploads import Upload

CREATED = 36**3 - 1
"""The id ``parent`` of imported labels and imports (seeded labels have the project index)."""
K_IMPORT = "i"
MAX_ANNOTATIONS = 1_000_000
"""The most lines one import file may hold; a larger one is refused (the client splits before that)."""
ANNOTATIONS_PER_DATA_ROW = 5_000
"""The most annotations of one import on one data row, as the SDK checks before sending."""
FILE_TTL = 86_400.0
"""Lifetime of the input, status and error file URLs (the API keeps them 24 hours)."""
CHUNK_LINES = 250
"""Lines an import processes between two turns of the event loop (requests are answered in between)."""

KINDS = ("LabelImport", "MALPredictionImport", "MEAPredictionImport", "MEAToMALPredictionImport")

SDL = """
input FilePayloadInput { file: Upload! contentLength: Int! }
input CreateLabelImportInput { projectId: ID! name: String! fileUrl: String filePayload: FilePayloadInput }
input CreateModelAssistedLabelingPredictionImportInput { projectId: ID! name: String! fileUrl: String
  filePayload: FilePayloadInput }
input CreateModelErrorAnalysisPredictionImportInput { modelRunId: ID! name: String! fileUrl: String
  filePayload: FilePayloadInput }
input CreateMalPredictionImportForModelRunDataRowsInput { name: String! modelRunId: ID! dataRowIds: [ID!]!
  projectId: ID! }
input ProjectImportWhereInput { projectId: ID! name: String }
input ModelRunImportWhereInput { modelRunId: ID! name: String! }
input ProjectImportsWhereInput { projectId: ID! }

type LabelImport { id: ID! name: String! state: String! progress: String inputFileUrl: String
  errorFileUrl: String statusFileUrl: String createdAt: DateTime updatedAt: DateTime project: Project
  createdBy: User }
type ModelAssistedLabelingPredictionImport { id: ID! name: String! state: String! progress: String
  inputFileUrl: String errorFileUrl: String statusFileUrl: String createdAt: DateTime updatedAt: DateTime
  project: Project createdBy: User }
type ModelErrorAnalysisPredictionImport { id: ID! name: String! state: String! progress: String
  inputFileUrl: String errorFileUrl: String statusFileUrl: String createdAt: DateTime updatedAt: DateTime
  modelRunId: ID! createdBy: User }
type MEAToMALPredictionImport { id: ID! name: String! state: String! progress: String inputFileUrl: String
  errorFileUrl: String statusFileUrl: String createdAt: DateTime updatedAt: DateTime project: Project
  createdBy: User }
type DeletedImport { id: ID! }

extend type Query {
  labelImport(where: ProjectImportWhereInput!): LabelImport
  modelAssistedLabelingPredictionImport(where: ProjectImportWhereInput!): ModelAssistedLabelingPredictionImport
  modelErrorAnalysisPredictionImport(where: ModelRunImportWhereInput!): ModelErrorAnalysisPredictionImport
  meaToMalPredictionImport(where: ProjectImportWhereInput!): MEAToMALPredictionImport
  labelImports(where: ProjectImportsWhereInput!, skip: Int, first: PageSize): [LabelImport!]!
  modelAssistedLabelingPredictionImports(where: ProjectImportsWhereInput!, skip: Int, first: PageSize):
    [ModelAssistedLabelingPredictionImport!]!
}
extend type Mutation {
  createLabelImport(data: CreateLabelImportInput!): LabelImport!
  createModelAssistedLabelingPredictionImport(data: CreateModelAssistedLabelingPredictionImportInput!):
    ModelAssistedLabelingPredictionImport!
  createModelErrorAnalysisPredictionImport(data: CreateModelErrorAnalysisPredictionImportInput!):
    ModelErrorAnalysisPredictionImport!
  createMalPredictionImportForModelRunDataRows(data: CreateMalPredictionImportForModelRunDataRowsInput!):
    MEAToMALPredictionImport!
  deleteModelAssistedLabelingPredictionImport(where: WhereUniqueIdInput!): DeletedImport
}
"""

# What each geometry key of an import line needs of the ontology's tool.
_TOOLS = {
    "bbox": ("rectangle",),
    "polygon": ("polygon",),
    "point": ("point",),
    "line": ("line",),
    "mask": ("raster-segmentation", "superpixel"),
    "location": ("named-entity",),
    "textSelections": ("named-entity",),
    "relationship": ("edge",),
}
_GEOMETRIES = tuple(k for k in _TOOLS if k != "relationship")
_SEEDED_TOOLS = {
    "IMAGE": (
        ("damage 損傷", "rectangle"),
        ("roof_area", "polygon"),
        ("vent 📍", "point"),
        ("ridge_line", "line"),
        ("moss_mask", "raster-segmentation"),
        ("attached_to", "edge"),
    ),
    "VIDEO": (("car 🚗", "rectangle"),),
    "TEXT": (("person 人物", "named-entity"),),
    "CONVERSATIONAL": (("intent 意图", "named-entity"),),
    "PDF": (("total_amount 合計", "rectangle"),),
}
_SEEDED_CLASSIFICATIONS = (
    ("radio_q0", "radio"),
    ("checklist_q0", "checklist"),
    ("text_q0", "text"),
    ("radio_q1", "radio"),
    ("text_q1", "text"),
    ("radio_q2", "radio"),
    ("text_q2", "text"),
)


class LineError(Exception):
    """One import line does not fit: ``name`` is the API's error name, the message says what and where."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass
class Feature:
    """A tool or classification of the ontology an import is checked against."""

    schema_id: str
    name: str
    kind: str
    """A tool type (``rectangle``...) or a classification type (``radio``, ``checklist``, ``text``)."""
    value: str
    children: list[Feature] = field(default_factory=list)
    """A tool's classifications, a classification's options, an option's classifications."""
    _index: tuple[list[Feature], dict[str, Feature], dict[str, Feature]] | None = field(
        default=None, repr=False, compare=False
    )
    """The children by schema id and by name (first of each), made on first use for the list it was made of."""

    def child(self, ref: JSONDict, where: str) -> Feature:
        sid, name = ref.get("schemaId"), ref.get("name")
        index = self._index
        if index is None or index[0] is not self.children:
            by_id: dict[str, Feature] = {}
            by_name: dict[str, Feature] = {}
            for c in self.children:
                by_id.setdefault(c.schema_id, c)
                by_name.setdefault(c.name, c)
            index = self._index = (self.children, by_id, by_name)
        if sid is not None:
            got = index[1].get(sid) if isinstance(sid, str) else None
        else:
            got = index[2].get(name) if isinstance(name, str) else None
        if got is not None:
            return got
        raise LineError(
            "ValidationError",
            f"{where}: {_ref(ref)} is not an option or classification of {self.name!r} in the ontology",
        )


def _ref(ref: JSONDict) -> str:
    if ref.get("schemaId") is not None:
        return f"schemaId {ref['schemaId']!r}"
    return f"name {ref.get('name')!r}"


class Ontology:
    """Features by schema id and by name."""

    def __init__(self, features: list[Feature]) -> None:
        self.by_id = {f.schema_id: f for f in features}
        self.by_name = {f.name: f for f in features}

    def find(self, ref: JSONDict, where: str) -> Feature:
        sid, name = ref.get("schemaId"), ref.get("name")
        if sid is None and name is None:
            raise LineError("ValidationError", f"{where}: neither schemaId nor name is set")
        got = self.by_id.get(sid) if sid is not None else self.by_name.get(name)  # type: ignore[arg-type]
        if got is None:
            raise LineError("ValidationError", f"{where}: {_ref(ref)} is not a feature of the project's ontology")
        return got


@dataclass
class ImportedLabel:
    """A label created by a label import."""

    id: str
    project: int | str
    row: tuple[int, int] | str
    """The data row, as ``data_rows.find_any`` gives it."""
    row_id: str
    created_at: float
    import_id: str
    packed: Packed
    """Its annotations (export shape), packed (``_packed``)."""

    @property
    def annotations(self) -> JSONDict:
        """Its annotations (export shape): a fresh copy on every read."""
        return unpack(self.packed)


@dataclass
class ImportJob:
    """One import and its files."""

    id: str
    kind: str
    name: str
    parent: int | str
    """The project key, or the model-run id (MEA)."""
    created_at: float
    ready_at: float
    """The earliest it is done (``task_seconds`` after it was made), however fast its lines go."""
    input_key: str
    status_key: str
    error_key: str
    failed: str | None = None
    """Why the whole import failed (a file that is not NDJSON), else None."""
    lines: int = 0
    errors: int = 0
    labels: list[str] = field(default_factory=list)
    processed: bool = True
    """Whether every line has been checked and applied and the status files written (an import is processed after
    its create call has been answered, as the API does)."""
    steps: int = 0
    """Of the ``2 * lines`` steps of processing (each line parsed, then applied), how many are done."""
    processed_at: float | None = None
    """When processing ended (emulator clock)."""

    def done_at(self) -> float | None:
        """When the import is (or will be) done: processed, and ``task_seconds`` old; None while processing."""
        if not self.processed:
            return None
        return self.ready_at if self.processed_at is None else max(self.ready_at, self.processed_at)

    def state(self, now: float) -> str:
        if not self.processed or now < self.ready_at:
            return "RUNNING"
        return "FAILED" if self.failed else "FINISHED"

    def progress(self, now: float) -> str:
        """The API's ``progress``: ``"100%"`` when done, else the share of the work done (by lines, and by
        ``task_seconds``), at most 99 %."""
        if self.state(now) != "RUNNING":
            return "100%"
        work = 1.0 if self.processed else self.steps / (2 * self.lines) if self.lines else 0.0
        span = self.ready_at - self.created_at
        elapsed = 1.0 if span <= 0 else (now - self.created_at) / span
        return f"{min(99, int(100 * max(0.0, min(work, elapsed))))}%"


class AnnotationImports(Resource):
    """Annotation imports into projects and model runs, and what they create."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.jobs: dict[str, ImportJob] = {}
        self.labels: dict[str, ImportedLabel] = {}
        self.by_project: dict[int | str, list[str]] = {}
        """Project key -> ids of its imported labels (live or deleted), oldest first."""
        self.deleted: set[str] = set()
        self.prelabels: dict[int | str, dict[str, list[Packed]]] = {}
        """Project key -> data row id -> MAL pre-label annotation objects (export shape), packed (``_packed``)."""
        self.predictions: dict[str, dict[str, list[Packed]]] = {}
        """Model-run id -> data row id -> predicted annotations (export shape), packed (``_packed``)."""
        self.model_run_ids: set[str] = set()
        """Model runs this module knows of itself (seeded by the truth API)."""
        self.max_annotations = MAX_ANNOTATIONS
        self.fail_next: dict[int, str] = {}
        """0-based line -> error message: those lines of the next import fail (a fault the truth API sets)."""
        self._serial = 0
        self._features = 0
        self._running: set[asyncio.Task[None]] = set()
        """The imports being processed (held, so that they are not collected before they end)."""

    async def aclose(self) -> None:
        """Stop processing the imports still running (the emulator is closing)."""
        running = list(self._running)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    # ------------------------------------------------------------ lookups

    def _new_id(self) -> str:
        self._serial += 1
        return self.world.ids.encode(K_IMPORT, CREATED, self._serial)

    def _feature_id(self) -> str:
        # cuid-shaped (25 characters, "c" first) and cheap: an import makes one per object, answer and classification.
        self._features += 1
        return f"cimp{self._features:021x}"

    def model_run_exists(self, run_id: str) -> bool:
        """Whether model run ``run_id`` exists: the model-runs resource decides when there is one."""
        runs = self.backend.resources.get("model_runs")
        finder = getattr(runs, "find", None)
        if finder is not None and finder(run_id) is not None:
            return True
        return run_id in self.model_run_ids

    def project_has_row(self, key: int | str, row: tuple[int, int] | str) -> bool:
        """Whether the data row is in project ``key``: seeded project ``p`` holds seeded dataset ``p``; beyond that
        (and for a created project) the batches resource decides (``project_has_row``: the rows batches added)."""
        if isinstance(key, int) and isinstance(row, tuple) and row[0] == key:
            return True
        ask = getattr(self.backend.batches, "project_has_row", None)
        return bool(ask(key, row)) if ask is not None else False

    def _media(self, key: int | str) -> str:
        if isinstance(key, int):
            return self.world.media[key]
        return str(self.backend.projects.table.get(key).get("mediaType") or "IMAGE")

    def ontology(self, key: int | str) -> Ontology:
        """The features a label of project ``key`` may use: its connected ontology, or (a seeded project without one)
        the tools and classifications its generated labels use."""
        oid = self.backend.ontologies.project_ontology.get(key)
        if oid is not None and self.backend.ontologies.ontologies.has(oid):
            normalized = self.backend.ontologies.ontologies.get(oid)["normalized"]
            return Ontology(
                [_tool(t) for t in normalized.get("tools", [])]
                + [_classification(c) for c in normalized.get("classifications", [])]
            )
        if not isinstance(key, int):
            return Ontology([])
        sid = self.world._sid
        classes = [
            Feature(
                sid(key, name),
                name,
                kind,
                name,
                []
                if kind == "text"
                else [Feature(sid(key, f"{name}:{a}"), a, "option", _first_word(a)) for a in _ANSWERS],
            )
            for name, kind in _SEEDED_CLASSIFICATIONS
        ]
        tools = [
            Feature(sid(key, name), name, kind, _first_word(name).lower())
            for name, kind in _SEEDED_TOOLS.get(self.world.media[key], ())
        ]
        # Generated labels nest any of these classifications under any tool or option: so may imported ones.
        for f in [*tools, *(o for c in classes for o in c.children)]:
            f.children = classes
        return Ontology(tools + classes)

    # ------------------------------------------------------------ reading the file

    def _read_url(self, url: str) -> bytes:
        parts = urlsplit(url)
        path = unquote(parts.path)
        key = path.split("/", 2)[2] if path.count("/") >= 2 else ""
        if key not in self.backend.storage.objects:
            raise bad_input(
                f"The emulator cannot fetch {url.split('?', 1)[0]!r}: it reads import files from its storage origin"
                " only (upload the file, or pass it as a file part)"
            )
        return self.backend.storage.read(key)

    def _payload(self, data: JSONDict) -> bytes:
        url, payload = data.get("fileUrl"), data.get("filePayload")
        if url is not None and payload is None:
            return self._read_url(str(url))
        if not isinstance(payload, dict) or url is not None:
            raise bad_input("Exactly one of fileUrl and filePayload must be given")
        file = payload.get("file")
        if not isinstance(file, Upload):
            raise bad_input("filePayload.file expects a file part (a GraphQL multipart request)")
        if not isinstance(payload.get("contentLength"), int) or payload["contentLength"] < 0:
            raise bad_input("filePayload.contentLength must be a non-negative integer")
        return file.data

    # ------------------------------------------------------------ running an import

    def start(self, kind: str, name: str, parent: int | str, data: bytes) -> ImportJob:
        """Accept an import (its input file stored) and start processing it; the job, RUNNING.

        The lines are checked and applied after the create call is answered, :data:`CHUNK_LINES` at a time between
        turns of the event loop (at once when there is no running loop); the job is done when that is over and at
        least ``task_seconds`` have passed.
        """
        if not name.strip():
            raise bad_input("An import name must not be blank")
        for job in self.jobs.values():
            if job.kind == kind and job.parent == parent and job.name == name:
                raise bad_input(f"An import named {name!r} already exists here: import names are unique per target")
        count = sum(1 for raw in data.splitlines() if raw.strip())
        if count > self.max_annotations:
            try:
                _parse(data)
            except LineError:
                count = 0  # not NDJSON: the import is accepted, and fails as a whole
            else:
                raise bad_input(
                    f"The import holds {count} annotations; at most {self.max_annotations} are accepted per import"
                )
        now = self.backend.clock.now()
        jid = self._new_id()
        prefix = f"imports/{jid}"
        job = ImportJob(
            jid,
            kind,
            name,
            parent,
            now,
            now + self.backend.settings.task_seconds,
            f"{prefix}/input.ndjson",
            f"{prefix}/status.ndjson",
            f"{prefix}/errors.ndjson",
            lines=count,
            processed=False,
        )
        self.backend.storage.put(job.input_key, data)
        fail, self.fail_next = self.fail_next, {}
        self.jobs[jid] = job
        work = self._process(job, data, fail)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            while _step(work):
                pass
        else:
            task = loop.create_task(_drive(work))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return job

    def _process(self, job: ImportJob, data: bytes, fail: dict[int, str]) -> Generator[None, None, None]:
        """Parse, check and apply every line, keep what the import made, then write the status and error files;
        yields between chunks.

        A file with a line that is not JSON fails as a whole: nothing of it is kept, no status is written, and the
        feature ids its earlier lines took are given back (unless another import took some meanwhile).
        """
        features = self._features
        drawn = [0]
        try:
            statuses, by_row = yield from self._apply(job, data, fail, drawn)
        except LineError as exc:
            if self._features - features == drawn[0]:
                self._features = features
            statuses, by_row = [], {}
            job.failed = exc.message
        job.lines = len(statuses)
        yield from self._store(job, by_row)
        out: list[bytes] = []
        errors: list[bytes] = []
        for k, status in enumerate(statuses):
            if k and not k % CHUNK_LINES:
                yield
            if isinstance(status, bytes):
                out.append(status)
                continue
            line = _status_line(status)
            out.append(line)
            if status["status"] == "FAILURE":
                errors.append(line)
                job.errors += 1
        self.backend.storage.put(job.status_key, b"".join(out))
        self.backend.storage.put(job.error_key, b"".join(errors))
        job.steps = 2 * job.lines
        job.processed_at = self.backend.clock.now()
        job.processed = True

    def _target(self, job: ImportJob) -> tuple[int | str | None, Ontology | None]:
        if job.kind == "MEAPredictionImport":
            return None, None
        return job.parent, self.ontology(job.parent)

    def _apply(
        self, job: ImportJob, data: bytes, fail: dict[int, str], drawn: list[int]
    ) -> Generator[None, None, tuple[list[bytes | JSONDict], dict[str, tuple[tuple[int, int] | str, JSONDict]]]]:
        """Every line parsed, checked and applied, in one pass (a parsed line is dropped once applied): the status
        of each line, in order (a success as its status line, others as objects), and what succeeded, by data row.
        Yields every :data:`CHUNK_LINES` lines (``job.steps`` counts two per line); ``drawn[0]`` counts the feature
        ids it took. Raises :class:`LineError` ``InvalidFile`` on a line that is not JSON.

        Annotations of images, text and documents are packed one by one as they are made (``_packed``): an import
        holds no more Python objects than the lines in hand while it runs.
        """
        project, onto = self._target(job)
        media = self._media(project) if project is not None else "IMAGE"
        packing = media != "VIDEO"
        by_row: dict[str, tuple[tuple[int, int] | str, JSONDict]] = {}
        uuids: dict[tuple[str, str], str] = {}
        seen_uuids: set[str] = set()
        per_row: dict[str, int] = {}
        pending_relationships: list[tuple[int, JSONDict, str, JSONDict]] = []
        results: list[bytes | JSONDict] = []
        rows_seen: dict[str, tuple[tuple[int, int] | str, str]] = {}
        new_fid = self._feature_id
        mark = self._features
        n = 0
        for raw_number, raw in enumerate(data.splitlines()):
            if not raw.strip():
                continue
            if n and not n % CHUNK_LINES:
                job.steps = 2 * n
                drawn[0] += self._features - mark
                yield
                mark = self._features
            try:
                line = _load(raw, raw_number)
            except LineError:
                drawn[0] += self._features - mark
                raise
            resolved: str | None = None  # the line's data row id once found: a failure's status then names it
            try:
                if n in fail:
                    raise LineError("InternalError", fail[n])
                if not isinstance(line, dict):
                    raise LineError("ValidationError", f"line {n + 1}: an annotation must be a JSON object")
                uuid = line.get("uuid")
                if not isinstance(uuid, str) or not uuid:
                    raise LineError("ValidationError", f"line {n + 1}: uuid is missing")
                if uuid in seen_uuids:
                    raise LineError("DuplicateUuid", f"line {n + 1}: uuid {uuid!r} appears twice in the import")
                seen_uuids.add(uuid)
                row, row_id = self._row_cached(line, n, project, rows_seen)
                count = per_row[row_id] = per_row.get(row_id, 0) + 1
                if count > ANNOTATIONS_PER_DATA_ROW:
                    raise LineError(
                        "ValidationError",
                        f"line {n + 1}: more than {ANNOTATIONS_PER_DATA_ROW} annotations on data row {row_id}",
                    )
                resolved = row_id
                if "relationship" in line:
                    status: JSONDict = {"uuid": uuid, "dataRow": {"id": row_id}}
                    results.append(status)
                    pending_relationships.append((n, line, row_id, status))
                    by_row.setdefault(row_id, (row, _empty_annotations(media)))
                    n += 1
                    continue
                annotation = _convert(line, n, onto, media, new_fid)
                uuids[(row_id, uuid)] = annotation["feature_id"] if "feature_id" in annotation else ""
                entry = by_row.get(row_id)
                if entry is None:
                    entry = by_row[row_id] = (row, _empty_annotations(media))
                if packing and annotation["_place"] in ("object", "classification"):
                    group = "objects" if annotation.pop("_place") == "object" else "classifications"
                    entry[1][group].append(pack_part(annotation))
                else:
                    _place(entry[1], annotation, media)
                results.append(_success_line(uuid, row_id))
            except LineError as exc:
                results.append(
                    {
                        "uuid": line.get("uuid") if isinstance(line, dict) else None,
                        "dataRow": {"id": resolved}
                        if resolved is not None
                        else line.get("dataRow")
                        if isinstance(line, dict)
                        else None,
                        "status": "FAILURE",
                        "errors": [{"name": exc.name, "message": exc.message, "additionalInfo": None}],
                    }
                )
            n += 1
        drawn[0] += self._features - mark
        for n, line, row_id, status in pending_relationships:
            try:
                rel = self._relationship(line, n, onto, row_id, uuids)
                relationships = by_row[row_id][1].setdefault("relationships", [])
                relationships.append(pack_part(rel) if packing else rel)
                status["status"] = "SUCCESS"
            except LineError as exc:
                status["status"] = "FAILURE"
                status["errors"] = [{"name": exc.name, "message": exc.message, "additionalInfo": None}]
        return results, by_row

    def _row(self, line: JSONDict, n: int, project: int | str | None) -> tuple[tuple[int, int] | str, str]:
        ref = line.get("dataRow")
        if not isinstance(ref, dict) or (ref.get("id") is None) == (ref.get("globalKey") is None):
            raise LineError("ValidationError", f"line {n + 1}: dataRow must set exactly one of id and globalKey")
        rows = self.backend.data_rows
        if ref.get("id") is not None:
            rid = str(ref["id"])
            row = rows.find_any(rid)
        else:
            rid = rows.global_key_taken(str(ref["globalKey"])) or ""
            row = rows.find_any(rid) if rid else None
        if row is None:
            raise LineError("DataRowNotFound", f"line {n + 1}: data row {_ref_row(ref)} does not exist")
        if project is not None and not self.project_has_row(project, row):
            raise LineError("DataRowNotInProject", f"line {n + 1}: data row {_ref_row(ref)} is not in the project")
        row_id = rid if isinstance(row, str) else self.world.row_id(*row)
        return row, row_id

    def _row_cached(
        self, line: JSONDict, n: int, project: int | str | None, cache: dict[str, tuple[tuple[int, int] | str, str]]
    ) -> tuple[tuple[int, int] | str, str]:
        """:meth:`_row`, remembered per data-row reference for the rest of one import (its lines come in runs)."""
        ref = line.get("dataRow")
        key = f"{ref.get('id')}|{ref.get('globalKey')}" if isinstance(ref, dict) else ""
        got = cache.get(key) if key else None
        if got is None:
            got = self._row(line, n, project)
            if key:
                cache[key] = got
        return got

    def _relationship(
        self, line: JSONDict, n: int, onto: Ontology | None, row_id: str, uuids: dict[tuple[str, str], str]
    ) -> JSONDict:
        where = f"line {n + 1}"
        rel = line["relationship"]
        if not isinstance(rel, dict):
            raise LineError("ValidationError", f"{where}: relationship must be an object")
        feature = onto.find(line, where) if onto is not None else None
        if feature is not None and feature.kind != "edge":
            raise LineError("ValidationError", f"{where}: {feature.name!r} is a {feature.kind} tool, not an edge")
        ends = {}
        for end in ("source", "target"):
            ref = rel.get(end)
            fid = uuids.get((row_id, str(ref)))
            if fid is None:
                raise LineError(
                    "ValidationError",
                    f"{where}: relationship.{end} {ref!r} is not the uuid of an annotation of this data row in the "
                    "import",
                )
            ends[end] = fid
        rtype = rel.get("type", "unidirectional")
        if rtype not in ("unidirectional", "bidirectional"):
            raise LineError("ValidationError", f"{where}: relationship.type {rtype!r} is not uni- or bidirectional")
        return {
            "name": feature.name if feature else line.get("name"),
            "feature_schema_id": feature.schema_id if feature else line.get("schemaId"),
            "type": rtype,
            "source": ends["source"],
            "target": ends["target"],
        }

    def _store(
        self, job: ImportJob, by_row: dict[str, tuple[tuple[int, int] | str, JSONDict]]
    ) -> Generator[None, None, None]:
        """Keep what an import made, data row after data row (yielding every :data:`CHUNK_LINES` of them)."""
        for k, (row_id, (row, content)) in enumerate(by_row.items()):
            if k and not k % CHUNK_LINES:
                yield
            if job.kind == "LabelImport":
                self._serial += 1
                label = ImportedLabel(
                    self.world.ids.encode(K_LABEL, CREATED, self._serial),
                    job.parent,
                    row,
                    row_id,
                    job.created_at,
                    job.id,
                    join(content),
                )
                self.labels[label.id] = label
                self.by_project.setdefault(job.parent, []).append(label.id)
                job.labels.append(label.id)
                self.backend.webhooks.emit("LABEL_CREATED", job.parent, self._event_payload(label))
            elif job.kind == "MEAPredictionImport":
                self.predictions.setdefault(str(job.parent), {}).setdefault(row_id, []).append(join(content))
            else:
                self.prelabels.setdefault(job.parent, {}).setdefault(row_id, []).append(join(content))

    def _event_payload(self, label: ImportedLabel) -> JSONDict:
        """What a ``LABEL_CREATED`` webhook delivery says of an imported label."""
        project = label.project
        project_id = self.world.project_id(project) if isinstance(project, int) else project
        stamp = iso_ms(label.created_at)
        return {
            "id": label.id,
            "createdAt": stamp,
            "updatedAt": stamp,
            "project": {"id": project_id},
            "dataRow": {"id": label.row_id},
            "organization": {"id": self.world.org_id},
        }

    def send_predictions(self, name: str, run_id: str, row_ids: list[str], project: int | str) -> ImportJob:
        """``createMalPredictionImportForModelRunDataRows``: the run's predictions on those rows as pre-labels."""
        lines: list[bytes] = []
        statuses: list[JSONDict] = []
        for rid in row_ids:
            row = self.backend.data_rows.find_any(rid)
            found = self.predictions.get(run_id, {}).get(rid)
            status: JSONDict = {"uuid": None, "dataRow": {"id": rid}, "status": "SUCCESS"}
            if row is None or not self.project_has_row(project, row):
                status.update(status="FAILURE", errors=[_error("DataRowNotInProject", rid)])
            elif not found:
                status.update(status="FAILURE", errors=[_error("NoPredictions", rid)])
            else:
                self.prelabels.setdefault(project, {}).setdefault(rid, []).extend(found)
                lines.append((json.dumps({"dataRow": {"id": rid}}) + "\n").encode())
            statuses.append(status)
        now = self.backend.clock.now()
        jid = self._new_id()
        job = ImportJob(
            jid,
            "MEAToMALPredictionImport",
            name,
            project,
            now,
            now + self.backend.settings.task_seconds,
            f"imports/{jid}/input.ndjson",
            f"imports/{jid}/status.ndjson",
            f"imports/{jid}/errors.ndjson",
            lines=len(row_ids),
        )
        encoded = [(json.dumps(s) + "\n").encode() for s in statuses]
        job.errors = sum(s["status"] == "FAILURE" for s in statuses)
        self.backend.storage.put(job.input_key, b"".join(lines))
        self.backend.storage.put(job.status_key, b"".join(encoded))
        self.backend.storage.put(
            job.error_key, b"".join(e for e, s in zip(encoded, statuses, strict=True) if s["status"] == "FAILURE")
        )
        self.jobs[jid] = job
        return job

    # ------------------------------------------------------------ labels (asked by ``labels`` and ``exports``)

    def project_labels(self, key: int | str) -> list[ImportedLabel]:
        """The live imported labels of project ``key``, oldest first (a label goes with its data row)."""
        rows = self.backend.data_rows
        out = []
        for lid in self.by_project.get(key, ()):
            label = self.labels[lid]
            if lid not in self.deleted and rows.find_any(label.row_id) is not None:
                out.append(label)
        return out

    def find_label(self, value: object) -> ImportedLabel | None:
        """The live imported label with id ``value``, or None."""
        label = self.labels.get(str(value))
        if label is None or label.id in self.deleted or not self.backend.projects.table.has(label.project):
            return None
        return label if self.backend.data_rows.find_any(label.row_id) is not None else None

    def export_label(self, label: ImportedLabel, params: JSONDict) -> JSONDict:
        """``label`` as an export v2 label of its project."""
        out: JSONDict = {
            "label_kind": "Video" if self._media(label.project) == "VIDEO" else "Default",
            "version": "1.0.0",
            "id": label.id,
        }
        if params.get("includeLabelDetails"):
            stamp = iso_export(label.created_at)
            out["label_details"] = {
                "created_at": stamp,
                "updated_at": stamp,
                "created_by": self.world.email(0),
                "content_last_updated_at": stamp,
                "reviews": [],
            }
        if params.get("includePerformanceDetails"):
            out["performance_details"] = {"seconds_to_create": 0.0, "seconds_to_review": 0.0, "skipped": False}
        out["annotations"] = json.loads(json.dumps(label.annotations))
        return out

    def export_snapshot(self, key: int | str, params: JSONDict) -> dict[str, list[JSONDict]]:
        """Data row id -> export labels of the imported labels of project ``key``: made before an export's writer
        thread starts, so that the thread reads a copy while imports go on."""
        out: dict[str, list[JSONDict]] = {}
        for label in self.project_labels(key):
            out.setdefault(label.row_id, []).append(self.export_label(label, params))
        return out

    def legacy_label(self, label: ImportedLabel) -> JSONDict:
        """The legacy label JSON (``Label.label``) of an imported label."""
        w = self.world
        p = label.project if isinstance(label.project, int) else 0
        ann = label.annotations
        return {
            "objects": [w._legacy_object(o, p) for o in ann.get("objects", [])],
            "classifications": [w._legacy_classification(c) for c in ann.get("classifications", [])],
            "relationships": ann.get("relationships", []),
        }

    def label_obj(self, label: ImportedLabel) -> JSONDict:
        """An imported label as a GraphQL ``Label``."""
        stamp = iso_ms(label.created_at)
        rows = self.backend.data_rows
        return {
            "id": label.id,
            "label": json.dumps(self.legacy_label(label), ensure_ascii=False),
            "createdAt": stamp,
            "updatedAt": stamp,
            "agreement": None,
            "benchmarkAgreement": None,
            "isBenchmarkReference": False,
            "secondsToLabel": 0.0,
            "secondsToReview": 0.0,
            "secondsToCreate": 0.0,
            "deleted": False,
            "createdBy": lambda info: self.backend.users.obj(0),
            "type": {"id": self.world.label_type_ids["Submitted"], "name": "Submitted"},
            "dataRow": lambda info: rows.any_obj(label.row),
            "project": lambda info: self.backend.projects.obj(label.project),
            "reviews": lambda info: [],
        }

    # ------------------------------------------------------------ written by send to annotate

    def label_ids_by_row(self, key: int | str) -> dict[str, list[str]]:
        """Data row id -> ids of the live imported labels of project ``key`` on it."""
        out: dict[str, list[str]] = {}
        for label in self.project_labels(key):
            out.setdefault(label.row_id, []).append(label.id)
        return out

    def add_label(
        self, key: int | str, row: tuple[int, int] | str, row_id: str, annotations: JSONDict, source: str
    ) -> str:
        """A label of project ``key`` on a data row, as a label import makes one (``source`` stands for the import
        id); its id."""
        self._serial += 1
        label = ImportedLabel(
            self.world.ids.encode(K_LABEL, CREATED, self._serial),
            key,
            row,
            row_id,
            self.backend.clock.now(),
            source,
            pack(annotations),
        )
        self.labels[label.id] = label
        self.by_project.setdefault(key, []).append(label.id)
        self.backend.webhooks.emit("LABEL_CREATED", key, self._event_payload(label))
        return label.id

    def set_prelabels(self, key: int | str, row_id: str, annotations: JSONDict, *, replace: bool) -> None:
        """Pre-labels on a data row of project ``key``, as a MAL import leaves them; ``replace`` drops the row's
        earlier ones first."""
        rows = self.prelabels.setdefault(key, {})
        if replace:
            rows.pop(row_id, None)
        rows.setdefault(row_id, []).append(pack(annotations))

    # ------------------------------------------------------------ GraphQL

    def job_obj(self, job: ImportJob) -> JSONDict:
        now = self.backend.clock.now()
        state = job.state(now)
        signer, ttl = self.backend.signer, FILE_TTL
        done = state != "RUNNING"
        obj: JSONDict = {
            "id": job.id,
            "name": job.name,
            "state": state,
            "progress": job.progress(now),
            "inputFileUrl": signer.sign(job.input_key, ttl),
            "errorFileUrl": signer.sign(job.error_key, ttl) if done else None,
            "statusFileUrl": signer.sign(job.status_key, ttl) if done else None,
            "createdAt": iso_ms(job.created_at),
            "updatedAt": iso_ms(job.done_at() or now) if done else iso_ms(now),
            "createdBy": lambda info: self.backend.users.obj(0),
        }
        if job.kind == "MEAPredictionImport":
            obj["modelRunId"] = job.parent
        else:
            obj["project"] = lambda info: self.backend.projects.obj(job.parent)
        return obj

    def _project(self, value: object) -> int | str:
        key = self.backend.projects.find_key(value)
        if key is None:
            raise not_found("project", value)
        return key

    def _run(self, value: object) -> str:
        if not self.model_run_exists(str(value)):
            raise not_found("model run", value)
        return str(value)

    def _by_name(self, kind: str, parent: int | str, name: str | None) -> JSONDict | None:
        for job in self.jobs.values():
            if job.kind == kind and job.parent == parent and job.name == name:
                return self.job_obj(job)
        return None

    def root(self) -> dict[str, Resolver]:
        def create(kind: str) -> Resolver:
            def resolver(info: Info, data: JSONDict) -> JSONDict:
                if kind == "MEAPredictionImport":
                    parent: int | str = self._run(data.get("modelRunId"))
                else:
                    parent = self._project(data.get("projectId"))
                return self.job_obj(self.start(kind, str(data.get("name") or ""), parent, self._payload(data)))

            return resolver

        def mea_to_mal(info: Info, data: JSONDict) -> JSONDict:
            run = self._run(data.get("modelRunId"))
            project = self._project(data.get("projectId"))
            name = str(data.get("name") or "")
            if not name.strip():
                raise bad_input("An import name must not be blank")
            return self.job_obj(self.send_predictions(name, run, [str(r) for r in data["dataRowIds"]], project))

        def read(kind: str, parent_key: str) -> Resolver:
            def resolver(info: Info, where: JSONDict) -> JSONDict | None:
                value = where.get(parent_key)
                parent: int | str = self._run(value) if parent_key == "modelRunId" else self._project(value)
                return self._by_name(kind, parent, where.get("name"))

            return resolver

        def listing(kind: str) -> Resolver:
            def resolver(info: Info, where: JSONDict, skip: int = 0, first: int | None = None) -> list[JSONDict]:
                parent = self._project(where.get("projectId"))
                jobs = [j for j in self.jobs.values() if j.kind == kind and j.parent == parent]
                return [self.job_obj(j) for j in page(jobs, skip, first)]

            return resolver

        def delete_mal(info: Info, where: JSONDict) -> JSONDict:
            job = self.jobs.get(str(where.get("id")))
            if job is None or job.kind != "MALPredictionImport":
                raise not_found("model-assisted labeling import", where.get("id"))
            del self.jobs[job.id]
            return {"id": job.id}

        return {
            "createLabelImport": create("LabelImport"),
            "createModelAssistedLabelingPredictionImport": create("MALPredictionImport"),
            "createModelErrorAnalysisPredictionImport": create("MEAPredictionImport"),
            "createMalPredictionImportForModelRunDataRows": mea_to_mal,
            "labelImport": read("LabelImport", "projectId"),
            "modelAssistedLabelingPredictionImport": read("MALPredictionImport", "projectId"),
            "modelErrorAnalysisPredictionImport": read("MEAPredictionImport", "modelRunId"),
            "meaToMalPredictionImport": read("MEAToMALPredictionImport", "projectId"),
            "labelImports": listing("LabelImport"),
            "modelAssistedLabelingPredictionImports": listing("MALPredictionImport"),
            "deleteModelAssistedLabelingPredictionImport": delete_mal,
        }


# ---------------------------------------------------------------- ontology nodes


def _slug(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _tool(node: JSONDict) -> Feature:
    name = str(node.get("name") or "")
    return Feature(
        str(node.get("featureSchemaId")),
        name,
        str(node.get("tool")),
        str(node.get("value") or _slug(name)),
        [_classification(c) for c in node.get("classifications") or []],
    )


def _classification(node: JSONDict) -> Feature:
    name = str(node.get("name") or node.get("instructions") or "")
    kind = str(node.get("type"))
    return Feature(
        str(node.get("featureSchemaId")),
        name,
        "checklist" if kind == "checklist" else kind,
        str(node.get("value") or _slug(name)),
        [_option(o) for o in node.get("options") or []],
    )


def _option(node: JSONDict) -> Feature:
    label = str(node.get("label") or node.get("value") or "")
    return Feature(
        str(node.get("featureSchemaId")),
        label,
        "option",
        str(node.get("value") or label),
        [_classification(c) for c in node.get("options") or []],
    )


# ---------------------------------------------------------------- lines -> export annotations


def _ref_row(ref: JSONDict) -> str:
    return f"id {ref['id']!r}" if ref.get("id") is not None else f"globalKey {ref.get('globalKey')!r}"


def _error(name: str, row_id: str) -> JSONDict:
    messages = {
        "DataRowNotInProject": f"data row {row_id!r} does not exist or is not in the project",
        "NoPredictions": f"the model run has no predictions on data row {row_id!r}",
    }
    return {"name": name, "message": messages[name], "additionalInfo": None}


def _parse(data: bytes) -> list[Any]:
    """Every non-blank line of an NDJSON file, parsed (:class:`LineError` ``InvalidFile`` on one that is not JSON)."""
    return [_load(raw, n) for n, raw in enumerate(data.splitlines()) if raw.strip()]


def _load(raw: bytes, n: int) -> Any:
    """Line ``n`` (0-based, blank lines counted) of an import file, parsed.

    A line is read by pydantic-core's JSON parser, several times faster than :mod:`json`; where it refuses a line
    (a lone surrogate, a byte order mark, bad JSON) :func:`json.loads` decides, so what is accepted, and the message
    of what is not, stay :mod:`json`'s.
    """
    try:
        return from_json(raw)
    except ValueError:
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise LineError("InvalidFile", f"line {n + 1} of the import file is not JSON: {exc}") from None


def _status_line(status: JSONDict) -> bytes:
    """A status as its NDJSON line, as ``json.dumps(status, ensure_ascii=False)`` writes it (a success, the most
    common, written directly)."""
    uuid, row = status["uuid"], status["dataRow"]
    if status["status"] == "SUCCESS" and len(status) == 3 and type(uuid) is str and type(row) is dict:
        rid = row.get("id")
        if len(row) == 1 and type(rid) is str:
            return _success_line(uuid, rid)
    return (json.dumps(status, ensure_ascii=False) + "\n").encode()


def _success_line(uuid: str, row_id: str) -> bytes:
    """The status line of a line that succeeded, as :func:`_status_line` writes it."""
    return (
        f'{{"uuid": {encode_basestring(uuid)}, "dataRow": {{"id": {encode_basestring(row_id)}}}, '
        '"status": "SUCCESS"}\n'
    ).encode()


def _step(work: Iterator[None]) -> bool:
    """Run one chunk of an import's processing with the cyclic collector paused (its thousands of small dicts are
    kept and hold no cycles); whether there is more."""
    with collector_paused():
        try:
            next(work)
        except StopIteration:
            return False
    return True


async def _drive(work: Iterator[None]) -> None:
    """Run an import's processing, giving the event loop a turn between its chunks."""
    more = True
    while more:
        more = _step(work)
        await asyncio.sleep(0)


def _empty_annotations(media: str) -> JSONDict:
    if media == "VIDEO":
        return {"frames": {}, "segments": {}, "key_frame_feature_map": {}, "classifications": []}
    return {"objects": [], "classifications": [], "relationships": []}


def _place(annotations: JSONDict, annotation: JSONDict, media: str) -> None:
    kind = annotation.pop("_place")
    if kind == "classification":
        annotations["classifications"].append(annotation)
    elif kind == "video":
        fid = annotation["feature_id"]
        for number, obj in annotation.pop("_frames"):
            frame = annotations["frames"].setdefault(str(number), {"objects": {}, "classifications": []})
            frame["objects"][fid] = obj
        annotations["frames"] = dict(sorted(annotations["frames"].items(), key=lambda kv: int(kv[0])))
        annotations["segments"][fid] = annotation["segments"]
        annotations["key_frame_feature_map"][fid] = annotation["key_frames"]
    elif kind == "video-classification":
        frames = annotation.pop("_frames")
        if not frames:
            annotations["classifications"].append(annotation)
        for lo, hi in frames:
            for number in range(lo, hi + 1):
                frame = annotations["frames"].setdefault(str(number), {"objects": {}, "classifications": []})
                frame["classifications"].append(annotation)
        annotations["frames"] = dict(sorted(annotations["frames"].items(), key=lambda kv: int(kv[0])))
    else:
        annotations.setdefault("objects", []).append(annotation)


def _number(value: Any, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LineError("ValidationError", f"{where} must be a number, not {value!r}")
    return value


_NUMBERS = (int, float)


def _box(value: Any, where: str) -> JSONDict:
    if type(value) is dict:
        # The common case, checked without building a message: four plain numbers, no negative size.
        t, lft, h, w = value.get("top"), value.get("left"), value.get("height"), value.get("width")
        if (
            type(t) in _NUMBERS
            and type(lft) in _NUMBERS
            and type(h) in _NUMBERS
            and type(w) in _NUMBERS
            and h >= 0  # type: ignore[operator]
            and w >= 0  # type: ignore[operator]
        ):
            return {"top": t, "left": lft, "height": h, "width": w}
    if not isinstance(value, dict):
        raise LineError("ValidationError", f"{where} must be an object with top, left, height and width")
    out = {k: _number(value.get(k), f"{where}.{k}") for k in ("top", "left", "height", "width")}
    if out["height"] < 0 or out["width"] < 0:
        raise LineError("ValidationError", f"{where}: height and width must not be negative")
    return out


def _xy(value: Any, where: str) -> JSONDict:
    if type(value) is dict:
        x, y = value.get("x"), value.get("y")
        if type(x) in _NUMBERS and type(y) in _NUMBERS:
            return {"x": x, "y": y}
    if not isinstance(value, dict):
        raise LineError("ValidationError", f"{where} must be an object with x and y")
    return {"x": _number(value.get("x"), f"{where}.x"), "y": _number(value.get("y"), f"{where}.y")}


def _xys(value: Any, where: str, least: int) -> list[JSONDict]:
    if not isinstance(value, list) or len(value) < least:
        raise LineError("ValidationError", f"{where} must be a list of at least {least} points")
    return [_xy(v, f"{where}[{k}]") for k, v in enumerate(value)]


def _geometry(line: JSONDict, key: str, where: str, media: str) -> tuple[str, JSONDict]:
    """``(annotation_kind, export geometry members)`` of an object line's geometry ``key``."""
    geo = media.startswith("GEOSPATIAL")
    if key == "bbox":
        box = _box(line["bbox"], f"{where}.bbox")
        if geo:
            t, lft, h, w = box["top"], box["left"], box["height"], box["width"]
            ring = [[lft, t], [lft + w, t], [lft + w, t + h], [lft, t + h], [lft, t]]
            return "GeoBoundingBox", {"geojson": {"type": "Polygon", "coordinates": [ring]}}
        if line.get("page") is not None or media == "PDF":
            page_no = line.get("page", 0)
            if isinstance(page_no, bool) or not isinstance(page_no, int) or page_no < 0:
                raise LineError("ValidationError", f"{where}.page must be a page index (0 or more)")
            return "DocumentBoundingBox", {
                "page_number": page_no + 1,
                "bounding_box": box,
                "unit": str(line.get("unit") or "POINTS"),
            }
        return "ImageBoundingBox", {"bounding_box": box}
    if key == "polygon":
        pts = _xys(line["polygon"], f"{where}.polygon", 3)
        if geo:
            ring = [[p["x"], p["y"]] for p in pts]
            return "GeoPolygon", {"geojson": {"type": "Polygon", "coordinates": [ring]}}
        return "ImagePolygon", {"polygon": pts}
    if key == "point":
        pt = _xy(line["point"], f"{where}.point")
        if geo:
            return "GeoPoint", {"geojson": {"type": "Point", "coordinates": [pt["x"], pt["y"]]}}
        return "ImagePoint", {"point": pt}
    if key == "line":
        pts = _xys(line["line"], f"{where}.line", 2)
        if geo:
            return "GeoPolyline", {"geojson": {"type": "LineString", "coordinates": [[p["x"], p["y"]] for p in pts]}}
        if media == "DICOM":
            return "DICOMPolyline", {"line": pts}
        return "ImagePolyline", {"line": pts}
    if key == "mask":
        mask = line["mask"]
        if not isinstance(mask, dict) or not (isinstance(mask.get("instanceURI"), str) or "png" in mask):
            raise LineError("ValidationError", f"{where}.mask must hold instanceURI and colorRGB, or png")
        url = mask.get("instanceURI") or "data:image/png;base64," + str(mask.get("png"))
        rgb = mask.get("colorRGB", [255, 255, 255])
        if not isinstance(rgb, list) or len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
            raise LineError("ValidationError", f"{where}.mask.colorRGB must be three integers 0-255")
        return "ImageSegmentationMask", {"mask": {"url": url}, "composite_mask": {"url": url, "color_rgb": rgb}}
    if key == "location":
        loc = line["location"]
        if not isinstance(loc, dict):
            raise LineError("ValidationError", f"{where}.location must be an object with start and end")
        start, end = loc.get("start"), loc.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or start < 0 or end < start:
            raise LineError("ValidationError", f"{where}.location: start and end must be integers, 0 <= start <= end")
        if line.get("messageId") is not None:
            return "ConversationalTextEntity", {
                "conversational_location": {
                    "message_id": str(line["messageId"]),
                    "location": {"start": start, "end": end},
                }
            }
        return "TextEntity", {"location": {"start": start, "end": end}}
    # textSelections
    sel = line["textSelections"]
    if not isinstance(sel, list) or not sel:
        raise LineError("ValidationError", f"{where}.textSelections must be a non-empty list")
    groups = []
    for k, s in enumerate(sel):
        if not isinstance(s, dict) or not isinstance(s.get("tokenIds"), list) or not s.get("groupId"):
            raise LineError("ValidationError", f"{where}.textSelections[{k}] needs tokenIds, groupId and page")
        groups.append({"id": s["groupId"], "page_number": s.get("page", 1), "tokens": list(s["tokenIds"])})
    return "DocumentEntityToken", {"location": {"groups": groups}}


def _convert(
    line: JSONDict, n: int, onto: Ontology | None, media: str, new_fid: Any, where: str | None = None
) -> JSONDict:
    """One import line as an export annotation (with a ``_place`` member saying where it goes)."""
    where = where or f"line {n + 1}"
    feature = onto.find(line, where) if onto is not None else None
    keys = [k for k in _GEOMETRIES if k in line]
    if "segments" in line:
        return _video_object(line, where, feature, media, new_fid)
    if len(keys) > 1:
        raise LineError("ValidationError", f"{where}: one geometry per annotation, got {', '.join(keys)}")
    if keys:
        key = keys[0]
        if feature is not None and feature.kind not in _TOOLS[key]:
            raise LineError(
                "ValidationError",
                f"{where}: {feature.name!r} is a {feature.kind} tool in the ontology, but the annotation has {key}",
            )
        kind, geometry = _geometry(line, key, where, media)
        obj = _object_head(line, feature, kind, new_fid)
        obj.update(geometry)
        obj["classifications"] = _subclassifications(line.get("classifications"), feature, where, new_fid)
        obj["_place"] = "object"
        return obj
    if "answer" in line:
        out = _classification_answer(line, feature, where, new_fid)
        if line.get("messageId") is not None:
            out["message_id"] = str(line["messageId"])
        if media == "VIDEO":
            out["_place"] = "video-classification"
            out["_frames"] = [_frame_range(f, f"{where}.frames[{k}]") for k, f in enumerate(line.get("frames") or [])]
        else:
            out["_place"] = "classification"
        return out
    raise LineError(
        "ValidationError",
        f"{where}: no geometry (bbox, polygon, point, line, mask, location, textSelections, segments) and no answer",
    )


def _frame_range(value: Any, where: str) -> tuple[int, int]:
    if not isinstance(value, dict) or not isinstance(value.get("start"), int):
        raise LineError("ValidationError", f"{where} must be an object with start (and end) frame numbers")
    end = value.get("end", value["start"])
    if not isinstance(end, int) or end < value["start"]:
        raise LineError("ValidationError", f"{where}: end must be a frame number at or after start")
    return value["start"], end


def _object_head(line: JSONDict, feature: Feature | None, kind: str, new_fid: Any) -> JSONDict:
    name = feature.name if feature else str(line.get("name"))
    return {
        "feature_id": new_fid(),
        "feature_schema_id": feature.schema_id if feature else line.get("schemaId"),
        "name": name,
        "value": feature.value if feature else _slug(name),
        "annotation_kind": kind,
    }


def _video_object(line: JSONDict, where: str, feature: Feature | None, media: str, new_fid: Any) -> JSONDict:
    segments = line["segments"]
    if not isinstance(segments, list) or not segments:
        raise LineError("ValidationError", f"{where}.segments must be a non-empty list")
    fid = new_fid()
    frames: list[tuple[int, JSONDict]] = []
    spans: list[list[int]] = []
    key_frames: dict[str, bool] = {}
    for s, segment in enumerate(segments):
        kfs = segment.get("keyframes") if isinstance(segment, dict) else None
        if not isinstance(kfs, list) or not kfs:
            raise LineError("ValidationError", f"{where}.segments[{s}].keyframes must be a non-empty list")
        numbers = []
        for k, kf in enumerate(kfs):
            at = f"{where}.segments[{s}].keyframes[{k}]"
            if not isinstance(kf, dict) or not isinstance(kf.get("frame"), int) or kf["frame"] < 0:
                raise LineError("ValidationError", f"{at}.frame must be a frame number")
            keys = [g for g in ("bbox", "point", "line") if g in kf]
            if len(keys) != 1:
                raise LineError("ValidationError", f"{at} needs exactly one of bbox, point and line")
            if feature is not None and feature.kind not in _TOOLS[keys[0]]:
                raise LineError("ValidationError", f"{at}: {feature.name!r} is a {feature.kind} tool, not {keys[0]}")
            kind, geometry = _geometry(kf, keys[0], at, "IMAGE")
            video_kind = {"ImageBoundingBox": "VideoBoundingBox", "ImagePoint": "VideoPoint"}.get(kind, "VideoPolyline")
            if media == "DICOM":
                video_kind = "DICOMPolyline"
            obj = _object_head(line, feature, video_kind, lambda: fid)
            obj.update(geometry)
            obj["classifications"] = _subclassifications(kf.get("classifications"), feature, at, new_fid)
            frames.append((kf["frame"], obj))
            numbers.append(kf["frame"])
            key_frames[str(kf["frame"])] = True
        spans.append([min(numbers), max(numbers)])
    return {
        "feature_id": fid,
        "segments": spans,
        "key_frames": key_frames,
        "_frames": frames,
        "_place": "video",
    }


def _subclassifications(value: Any, parent: Feature | None, where: str, new_fid: Any) -> list[JSONDict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LineError("ValidationError", f"{where}.classifications must be a list")
    out = []
    for k, sub in enumerate(value):
        at = f"{where}.classifications[{k}]"
        if not isinstance(sub, dict):
            raise LineError("ValidationError", f"{at} must be an object")
        feature = parent.child(sub, at) if parent is not None else None
        out.append(_classification_answer(sub, feature, at, new_fid))
    return out


def _classification_answer(line: JSONDict, feature: Feature | None, where: str, new_fid: Any) -> JSONDict:
    if feature is not None and feature.kind not in ("radio", "checklist", "text"):
        raise LineError("ValidationError", f"{where}: {feature.name!r} is a {feature.kind} tool, not a classification")
    answer = line.get("answer", line.get("answers"))
    name = feature.name if feature else str(line.get("name"))
    out: JSONDict = {
        "feature_id": new_fid(),
        "feature_schema_id": feature.schema_id if feature else line.get("schemaId"),
        "name": name,
        "value": feature.value if feature else _slug(name),
    }
    if isinstance(answer, str):
        if feature is not None and feature.kind != "text":
            raise LineError("ValidationError", f"{where}: {name!r} is a {feature.kind} question, not text")
        out["text_answer"] = {"content": answer}
    elif isinstance(answer, dict):
        if feature is not None and feature.kind != "radio":
            raise LineError("ValidationError", f"{where}: {name!r} is a {feature.kind} question, not radio")
        out["radio_answer"] = _option_answer(answer, feature, f"{where}.answer", new_fid)
    elif isinstance(answer, list) and answer:
        if feature is not None and feature.kind != "checklist":
            raise LineError("ValidationError", f"{where}: {name!r} is a {feature.kind} question; a checklist was sent")
        out["checklist_answers"] = [
            _option_answer(a, feature, f"{where}.answer[{k}]", new_fid) for k, a in enumerate(answer)
        ]
    else:
        raise LineError(
            "ValidationError", f"{where}.answer must be a string (text), an object (radio) or a non-empty list"
        )
    return out


def _option_answer(answer: Any, question: Feature | None, where: str, new_fid: Any) -> JSONDict:
    if not isinstance(answer, dict):
        raise LineError("ValidationError", f"{where} must be an object with name or schemaId")
    if question is not None:
        option = question.child(answer, where)
    else:
        option = None
    name = option.name if option else str(answer.get("name"))
    return {
        "feature_id": new_fid(),
        "feature_schema_id": option.schema_id if option else answer.get("schemaId"),
        "name": name,
        "value": option.value if option else _slug(name),
        "classifications": _subclassifications(answer.get("classifications"), option, where, new_fid),
    }


__all__ = ["KINDS", "AnnotationImports", "ImportJob", "ImportedLabel"]
