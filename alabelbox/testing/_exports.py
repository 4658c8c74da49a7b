"""Export tasks: selection, the shard writer thread, and the shard index.

An export writes NDJSON shards to a temporary directory from a background thread while the task
is IN_PROGRESS, as the real pipeline does; nothing holds the export in memory. A shard closes at
a line boundary once it reaches ``shard_bytes``. Byte and line ranges are global and inclusive.
"""

from __future__ import annotations

import bisect
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._data import K_BATCH, K_DATASET, K_PROJECT, K_ROW, JSONDict, World, mix, unit
from ._ids import iso_ms, parse_time
from ._store import Deletions

SEARCH_LIMIT = 2_000
EXPORT_ID_LIMIT = 30
STREAMS = ("RESULT", "ERRORS")


class ExportInputError(Exception):
    """The export input is invalid; carries the API's ``MALFORMED_REQUEST`` details."""

    def __init__(self, message: str, errors: list[JSONDict]) -> None:
        super().__init__(message)
        self.errors = errors


@dataclass
class Shard:
    """One file of a stream, with its global inclusive ranges."""

    number: int
    path: Path
    key: str
    byte_start: int
    byte_end: int
    line_start: int
    line_end: int


@dataclass
class Stream:
    """The shards of one stream (RESULT or ERRORS) of a task."""

    shards: list[Shard] = field(default_factory=list)
    total_size: int = 0
    total_lines: int = 0

    def by_offset(self, offset: int) -> Shard | None:
        starts = [s.byte_start for s in self.shards]
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0 or offset > self.shards[k].byte_end:
            return None
        return self.shards[k]

    def by_line(self, line: int) -> Shard | None:
        starts = [s.line_start for s in self.shards]
        k = bisect.bisect_right(starts, line) - 1
        if k < 0 or line > self.shards[k].line_end:
            return None
        return self.shards[k]


@dataclass
class RowSource:
    """Rows of dataset ``d`` to export, with the projects whose labels go in each line."""

    d: int
    indices: Iterable[int]
    projects: list[int]
    count: int


@dataclass
class ExportTask:
    """State of one export task."""

    id: str
    name: str | None
    kind: str
    created_at: float
    min_ready_at: float
    user: int
    streams: dict[str, Stream] = field(default_factory=lambda: {s: Stream() for s in STREAMS})
    done: threading.Event = field(default_factory=threading.Event)
    fail: str | None = None
    """The failure message of an injected failure (``Faults.fail_exports``), else None."""
    scanned: int = 0
    total: int = 1
    error: str | None = None
    """What went wrong in the writer thread, if anything (the task then ends FAILED)."""
    malformed_lines: frozenset[int] = frozenset()
    clock: Callable[[], float] = time.time
    """The emulator clock (``Clock.now``), read when the writer finishes."""
    finished_at: float | None = None
    """When the writer thread finished (emulator clock), None while it runs."""

    def status(self, now: float) -> str:
        if not self.done.is_set() or now < self.min_ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.fail is not None or self.error else "COMPLETE"

    def completion(self, now: float) -> float:
        if self.status(now) != "IN_PROGRESS":
            return 100.0
        return round(min(99.0, 100.0 * self.scanned / max(1, self.total)), 2)

    def errors(self, status: str) -> str | None:
        """The task's ``errors`` field: None unless FAILED, then what went wrong (a string, as the API sends)."""
        if status != "FAILED":
            return None
        if self.fail is not None:
            return self.fail
        return f"Failed to export data rows: {self.error}"

    def as_graphql(self, now: float) -> JSONDict:
        status = self.status(now)
        return {
            "id": self.id,
            "name": self.name,
            "type": "export-data-rows",
            "status": status,
            "completionPercentage": self.completion(now),
            "createdAt": iso_ms(self.created_at),
            # Once the task has ended, when it ended: the later of its minimum time and its writer's end.
            "updatedAt": iso_ms(
                max(self.created_at, min(now, self.min_ready_at))
                if status == "IN_PROGRESS"
                else max(self.min_ready_at, self.finished_at or self.min_ready_at)
            ),
            "errors": self.errors(status),
            "result": None,
            "metadata": {"exportType": self.kind},
        }


def _range_filter(value: JSONDict) -> tuple[float | None, float | None]:
    """``(lo, hi)`` timestamps of a ``{"operator", "timezone", "value"}`` date filter."""
    tz = value.get("timezone")
    op = value.get("operator")
    raw = value.get("value")
    try:
        if op == "BETWEEN" and isinstance(raw, dict):
            return parse_time(str(raw["min"]), tz), parse_time(str(raw["max"]), tz)
        if op == "GREATER_THAN_OR_EQUAL":
            return parse_time(str(raw), tz), None
        if op == "LESS_THAN_OR_EQUAL":
            return None, parse_time(str(raw), tz)
    except (KeyError, ValueError) as exc:
        raise ExportInputError(f"Invalid date filter: {raw!r}", [{"error": f"Invalid date filter: {raw!r}"}]) from exc
    raise ExportInputError(f"Unsupported operator {op!r}", [{"error": f"Unsupported operator {op!r}"}])


class Selection:
    """Parsed searchQuery filters, evaluated row by row."""

    def __init__(
        self,
        world: World,
        deletions: Deletions,
        query: list[Any] | None,
        global_key: Callable[[str], tuple[int, int] | None] | None = None,
    ) -> None:
        """``global_key(key)`` finds the seeded row holding a key as it stands (written keys included); without
        it, the generated keys are decoded."""
        self.world = world
        self.deletions = deletions
        self._global_key = global_key
        self.rows: set[tuple[int, int]] | None = None
        self.datasets: set[int] | None = None
        self.batches: set[tuple[int, int]] | None = None
        self.activity: tuple[float | None, float | None] | None = None
        self.labeled: tuple[float | None, float | None] | None = None
        self.queue: set[str] | None = None
        self.created_ids: set[str] | None = None
        """The raw ``data_row_id`` / ``global_key`` values asked for (created rows are matched on them)."""
        self.created_datasets: set[str] | None = None
        """The raw ``dataset`` ids asked for."""
        self.batch_ids: set[str] | None = None
        """The raw ``batch`` ids asked for (created batches are matched on them)."""
        for item in query or []:
            if not isinstance(item, dict):
                raise ExportInputError("Invalid search query", [{"error": "Invalid search query"}])
            self._add(item)

    def _ids(self, item: JSONDict) -> list[Any]:
        ids = item.get("ids")
        kind = item.get("type")
        if not isinstance(ids, list):
            raise ExportInputError(f"{kind} filter expects a list", [{"error": "ids expected"}])
        if len(ids) > SEARCH_LIMIT:
            message = f"Search query for {kind} exceeds the maximum of {SEARCH_LIMIT} ids"
            raise ExportInputError(message, [{"error": message, "type": kind, "limit": SEARCH_LIMIT, "got": len(ids)}])
        return ids

    def _add(self, item: JSONDict) -> None:
        kind = item.get("type")
        w = self.world
        if kind in ("data_row_id", "global_key"):
            found: set[tuple[int, int]] = set()
            for value in self._ids(item):
                got = w.find(value, K_ROW) if kind == "data_row_id" else self._gk(value)
                if got is not None:
                    found.add(got)
            self.rows = found if self.rows is None else self.rows & found
            raw = {str(v) for v in self._ids(item)}
            self.created_ids = raw if self.created_ids is None else self.created_ids & raw
        elif kind == "dataset":
            raw = {str(v) for v in self._ids(item)}
            self.created_datasets = raw if self.created_datasets is None else self.created_datasets & raw
            # Seeded datasets only (parent 0): a created dataset holds no rows yet.
            ds = {got[1] for v in self._ids(item) if (got := w.find(v, K_DATASET)) is not None and got[0] == 0}
            self.datasets = ds if self.datasets is None else self.datasets & ds
        elif kind == "batch":
            bs = {got for v in self._ids(item) if (got := w.find(v, K_BATCH)) is not None}
            raw = {str(v) for v in self._ids(item)}
            self.batch_ids = raw if self.batch_ids is None else self.batch_ids & raw
            self.batches = bs if self.batches is None else self.batches & bs
        elif kind == "data_row_last_activity_at":
            self.activity = _range_filter(item.get("value") or {})
        elif kind == "labeled_at":
            self.labeled = _range_filter(item.get("value") or {})
        elif kind == "task_queue_status":
            status = {"InReview": "IN_REVIEW", "InRework": "IN_REWORK", "Done": "DONE"}.get(str(item.get("status")))
            if status is None:
                raise ExportInputError(
                    f"Unknown workflow status {item.get('status')!r}",
                    [{"error": f"Unknown workflow status {item.get('status')!r}"}],
                )
            self.queue = {status}
        elif kind == "task_queue_not_exist":
            self.queue = {"TO_LABEL"}
        else:
            raise ExportInputError(
                f"Unsupported search query type {kind!r}",
                [{"error": f"Unsupported search query type {kind!r}"}],
            )

    def matches_created(self, row_id: str, global_key: str | None, dataset_id: str) -> bool:
        """Whether a created row (in no project, no batch, never labelled) passes the filters."""
        if self.batches is not None or self.labeled is not None or self.queue is not None:
            return False
        if self.created_datasets is not None and dataset_id not in self.created_datasets:
            return False
        return self.created_ids is None or row_id in self.created_ids or global_key in self.created_ids

    def matches_batched(self, row_id: str, global_key: str | None, batch_id: str, status: str) -> bool:
        """Whether a row of a created batch (never labelled yet, in workflow ``status``) passes the filters."""
        if self.labeled is not None:
            return False
        if self.batch_ids is not None and batch_id not in self.batch_ids:
            return False
        if self.queue is not None and status not in self.queue:
            return False
        return self.created_ids is None or row_id in self.created_ids or global_key in self.created_ids

    def _gk(self, value: object) -> tuple[int, int] | None:
        if not isinstance(value, str):
            return None
        if self._global_key is not None:
            return self._global_key(value)
        parts = value.split("_")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        d, i = int(parts[1]), int(parts[2])
        if d >= self.world.n_projects or i >= self.world.n_rows:
            return None
        return (d, i) if self.world.global_key(d, i) == value else None

    def candidate_rows(self, d: int) -> tuple[Iterable[int], int]:
        """Row indices of dataset ``d`` worth checking, and how many."""
        if self.datasets is not None and d not in self.datasets:
            return (), 0
        if self.rows is not None:
            rows = sorted(i for dd, i in self.rows if dd == d)
            return rows, len(rows)
        if self.batches is not None:
            size = self.world.config.batch_size
            spans = sorted(b for p, b in self.batches if p == d)
            idx = [range(b * size, min(self.world.n_rows, (b + 1) * size)) for b in spans]
            return (i for r in idx for i in r), sum(len(r) for r in idx)
        return range(self.world.n_rows), self.world.n_rows

    def matches(self, d: int, i: int, project: int | None) -> bool:
        w = self.world
        alive = project is not None and not self.deletions.is_deleted(project, i)
        if self.queue is not None:
            if project is None:
                return False
            status = w.workflow_status(project, i) if alive else "TO_LABEL"
            if status not in self.queue:
                return False
        if self.labeled is not None:
            if not alive or project is None:
                return False
            if not _within(w.label_meta(project, i).created_at, self.labeled):
                return False
        if self.activity is not None:
            last = w.label_meta(d, i).updated_at if alive or project is None else w.row_created(d, i)
            if not _within(last, self.activity):
                return False
        return True


def _within(ts: float, bounds: tuple[float | None, float | None]) -> bool:
    lo, hi = bounds
    return (lo is None or ts >= lo) and (hi is None or ts <= hi)


class ShardWriter:
    """Appends lines to a stream, rolling to a new shard file at ``shard_bytes``."""

    def __init__(
        self,
        stream: Stream,
        directory: Path,
        key_prefix: str,
        shard_bytes: int,
        publish: Callable[[str, Path], None],
    ) -> None:
        self.stream = stream
        self.directory = directory
        self.key_prefix = key_prefix
        self.shard_bytes = shard_bytes
        self.publish = publish
        self._buf: list[bytes] = []
        self._size = 0
        self._lines = 0
        self._file: Any = None
        self._path: Path | None = None

    def write(self, line: bytes) -> None:
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._path = self.directory / f"{len(self.stream.shards):05d}.ndjson"
            self._file = open(self._path, "wb", buffering=1 << 20)
        self._file.write(line)
        self._size += len(line)
        self._lines += 1
        if self._size >= self.shard_bytes:
            self.close_shard()

    def close_shard(self) -> None:
        if self._file is None or self._path is None:
            return
        self._file.close()
        s = self.stream
        number = len(s.shards)
        key = f"{self.key_prefix}/{number:05d}.ndjson"
        self.publish(key, self._path)
        s.shards.append(
            Shard(
                number=number,
                path=self._path,
                key=key,
                byte_start=s.total_size,
                byte_end=s.total_size + self._size - 1,
                line_start=s.total_lines,
                line_end=s.total_lines + self._lines - 1,
            )
        )
        s.total_size += self._size
        s.total_lines += self._lines
        self._file = None
        self._size = 0
        self._lines = 0

    def discard(self) -> None:
        """Close the shard being written without publishing it (the export stopped or failed)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode()


def malformed(line: bytes) -> bytes:
    """A corrupt version of ``line``: cut in the middle of the JSON, still one line."""
    return line[: max(1, len(line) // 2)].rstrip(b"\n") + b"\n"


def write_export(
    task: ExportTask,
    world: World,
    deletions: Deletions,
    sources: list[RowSource],
    selection: Selection,
    params: JSONDict,
    directory: Path,
    shard_bytes: int,
    publish: Callable[[str, Path], None],
    stop: threading.Event,
    error_rate: float,
    created: Callable[[], Iterable[JSONDict]] = tuple,
    imported: Mapping[int, Mapping[str, list[JSONDict]]] | None = None,
    patches: Mapping[str, JSONDict] | None = None,
) -> None:
    """The writer thread body: generate, filter and write every line of the export.

    ``created()`` gives the lines of the created data rows the export holds, written after the seeded ones.
    ``imported[p][row id]`` are the labels imports created on that row of project ``p`` (a copy made before the
    thread starts), added after the row's seeded label. ``patches[row id]`` are the fields written to a seeded row
    (a copy too), in place of the generated ones.
    """
    writers = {
        s: ShardWriter(task.streams[s], directory / s, f"exports/{task.id}/{s}", shard_bytes, publish) for s in STREAMS
    }
    line_no = 0
    try:
        for src in sources:
            main = src.projects[0] if src.projects else None
            for i in src.indices:
                if stop.is_set():
                    return
                task.scanned += 1
                if not selection.matches(src.d, i, main):
                    continue
                if error_rate and unit(mix(world.seed, src.d, i, 99)) < error_rate:
                    writers["ERRORS"].write(
                        _dumps(
                            {
                                "data_row": {"id": world.row_id(src.d, i)},
                                "errors": [
                                    {
                                        "code": "EXPORT_DATA_ROW_FAILED",
                                        "message": "Failed to export data row ⚠️",
                                    }
                                ],
                            }
                        )
                    )
                    continue
                labelled = [not deletions.is_deleted(p, i) for p in src.projects]
                record = world.export_line(src.d, i, params, src.projects, labelled)
                if patches:
                    record = patch_export_line(record, patches.get(record["data_row"]["id"]), params)
                if imported:
                    for p in src.projects:
                        extra = imported.get(p, {}).get(record["data_row"]["id"])
                        if extra:
                            record["projects"][world.project_id(p)]["labels"].extend(extra)
                line = _dumps(record)
                if line_no in task.malformed_lines:
                    line = malformed(line)
                writers["RESULT"].write(line)
                line_no += 1
        for obj in created():
            if stop.is_set():
                return
            task.scanned += 1
            line = _dumps(obj)
            if line_no in task.malformed_lines:
                line = malformed(line)
            writers["RESULT"].write(line)
            line_no += 1
        for writer in writers.values():
            writer.close_shard()
    except Exception as exc:  # the task fails rather than the emulator
        task.error = repr(exc)
    finally:
        # On stop (the emulator closing) or an error, the shard being written is closed, not published.
        for writer in writers.values():
            writer.discard()
        task.finished_at = task.clock()
        task.done.set()


def plan_sources(
    world: World,
    selection: Selection,
    project: int | None,
    params: JSONDict,
    live: Callable[[int], bool] | None = None,
) -> list[RowSource]:
    """Which datasets and rows an export walks, and which projects' labels each line carries.

    ``live(d)`` says whether seeded dataset ``d`` still exists (the rows of a deleted one are not exported).
    """
    sources: list[RowSource] = []
    alive = live or (lambda d: True)
    if project is not None:
        if not alive(project):
            return []
        rows, count = selection.candidate_rows(project)
        return [RowSource(project, rows, [project], count)]
    wanted: set[int] = set()
    if params.get("allProjects"):
        wanted = set(range(world.n_projects))
    else:
        for pid in params.get("projectIds") or []:
            got = world.find(pid, K_PROJECT)
            if got is not None:
                wanted.add(got[1])
    for d in range(world.n_projects):
        if not alive(d):
            continue
        rows, count = selection.candidate_rows(d)
        if count:
            sources.append(RowSource(d, rows, [d] if d in wanted else [], count))
    return sources


def check_params(params: JSONDict) -> None:
    """Reject parameter lists longer than the API accepts."""
    for key in ("projectIds", "modelRunIds"):
        values = params.get(key) or []
        if len(values) > EXPORT_ID_LIMIT:
            message = f"{key} exceeds the maximum of {EXPORT_ID_LIMIT} ids"
            raise ExportInputError(message, [{"error": message}])


def read_lines(stream: Stream) -> Iterator[bytes]:
    """Every line of a finished stream, in order, read back from the shard files."""
    for shard in stream.shards:
        with open(shard.path, "rb") as fh:
            yield from fh


def patch_export_line(line: JSONDict, patch: JSONDict | None, params: JSONDict) -> JSONDict:
    """Export v2 line ``line`` of a seeded row with its written fields (``patch``, from
    :meth:`~alabelbox.testing.resources.data_rows.DataRows.export_patches`) in place of the generated ones."""
    if not patch:
        return line
    row = line["data_row"]
    if "global_key" in patch:
        # The key's place stays: id, global_key, external_id, row_data, details.
        rest = {k: v for k, v in row.items() if k not in ("id", "global_key")}
        row = {"id": row["id"]}
        if patch["global_key"] is not None:
            row["global_key"] = patch["global_key"]
        row.update(rest)
        line["data_row"] = row
    if "details" in row:
        row["details"]["updated_at"] = patch["updated_at"]
    if params.get("includeAttachments") and "attachments" in patch:
        line["attachments"] = [dict(a) for a in patch["attachments"]]
    if params.get("includeMetadata") and "metadata_fields" in patch:
        line["metadata_fields"] = json.loads(json.dumps(patch["metadata_fields"]))
    return line


def patch_legacy_row(row: JSONDict, patch: JSONDict | None) -> JSONDict:
    """Legacy export element ``row`` of a seeded row with its written global key and metadata."""
    if not patch:
        return row
    if "global_key" in patch:
        row["Global Key"] = patch["global_key"]
    if "custom_metadata" in patch:
        row["DataRow Metadata"] = json.loads(json.dumps(patch["custom_metadata"]))
    return row
