"""GraphQL resolvers over the generated world and the stored mutations.

Objects are plain dicts; relationship and argument-taking fields are callables, which
graphql-core's default resolver calls as ``value(info, **args)``.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError

from ._data import (
    K_BATCH,
    K_DATASET,
    K_LABEL,
    K_LEGACY,
    K_PROJECT,
    K_ROW,
    K_TASK,
    K_USER,
    LABEL_STEP,
    LABEL_T0,
    JSONDict,
    LabelMeta,
    World,
)
from ._exports import (
    ExportInputError,
    ExportTask,
    Selection,
    check_params,
    plan_sources,
    write_export,
)
from ._faults import Faults
from ._ids import iso_ms, parse_time
from ._storage import Signer, StorageApp
from ._store import Clock, Deletions

LEGACY_REUSE_SECONDS = 30 * 60

# ``json.dumps(value, ensure_ascii=False)``, without the cycle check (generated data has no cycles): same text.
dumps_text = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

# graphql-core 3.3 makes Info generic and 3.2 does not: keep resolvers agnostic.
Info = Any


class ApiError(GraphQLError):
    """A GraphQL error with the API's ``extensions.code`` (and optional extra members)."""

    def __init__(
        self,
        message: str,
        code: str,
        *,
        status: int | None = None,
        extra: JSONDict | None = None,
    ) -> None:
        extensions: JSONDict = {"code": code}
        if status is not None:
            extensions["exception"] = {"status": status, "message": message}
        super().__init__(message, extensions=extensions)
        self.extra = extra or {}


class LazyDict(dict[str, Any]):
    """A GraphQL object whose members in ``lazy`` are computed on their first ``get`` (as graphql-core reads them).

    Unlike a callable member, a lazy member is a plain value to the executor, so it takes the scalar fast path.
    """

    __slots__ = ("_lazy",)

    def __init__(self, eager: JSONDict, lazy: dict[str, Callable[[], Any]]) -> None:
        super().__init__(eager)
        self._lazy = lazy

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        make = self._lazy.get(key)
        if make is None:
            return default
        value = self[key] = make()
        return value


def not_found(kind: str, value: object) -> ApiError:
    return ApiError(f"Resource not found: no {kind} with id {value!r}", "RESOURCE_NOT_FOUND")


@dataclass
class LegacyExport:
    id: str
    created_at: float
    ready_at: float
    key: str
    url: str
    done: threading.Event


@dataclass
class Settings:
    """Knobs of the backend that tests and the CLI set."""

    shard_bytes: int = 4 * 1024 * 1024
    task_seconds: float = 1.0
    url_ttl: float = 3600.0


class Backend:
    """Everything the resolvers need: world, state, exports, storage, clock and faults."""

    def __init__(
        self,
        world: World,
        clock: Clock,
        faults: Faults,
        storage: StorageApp,
        signer: Signer,
        workdir: Path,
        settings: Settings,
    ) -> None:
        self.world = world
        self.clock = clock
        self.faults = faults
        self.storage = storage
        self.signer = signer
        self.workdir = workdir
        self.settings = settings
        self.deletions = Deletions()
        self.tasks: dict[str, ExportTask] = {}
        self.threads: list[threading.Thread] = []
        self.stop = threading.Event()
        self.legacy: dict[str, LegacyExport] = {}
        self.api_url = ""
        self._task_counter = 0
        self._legacy_counter = 0
        self._scan_memo: OrderedDict[tuple[Any, ...], tuple[int, int]] = OrderedDict()
        self.root = self._root()

    # ------------------------------------------------------------- objects

    def user_obj(self, u: int) -> JSONDict:
        obj = self.world.user(u)
        obj["organization"] = lambda info: self.org_obj()
        obj["projects"] = lambda info, where=None, skip=0, first=None, orderBy=None: self._projects(
            where, skip, first, orderBy
        )
        obj["createdTasks"] = lambda info, where=None, skip=0, first=None: self._tasks(u, where, skip, first)
        return obj

    def org_obj(self) -> JSONDict:
        obj = self.world.organization()
        obj["users"] = lambda info, skip=0, first=None: [
            self.user_obj(u) for u in _page(range(self.world.n_users), skip, first)
        ]
        obj["projects"] = lambda info, where=None, skip=0, first=None: self._projects(where, skip, first, None)
        return obj

    def project_obj(self, p: int) -> JSONDict:
        obj = self.world.project(p)
        obj["createdBy"] = lambda info: self.user_obj(0)
        obj["organization"] = lambda info: self.org_obj()
        obj["labelCount"] = lambda info: self.world.n_rows - self.deletions.count(p)
        obj["labels"] = lambda info, where=None, skip=0, first=None, orderBy=None: [
            self.label_obj(p, i) for i in self._labels(p, where, skip, first, orderBy)
        ]
        obj["bulkDeleteLabels"] = lambda info, where=None, makeTemplates=False, waitForQueue=None, first=None, skip=0: (
            self._bulk_delete(p, where, bool(makeTemplates), skip, first)
        )
        obj["deleteBatchLabels"] = lambda info, batchId, data: self._delete_batch(info, p, batchId, data)
        obj["batches"] = lambda info, after=None, first=None: self._batches(info, p, after, first)
        obj["datasets"] = lambda info, skip=0, first=None: [self.dataset_obj(d) for d in _page([p], skip, first)]
        return obj

    def dataset_obj(self, d: int) -> JSONDict:
        obj = self.world.dataset(d)
        obj["createdBy"] = lambda info: self.user_obj(0)
        obj["organization"] = lambda info: self.org_obj()
        obj["dataRows"] = lambda info, skip=0, first=None: [
            self.row_obj(d, i) for i in _page(range(self.world.n_rows), skip, first)
        ]
        obj["projects"] = lambda info, skip=0, first=None: [self.project_obj(p) for p in _page([d], skip, first)]
        return obj

    def row_obj(self, d: int, i: int) -> JSONDict:
        obj = self.world.data_row(d, i)
        obj["dataset"] = lambda info: self.dataset_obj(d)
        obj["createdBy"] = lambda info: self.user_obj(0)
        return obj

    def label_obj(self, p: int, i: int, *, template: bool = False) -> JSONDict:
        meta = self.world.label_meta(p, i)
        kind = "Skipped" if meta.skipped else "Submitted"
        eager = {
            "id": meta.id,
            "createdAt": iso_ms(meta.created_at),
            "updatedAt": iso_ms(meta.updated_at),
            "agreement": meta.agreement,
            "benchmarkAgreement": meta.benchmark_agreement,
            "isBenchmarkReference": meta.is_benchmark_reference,
            # Templates keep the label itself but not its timing metrics.
            "secondsToLabel": None if template else meta.seconds_to_label,
            "secondsToReview": None if template else meta.seconds_to_review,
            "secondsToCreate": None if template else meta.seconds_to_create,
            "deleted": template,
            "createdBy": lambda info: self.user_obj(meta.creator),
            "type": {"id": self.world.label_type_ids[kind], "name": kind},
            "dataRow": lambda info: self.row_obj(p, i),
            "project": lambda info: self.project_obj(p),
            "reviews": lambda info: self._reviews(p, i, meta),
        }
        # The legacy label JSON is most of a label's cost: made only when selected, as a plain value.
        return LazyDict(eager, {"label": lambda: self._legacy_label_text(p, i, meta)})

    def _reviews(self, p: int, i: int, meta: LabelMeta) -> list[JSONDict]:
        out = []
        for r in self.world.label_reviews(p, i, meta):
            stamp = iso_ms(r.created_at)
            out.append(
                {
                    "id": r.id,
                    "score": float(r.score),
                    "createdAt": stamp,
                    "updatedAt": stamp,
                    "createdBy": lambda info, u=r.reviewer: self.user_obj(u),
                }
            )
        return out

    def _legacy_label_text(self, p: int, i: int, meta: LabelMeta | None = None) -> str:
        return dumps_text(self._legacy_label(p, i, meta))

    def _legacy_label(self, p: int, i: int, meta: LabelMeta | None = None) -> JSONDict:
        label = self.world.legacy_label_json(p, i, meta)
        if "frames" in label:
            label = {"frames": str(label["frames"]).replace("__API__", self.api_url)}
        return label

    # -------------------------------------------------------------- lists

    def _projects(self, where: JSONDict | None, skip: int, first: int | None, order: str | None) -> list[JSONDict]:
        items = [self.world.project(p) for p in range(self.world.n_projects)]
        items = [o for o in items if _match_simple(o, where)]
        items = _order(items, order)
        return [self.project_obj(self.world.find(o["id"], K_PROJECT)[1]) for o in _page(items, skip, first)]  # type: ignore[index]

    def _datasets(self, where: JSONDict | None, skip: int, first: int | None, order: str | None) -> list[JSONDict]:
        items = [self.world.dataset(d) for d in range(self.world.n_projects)]
        items = [o for o in items if _match_simple(o, where)]
        items = _order(items, order)
        return [self.dataset_obj(self.world.find(o["id"], K_DATASET)[1]) for o in _page(items, skip, first)]  # type: ignore[index]

    def _tasks(self, u: int, where: JSONDict | None, skip: int, first: int | None) -> list[JSONDict]:
        now = self.clock.now()
        tasks = [t for t in self.tasks.values() if t.user == u]
        if where and where.get("id") is not None:
            tasks = [t for t in tasks if t.id == where["id"]]
        return [self.task_obj(t, now) for t in _page(tasks, skip, first)]

    def task_obj(self, task: ExportTask, now: float) -> JSONDict:
        obj = task.as_graphql(now)
        obj["createdBy"] = lambda info: self.user_obj(task.user)
        obj["exportMetadataHeader"] = lambda info, streamType: self._header(task, streamType)
        obj["exportFileFromOffset"] = lambda info, streamType, offset: self._file(task, streamType, offset=offset)
        obj["exportFileFromLine"] = lambda info, streamType, line: self._file(task, streamType, line=line)
        return obj

    def _header(self, task: ExportTask, stream_type: str) -> JSONDict | None:
        if task.status(self.clock.now()) != "COMPLETE":
            return None
        stream = task.streams[stream_type]
        if stream.total_lines == 0:
            return None
        return {"totalSize": stream.total_size, "totalLines": stream.total_lines}

    def _file(
        self, task: ExportTask, stream_type: str, *, offset: int | None = None, line: int | None = None
    ) -> JSONDict | None:
        if task.status(self.clock.now()) != "COMPLETE":
            return None
        stream = task.streams[stream_type]
        shard = stream.by_offset(offset) if offset is not None else stream.by_line(line or 0)
        if shard is None:
            return None
        return {
            "offsets": {"start": shard.byte_start, "end": shard.byte_end},
            "lines": {"start": shard.line_start, "end": shard.line_end},
            "file": self.signer.sign(shard.key, self.settings.url_ttl, expired=self.faults.expired_urls),
        }

    def _batches(self, info: Info, p: int, after: str | None, first: int | None) -> JSONDict:
        _experimental_only(info, "batches", "Project")
        start = 0
        if after:
            got = self.world.find(after, K_BATCH)
            if got is None or got[0] != p:
                raise not_found("batch", after)
            start = got[1] + 1
        n = self.world.n_batches
        stop = n if first is None else min(n, start + first)
        nodes = [self.world.batch(p, b) for b in range(start, stop)]
        return {
            "nodes": nodes,
            "pageInfo": {
                "hasNextPage": stop < n,
                "endCursor": nodes[-1]["id"] if nodes and stop < n else None,
                "startCursor": nodes[0]["id"] if nodes else None,
            },
        }

    # ------------------------------------------------------------ labels

    def _label_where(self, p: int, where: JSONDict | None) -> tuple[Callable[[int], bool] | None, int, int]:
        """A predicate over label indices of project ``p`` plus an index window ``[lo, hi)``."""
        w = self.world
        lo, hi = 0, w.n_rows
        checks: list[Callable[[int], bool]] = []
        clauses = [where] if where else []
        while clauses:
            cl = clauses.pop()
            for sub in cl.get("AND") or []:
                clauses.append(sub)
            if cl.get("id") is not None or cl.get("id_in") is not None:
                ids = [cl["id"]] if cl.get("id") is not None else list(cl["id_in"])
                wanted = {g[1] for v in ids if (g := w.find(v, K_LABEL)) is not None and g[0] == p}
                checks.append(wanted.__contains__)
            creator = cl.get("createdBy")
            if creator:
                if creator.get("id") is not None:
                    got = w.find(creator["id"], K_USER)
                    u = got[1] if got else -1
                else:
                    emails = {w.email(k): k for k in range(w.n_users)}
                    u = emails.get(str(creator.get("email")), -1)
                checks.append(_creator_check(w, p, u))
            for key, strict, above in (
                ("createdAt_gt", True, True),
                ("createdAt_gte", False, True),
                ("createdAt_lt", True, False),
                ("createdAt_lte", False, False),
            ):
                if cl.get(key) is None:
                    continue
                try:
                    ts = parse_time(str(cl[key]))
                except ValueError as exc:
                    raise ApiError(f"Invalid DateTime {cl[key]!r}", "GRAPHQL_VALIDATION_FAILED") from exc
                # created_at(i) lies in [LABEL_T0 + i*STEP, LABEL_T0 + i*STEP + 2): narrow the window
                if above:
                    lo = max(lo, int((ts - LABEL_T0 - 2) // LABEL_STEP))
                else:
                    hi = min(hi, int((ts - LABEL_T0) // LABEL_STEP) + 1)
                checks.append(_time_check(w, p, ts, strict, above))
            ltype = cl.get("type")
            if ltype:
                names = {v: k for k, v in w.label_type_ids.items()}
                name = names.get(ltype.get("id"), ltype.get("name"))
                checks.append(_type_check(w, p, str(name)))
            for key, above in (("agreement_gt", True), ("agreement_lt", False)):
                if cl.get(key) is None:
                    continue
                bound = float(cl[key])
                checks.append(_agreement_check(w, p, bound, above))
            row = cl.get("dataRow")
            if row:
                if row.get("id") is not None or row.get("id_in") is not None:
                    ids = [row["id"]] if row.get("id") is not None else list(row["id_in"])
                    rows = {g[1] for v in ids if (g := w.find(v, K_ROW)) is not None and g[0] == p}
                    checks.append(rows.__contains__)
                ds = row.get("dataset")
                if ds:
                    ids = [ds["id"]] if ds.get("id") is not None else list(ds.get("id_in") or [])
                    if w.dataset_id(p) not in ids:
                        hi = lo
        lo, hi = max(0, lo), max(0, min(hi, w.n_rows))
        if not checks:
            return None, lo, hi
        return (lambda i: all(c(i) for c in checks)), lo, hi

    def _matching(self, p: int, where: JSONDict | None, skip: int, descending: bool = False) -> Iterator[int]:
        """Alive labels of ``p`` matching ``where``, from the ``skip``-th match on."""
        pred, lo, hi = self._label_where(p, where)
        if pred is None and not descending:
            start = self.deletions.nth_alive(p, skip + _alive_before(self.deletions, p, lo), self.world.n_rows)
            if start is None or start >= hi:
                return iter(())
            return self.deletions.alive(p, start, hi)
        key = (p, json.dumps(where, sort_keys=True, default=str), descending, self.deletions.version)
        memo = self._scan_memo.get((*key, skip))
        indices: Iterator[int]
        if descending:
            indices = (i for i in range(hi - 1, lo - 1, -1) if not self.deletions.is_deleted(p, i))
            pos, seen = hi - 1, 0
            if memo is not None:
                pos, seen = memo
                indices = (i for i in range(pos, lo - 1, -1) if not self.deletions.is_deleted(p, i))
        else:
            pos, seen = lo, 0
            if memo is not None:
                pos, seen = memo
            indices = self.deletions.alive(p, pos, hi)
        return self._skip_and_memo(indices, pred, skip - seen if memo else skip, key, skip, descending)

    def _skip_and_memo(
        self,
        indices: Iterator[int],
        pred: Callable[[int], bool] | None,
        to_skip: int,
        key: tuple[Any, ...],
        skip: int,
        descending: bool,
    ) -> Iterator[int]:
        taken = 0
        for i in indices:
            if pred is not None and not pred(i):
                continue
            if to_skip > 0:
                to_skip -= 1
                continue
            taken += 1
            # Remember where the next page starts so sequential paging stays linear.
            nxt = i - 1 if descending else i + 1
            self._scan_memo[(*key, skip + taken)] = (nxt, skip + taken)
            while len(self._scan_memo) > 256:
                self._scan_memo.popitem(last=False)
            yield i

    def _labels(self, p: int, where: JSONDict | None, skip: int, first: int | None, order: str | None) -> list[int]:
        skip = skip or 0
        limit = first if first is not None else 100
        if order in (None, "id_ASC", "createdAt_ASC", "id_DESC", "createdAt_DESC"):
            out: list[int] = []
            for i in self._matching(p, where, skip, descending=bool(order and order.endswith("DESC"))):
                if len(out) >= limit:
                    break
                out.append(i)
            return out
        field, _, direction = order.rpartition("_")
        attr = {
            "updatedAt": "updated_at",
            "agreement": "agreement",
            "benchmarkAgreement": "benchmark_agreement",
            "secondsToLabel": "seconds_to_label",
        }[field]
        everything = list(self._matching(p, where, 0))

        def sort_key(i: int) -> tuple[bool, float, int]:
            value = getattr(self.world.label_meta(p, i), attr)
            return (value is None, value or 0.0, i)

        everything.sort(key=sort_key, reverse=direction == "DESC")
        return everything[skip : skip + limit]

    def all_label_indices(self, p: int) -> Iterator[int]:
        return self.deletions.alive(p, 0, self.world.n_rows)

    # ----------------------------------------------------------- deletions

    def _delete_labels(self, info: Info, labelIds: list[str]) -> list[JSONDict]:
        found = []
        for value in labelIds:
            got = self.world.find(value, K_LABEL)
            if got is None:
                raise not_found("label", value)
            found.append(got)
        for p, i in found:
            self.deletions.delete(p, i)
        return [{"id": self.world.label_id(p, i), "deleted": True} for p, i in found]

    def _bulk_delete(self, p: int, where: JSONDict | None, templates: bool, skip: int, first: int | None) -> JSONDict:
        chosen: list[int] = []
        for i in self._matching(p, where, skip or 0):
            if first is not None and len(chosen) >= first:
                break
            chosen.append(i)
        count = sum(self.deletions.delete(p, i, template=templates) for i in chosen)
        return {"count": count}

    def _delete_batch(self, info: Info, p: int, batch_id: str, data: JSONDict) -> JSONDict:
        _experimental_only(info, "deleteBatchLabels", "Project")
        got = self.world.find(batch_id, K_BATCH)
        if got is None or got[0] != p:
            raise not_found("batch", batch_id)
        size = self.world.config.batch_size
        template = data.get("type") == "RequeueDataWithLabelAsTemplate"
        lo, hi = got[1] * size, min(self.world.n_rows, (got[1] + 1) * size)
        deleted = [i for i in list(self.deletions.alive(p, lo, hi)) if self.deletions.delete(p, i, template=template)]
        return {"deletedLabelIds": [self.world.label_id(p, i) for i in deleted]}

    # -------------------------------------------------------------- exports

    def _new_task(self, kind: str, name: str | None) -> ExportTask:
        self._task_counter += 1
        now = self.clock.now()
        fail, malformed = self.faults.take_export_faults()
        task = ExportTask(
            id=self.world.ids.encode(K_TASK, 0, self._task_counter),
            name=name,
            kind=kind,
            created_at=now,
            min_ready_at=now + self.settings.task_seconds,
            user=0,
            fail=fail,
            malformed_lines=malformed,
            clock=self.clock.now,
        )
        self.tasks[task.id] = task
        return task

    def _export(self, kind: str, data: JSONDict, project: int | None) -> JSONDict:
        params = dict(data.get("params") or {})
        search = ((data.get("filters") or {}).get("searchQuery") or {}).get("query")
        try:
            check_params(params)
            selection = Selection(self.world, self.deletions, search)
        except ExportInputError as exc:
            raise ApiError(str(exc), "MALFORMED_REQUEST", extra={"errors": exc.errors}) from exc
        sources = plan_sources(self.world, selection, project, params)
        task = self._new_task(kind, data.get("taskName"))
        task.total = max(1, sum(s.count for s in sources))
        thread = threading.Thread(
            target=write_export,
            name=f"export-{task.id}",
            args=(
                task,
                self.world,
                self.deletions,
                sources,
                selection,
                params,
                self.workdir / "exports" / task.id,
                self.settings.shard_bytes,
                self.storage.publish,
                self.stop,
                self.faults.error_rate,
            ),
            daemon=True,
        )
        self.threads.append(thread)
        thread.start()
        return {"taskId": task.id, "isStreamable": True}

    def _export_project(self, info: Info, input: JSONDict) -> JSONDict:
        pid = (input.get("filters") or {}).get("projectId")
        got = self.world.find(pid, K_PROJECT)
        if got is None:
            raise not_found("project", pid)
        return self._export("exportDataRowsInProject", input, got[1])

    def _export_catalog(self, info: Info, input: JSONDict) -> JSONDict:
        return self._export("exportDataRowsInCatalog", input, None)

    # --------------------------------------------------------- legacy v1

    def _export_labels(self, info: Info, data: JSONDict) -> JSONDict:
        got = self.world.find(data.get("projectId"), K_PROJECT)
        if got is None:
            raise not_found("project", data.get("projectId"))
        p = got[1]
        filters = data.get("filters") or {}
        cache_key = json.dumps([p, filters], sort_keys=True)
        now = self.clock.now()
        export = self.legacy.get(cache_key)
        if export is None or now - export.created_at >= LEGACY_REUSE_SECONDS:
            export = self._start_legacy(p, filters, now)
            self.legacy[cache_key] = export
        ready = export.done.is_set() and now >= export.ready_at
        return {
            "downloadUrl": export.url if ready else None,
            "createdAt": iso_ms(export.created_at),
            "shouldPoll": not ready,
        }

    def _start_legacy(self, p: int, filters: JSONDict, now: float) -> LegacyExport:
        self._legacy_counter += 1
        xid = self.world.ids.encode(K_LEGACY, p, self._legacy_counter)
        key = f"legacy/{xid}.json"
        path = self.workdir / "legacy" / f"{xid}.json"
        export = LegacyExport(
            id=xid,
            created_at=now,
            ready_at=now + self.settings.task_seconds,
            key=key,
            # The URL must stay the same for 30 minutes, so it is signed once, for longer.
            url=self.signer.sign(key, LEGACY_REUSE_SECONDS + 7 * 86_400.0),
            done=threading.Event(),
        )
        created = filters.get("labelCreatedAt") or {}
        activity = filters.get("lastActivityAt") or {}

        def bounds(r: JSONDict) -> tuple[float | None, float | None]:
            return (
                parse_time(r["start"]) if r.get("start") else None,
                parse_time(r["end"]) + (86_400 if len(r["end"]) == 10 else 0) if r.get("end") else None,
            )

        c_lo, c_hi = bounds(created)
        a_lo, a_hi = bounds(activity)

        def run() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "wb", buffering=1 << 20) as fh:
                    fh.write(b"[")
                    first = True
                    for i in self.deletions.alive(p, 0, self.world.n_rows):
                        if self.stop.is_set():
                            return
                        meta = self.world.label_meta(p, i)
                        if (c_lo is not None and meta.created_at < c_lo) or (
                            c_hi is not None and meta.created_at > c_hi
                        ):
                            continue
                        if (a_lo is not None and meta.updated_at < a_lo) or (
                            a_hi is not None and meta.updated_at > a_hi
                        ):
                            continue
                        row = self.world.legacy_row(p, i, self.api_url)
                        fh.write((b"" if first else b", ") + json.dumps(row, ensure_ascii=False).encode())
                        first = False
                    fh.write(b"]")
                self.storage.publish(key, path)
            finally:
                export.done.set()

        thread = threading.Thread(target=run, name=f"legacy-{xid}", daemon=True)
        self.threads.append(thread)
        thread.start()
        return export

    # ----------------------------------------------------------- root

    def _root(self) -> JSONDict:
        w = self.world

        def user(info: Info, where: JSONDict | None = None) -> JSONDict | None:
            if not where or (where.get("id") is None and where.get("email") is None):
                return self.user_obj(0)
            if where.get("id") is not None:
                got = w.find(where["id"], K_USER)
                if got is None:
                    raise not_found("user", where["id"])
                return self.user_obj(got[1])
            for u in range(w.n_users):
                if w.email(u) == where.get("email"):
                    return self.user_obj(u)
            raise not_found("user", where.get("email"))

        def project(info: Info, where: JSONDict) -> JSONDict:
            got = w.find(where.get("id"), K_PROJECT)
            if got is None:
                raise not_found("project", where.get("id"))
            return self.project_obj(got[1])

        def dataset(info: Info, where: JSONDict) -> JSONDict:
            got = w.find(where.get("id"), K_DATASET)
            if got is None:
                raise not_found("dataset", where.get("id"))
            return self.dataset_obj(got[1])

        def data_row(info: Info, where: JSONDict) -> JSONDict:
            got = w.find(where.get("id"), K_ROW)
            if got is None:
                raise not_found("data row", where.get("id"))
            return self.row_obj(*got)

        def label(info: Info, where: JSONDict) -> JSONDict:
            got = w.find(where.get("id"), K_LABEL)
            if got is None:
                raise not_found("label", where.get("id"))
            p, i = got
            if self.deletions.is_deleted(p, i):
                if self.deletions.is_template(p, i):
                    return self.label_obj(p, i, template=True)
                raise not_found("label", where.get("id"))
            return self.label_obj(p, i)

        def task(info: Info, where: JSONDict | None = None) -> JSONDict:
            tid = (where or {}).get("id")
            found = self.tasks.get(str(tid))
            if found is None:
                raise not_found("task", tid)
            return self.task_obj(found, self.clock.now())

        def dataset_rows(
            info: Info,
            id: str,
            first: int | None = None,
            where: JSONDict | None = None,
            **kw: Any,
        ) -> JSONDict:
            got = w.find(id, K_DATASET)
            if got is None:
                raise not_found("dataset", id)
            d = got[1]
            start = w.n_rows - 1  # newest first
            cursor = kw.get("from")
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
                "nodes": [self.row_obj(d, k) for k in nodes],
                # The API returns the next page's cursor in startCursor (sic).
                "pageInfo": {"hasNextPage": nxt is not None, "startCursor": nxt, "endCursor": None},
                "totalCount": w.n_rows,
            }

        return {
            "user": user,
            "organization": lambda info: self.org_obj(),
            "projects": lambda info, where=None, skip=0, first=None, orderBy=None: self._projects(
                where, skip, first, orderBy
            ),
            "project": project,
            "datasets": lambda info, where=None, skip=0, first=None, orderBy=None: self._datasets(
                where, skip, first, orderBy
            ),
            "dataset": dataset,
            "datasetDataRows": dataset_rows,
            "dataRow": data_row,
            "label": label,
            "task": task,
            "customMetadataOntology": lambda info: _METADATA_ONTOLOGY,
            "deleteLabels": self._delete_labels,
            "exportLabels": self._export_labels,
            "exportDataRowsInProject": self._export_project,
            "exportDataRowsInCatalog": self._export_catalog,
        }


_METADATA_ONTOLOGY = [
    {"id": "cko8s9r5v0001h2dk9elqdidh", "name": "tag", "kind": "CustomMetadataString", "reserved": True, "options": []},
    {
        "id": "cko8sbczn0002h2dkdaxb5kal",
        "name": "split",
        "kind": "CustomMetadataEnum",
        "reserved": True,
        "options": [
            {"id": "cko8sbscr0003h2dk04w86hof", "name": "train", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8sc2yr0004h2dk69aj5x63", "name": "valid", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8scbz70005h2dkastwhgqt", "name": "test", "kind": "CustomMetadataEnumOption", "reserved": True},
        ],
    },
    {
        "id": "cko8sdzv70006h2dk8jg64zvb",
        "name": "captureDateTime",
        "kind": "CustomMetadataDateTime",
        "reserved": True,
        "options": [],
    },
]


def _experimental_only(info: Info, field: str, type_name: str) -> None:
    if not info.context.get("experimental"):
        raise ApiError(f'Cannot query field "{field}" on type "{type_name}".', "GRAPHQL_VALIDATION_FAILED")


def _time_check(w: World, p: int, ts: float, strict: bool, above: bool) -> Callable[[int], bool]:
    def check(i: int) -> bool:
        c = w.label_created(p, i)
        if above:
            return c > ts if strict else c >= ts
        return c < ts if strict else c <= ts

    return check


def _creator_check(w: World, p: int, u: int) -> Callable[[int], bool]:
    return lambda i: w.label_meta(p, i).creator == u


def _type_check(w: World, p: int, name: str) -> Callable[[int], bool]:
    return lambda i: ("Skipped" if w.label_meta(p, i).skipped else "Submitted") == name


def _agreement_check(w: World, p: int, bound: float, above: bool) -> Callable[[int], bool]:
    def check(i: int) -> bool:
        a = w.label_meta(p, i).agreement
        return a is not None and (a > bound if above else a < bound)

    return check


def _alive_before(deletions: Deletions, p: int, lo: int) -> int:
    if lo <= 0:
        return 0
    return lo - sum(1 for i in deletions.deleted(p) if i < lo)


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


def _match_simple(obj: JSONDict, where: JSONDict | None) -> bool:
    if not where:
        return True
    for key, value in where.items():
        if value is None:
            continue
        if key == "AND":
            if not all(_match_simple(obj, sub) for sub in value):
                return False
        elif key == "OR":
            if not any(_match_simple(obj, sub) for sub in value):
                return False
        elif key.endswith("_in"):
            if obj.get(key[:-3]) not in value:
                return False
        elif key.endswith("_contains"):
            if str(value) not in str(obj.get(key[: -len("_contains")])):
                return False
        elif obj.get(key) != value:
            return False
    return True


def _order(items: list[JSONDict], order: str | None) -> list[JSONDict]:
    if not order:
        return items
    field, _, direction = order.rpartition("_")
    return sorted(items, key=lambda o: str(o.get(field)), reverse=direction == "DESC")


def _page(items: Any, skip: int | None, first: int | None) -> list[Any]:
    seq = list(items)
    start = skip or 0
    return seq[start:] if first is None else seq[start : start + first]
