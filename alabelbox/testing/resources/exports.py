"""Export tasks (v2, streamable): ``exportDataRowsInProject`` / ``exportDataRowsInCatalog`` and the file fields
of ``Task`` (``exportMetadataHeader``, ``exportFileFromOffset``, ``exportFileFromLine``).

State: the writer threads (shards are written by a background thread while the task is IN_PROGRESS); the
tasks themselves are registered with ``tasks``. REST: ``GET /api/v1/export-results/{task}/{org}`` and
``/export-errors/...`` (the SDK's ``ExportTask.result_url`` / ``errors_url``) stream a finished stream whole.
What a line holds is ``_exports``' job; which datasets exist
is asked of ``datasets``.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from typing import Any

from aiohttp import web

from .._data import JSONDict
from .._exports import ExportInputError, ExportTask, Selection, check_params, plan_sources, write_export
from ._base import ApiError, Info, Resolver, Resource, RestError, not_found

SDL = """
enum TaskStreamType { RESULT ERRORS }
input SearchQueryInput { scope: Json query: [Json!] }
input ProjectExportFilters { projectId: ID! searchQuery: SearchQueryInput }
input CatalogExportFilters { searchQuery: SearchQueryInput }
input ExportParams { mediaTypeOverride: MediaType includeAttachments: Boolean
  includeEmbeddings: Boolean includeMetadata: Boolean includeDataRowDetails: Boolean
  includeProjectDetails: Boolean includePerformanceDetails: Boolean includeLabelDetails: Boolean
  includeInterpolatedFrames: Boolean includePredictions: Boolean projectIds: [ID!]
  modelRunIds: [ID!] allProjects: Boolean allModelRuns: Boolean includeModelRunDetails: Boolean }
input ExportDataRowsInProjectInput { taskName: String isStreamableReady: Boolean
  filters: ProjectExportFilters! params: ExportParams streamable: Boolean }
input ExportDataRowsInCatalogInput { taskName: String isStreamableReady: Boolean
  filters: CatalogExportFilters params: ExportParams streamable: Boolean }

type Range { start: UInt64! end: UInt64! }
type ExportMetadataHeader { totalSize: UInt64! totalLines: UInt64! }
type ExportFileInfo { offsets: Range! lines: Range! file: String! }
type ExportTaskResult { taskId: ID! isStreamable: Boolean! }

extend type Task {
  exportMetadataHeader(streamType: TaskStreamType!): ExportMetadataHeader
  exportFileFromOffset(streamType: TaskStreamType!, offset: UInt64!): ExportFileInfo
  exportFileFromLine(streamType: TaskStreamType!, line: UInt64!): ExportFileInfo
}

extend type Mutation {
  exportDataRowsInProject(input: ExportDataRowsInProjectInput!): ExportTaskResult!
  exportDataRowsInCatalog(input: ExportDataRowsInCatalogInput!): ExportTaskResult!
}
"""


class Exports(Resource):
    """Streamable export tasks."""

    SDL = SDL
    EXTENDS = frozenset({"Task"})

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if not isinstance(key, ExportTask):
            return
        task = key
        obj["exportMetadataHeader"] = lambda info, streamType: self.header(task, streamType)
        obj["exportFileFromOffset"] = lambda info, streamType, offset: self.file(task, streamType, offset=offset)
        obj["exportFileFromLine"] = lambda info, streamType, line: self.file(task, streamType, line=line)

    def header(self, task: ExportTask, stream_type: str) -> JSONDict | None:
        """``exportMetadataHeader``: None until COMPLETE, or when the stream is empty."""
        if task.status(self.backend.clock.now()) != "COMPLETE":
            return None
        stream = task.streams[stream_type]
        if stream.total_lines == 0:
            return None
        return {"totalSize": stream.total_size, "totalLines": stream.total_lines}

    def file(
        self, task: ExportTask, stream_type: str, *, offset: int | None = None, line: int | None = None
    ) -> JSONDict | None:
        """The shard holding byte ``offset`` (or line ``line``), with a signed URL."""
        backend = self.backend
        if task.status(backend.clock.now()) != "COMPLETE":
            return None
        stream = task.streams[stream_type]
        shard = stream.by_offset(offset) if offset is not None else stream.by_line(line or 0)
        if shard is None:
            return None
        return {
            "offsets": {"start": shard.byte_start, "end": shard.byte_end},
            "lines": {"start": shard.line_start, "end": shard.line_end},
            "file": backend.signer.sign(shard.key, backend.settings.url_ttl, expired=backend.faults.expired_urls),
        }

    def new_task(self, kind: str, name: str | None) -> ExportTask:
        """A new IN_PROGRESS export task, registered with ``tasks`` (faults taken now)."""
        backend = self.backend
        now = backend.clock.now()
        fail, malformed = backend.faults.take_export_faults()
        task = ExportTask(
            id=backend.tasks_resource.new_id(),
            name=name,
            kind=kind,
            created_at=now,
            min_ready_at=now + backend.settings.task_seconds,
            user=0,
            fail=fail,
            malformed_lines=malformed,
            clock=backend.clock.now,
        )
        backend.tasks_resource.add(task)
        return task

    def start(self, kind: str, data: JSONDict, project: int | str | None) -> JSONDict:
        """Check the input, plan the rows and start the writer thread.

        A project export holds the project's seeded rows (a seeded project's) and the rows of its created batches.
        """
        backend = self.backend
        deletions = backend.labels.deletions
        params = dict(data.get("params") or {})
        search = ((data.get("filters") or {}).get("searchQuery") or {}).get("query")
        try:
            check_params(params)
            selection = Selection(self.world, deletions, search, backend.data_rows.seeded_global_key)
        except ExportInputError as exc:
            raise ApiError(str(exc), "MALFORMED_REQUEST", extra={"errors": exc.errors}) from exc
        seeded = project if not isinstance(project, str) else None
        sources = (
            []
            if isinstance(project, str)
            else plan_sources(self.world, selection, seeded, params, backend.datasets.seeded_alive)
        )
        task = self.new_task(kind, data.get("taskName"))
        rows = backend.data_rows
        created = rows.export_ids(selection) if project is None else []
        batched, batched_lines = (
            (0, lambda: iter(()))
            if project is None
            else backend.batches.export_lines(project, params, selection.matches_batched)
        )
        imports = backend.imports
        imported = {p: imports.export_snapshot(p, params) for src in sources for p in src.projects}
        task.total = max(1, sum(s.count for s in sources) + len(created) + batched)
        thread = threading.Thread(
            target=write_export,
            name=f"export-{task.id}",
            args=(
                task,
                self.world,
                deletions,
                sources,
                selection,
                params,
                backend.workdir / "exports" / task.id,
                backend.settings.shard_bytes,
                backend.storage.publish,
                backend.stop,
                backend.faults.error_rate,
                lambda: itertools.chain(
                    (rows.export_line(rid, params) for rid in created if rows.created.has(rid)), batched_lines()
                ),
                imported,
                rows.export_patches(),
            ),
            daemon=True,
        )
        backend.threads.append(thread)
        thread.start()
        return {"taskId": task.id, "isStreamable": True}

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/export-results/{task}/{org}", self._rest_stream),
            web.get("/export-errors/{task}/{org}", self._rest_stream),
        ]

    async def _rest_stream(self, request: web.Request) -> web.StreamResponse:
        """The whole RESULT (or ERRORS) stream of a finished task, as NDJSON, shard after shard."""
        backend = self.backend
        task = backend.tasks.get(request.match_info["task"])
        if not isinstance(task, ExportTask) or request.match_info["org"] != self.world.org_id:
            raise RestError(404, f"Export task {request.match_info['task']!r} not found", "RESOURCE_NOT_FOUND")
        status = task.status(backend.clock.now())
        if status != "COMPLETE":
            raise RestError(409, f"Export task {task.id} is {status}, not COMPLETE", "TASK_NOT_COMPLETE")
        stream = task.streams["ERRORS" if "/export-errors/" in request.path else "RESULT"]
        response = web.StreamResponse()
        response.content_type = "application/x-ndjson"
        response.content_length = stream.total_size
        await response.prepare(request)
        for shard in stream.shards:
            await response.write(await asyncio.to_thread(shard.path.read_bytes))
        await response.write_eof()
        return response

    def root(self) -> dict[str, Resolver]:
        def in_project(info: Info, input: JSONDict) -> JSONDict:
            pid = (input.get("filters") or {}).get("projectId")
            key = self.backend.projects.find_key(pid)
            if key is None:
                raise not_found("project", pid)
            return self.start("exportDataRowsInProject", input, key)

        def in_catalog(info: Info, input: JSONDict) -> JSONDict:
            return self.start("exportDataRowsInCatalog", input, None)

        return {"exportDataRowsInProject": in_project, "exportDataRowsInCatalog": in_catalog}
