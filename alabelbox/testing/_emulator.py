"""The :class:`Emulator`: a local Labelbox (API origin + storage origin) for tests and benchmarks."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from ._backend import Backend, Settings
from ._data import K_PROJECT, World, WorldConfig
from ._exports import ExportTask, read_lines
from ._faults import Faults
from ._packed import unpack
from ._schema import build
from ._server import ApiApp, RateLimiter
from ._storage import Signer, StorageApp, new_secret
from ._store import Clock, RecordedRequest


class Emulator:
    """A faithful local Labelbox: GraphQL API, export tasks, signed downloads, limits and faults.

    Use it as ``async with Emulator(seed=1) as emu:`` and point a client at ``emu.endpoint`` with
    ``emu.api_key``. All data is generated from ``seed``; only mutations are stored.

    Args:
        seed: Seed of every generated row and of the fault generator.
        projects: Number of projects (and datasets: dataset ``k`` feeds project ``k``).
        data_rows: Data rows per dataset; each has one label in its project until deleted.
        users: Users in the organization; user 0 owns the API key.
        batch_size: Data rows per batch.
        media_types: Media type per project, cycled (default IMAGE, VIDEO, TEXT,
            CONVERSATIONAL, PDF).
        api_key: The key to accept (default: a random ``lb-emu-…`` key).
        host: Interface to bind (loopback by default).
        port: API port (0 picks a free one).
        storage_port: Storage origin port (0 picks a free one).
        shard_bytes: Target size of one export shard file.
        task_seconds: Minimum time (emulator clock) an export task or legacy export stays
            IN_PROGRESS / ``shouldPoll``.
        rate_limit: Requests per minute per key before 429 (None: no limit).
        url_ttl: Lifetime of signed shard URLs, in seconds.
        workdir: Where shard files go (default: a fresh temp dir, removed on close).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        projects: int = 3,
        data_rows: int = 1_000,
        users: int = 6,
        batch_size: int = 1_000,
        media_types: Sequence[str] | None = None,
        api_key: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        storage_port: int = 0,
        shard_bytes: int = 4 * 1024 * 1024,
        task_seconds: float = 1.0,
        rate_limit: int | None = None,
        url_ttl: float = 3600.0,
        workdir: str | Path | None = None,
    ) -> None:
        self.world = World(
            WorldConfig(
                seed=seed,
                projects=projects,
                data_rows=data_rows,
                users=users,
                batch_size=batch_size,
                media_types=media_types,
            )
        )
        self.api_key = api_key or f"lb-emu-{secrets.token_hex(16)}"
        self.clock = Clock()
        """The emulator clock; ``emu.clock.advance(seconds)`` moves time forward."""
        self.faults = Faults(seed)
        """Fault injection: see :class:`alabelbox.testing.Faults`."""
        self.requests: list[RecordedRequest] = []
        """Every request received, on both origins, in arrival order."""
        self.settings = Settings(shard_bytes=shard_bytes, task_seconds=task_seconds, url_ttl=url_ttl)
        self._host = host
        self._port = port
        self._storage_port = storage_port
        self._own_workdir = workdir is None
        self._workdir_arg = Path(workdir) if workdir is not None else None
        self._rate_limit = rate_limit
        self._runners: list[web.AppRunner] = []
        self._backend: Backend | None = None
        self._storage: StorageApp | None = None
        self._limiter: RateLimiter | None = None
        self.url = ""
        """Base URL of the API origin, e.g. ``http://127.0.0.1:PORT``."""
        self.storage_url = ""
        """Base URL of the storage origin (signed export files)."""

    # ------------------------------------------------------------ lifecycle

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint: ``url + "/graphql"``."""
        return self.url + "/graphql"

    @property
    def experimental_endpoint(self) -> str:
        """The experimental GraphQL endpoint: ``url + "/_gql"``."""
        return self.url + "/_gql"

    async def start(self) -> None:
        """Bind both origins and start serving."""
        if self._backend is not None:
            raise RuntimeError("emulator already started")
        workdir = self._workdir_arg or Path(tempfile.mkdtemp(prefix="alabelbox-emulator-"))
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        signer = Signer(new_secret(), self.clock)
        self._storage = StorageApp(signer, self.faults, self.api_key, self.requests, self.clock)
        self._storage.upload_dir = workdir / "uploads"
        self._backend = Backend(self.world, self.clock, self.faults, self._storage, signer, workdir, self.settings)
        self._limiter = RateLimiter(self._rate_limit, self.clock)
        schema = build(self._backend.schema_sdl)
        api = ApiApp(self._backend, schema, self.api_key, self.faults, self._limiter, self.requests)
        self.url = await self._serve(api.app, self._port)
        self.storage_url = await self._serve(self._storage.app, self._storage_port)
        signer.base_url = self.storage_url
        self._backend.api_url = self.url
        self.world.api_url = self.url

    async def _serve(self, app: web.Application, port: int) -> str:
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self._host, port, backlog=512)
        await site.start()
        server = site._server
        assert server is not None
        sock = server.sockets[0]  # type: ignore[attr-defined]
        host, bound = sock.getsockname()[:2]
        return f"http://{host}:{bound}"

    async def aclose(self) -> None:
        """Stop serving, stop writer threads and delete the temp dir. Safe to call twice."""
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.stop.set()
            for thread in backend.threads:
                await asyncio.to_thread(thread.join, 30)
        if backend is not None:
            await backend.imports.aclose()
            await backend.webhooks.aclose()
        runners, self._runners = self._runners, []
        for runner in runners:
            await runner.cleanup()
        if backend is not None and self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------ settings

    @property
    def rate_limit(self) -> int | None:
        """Requests per minute per key; set it to change the limit while running."""
        return self._rate_limit

    @rate_limit.setter
    def rate_limit(self, value: int | None) -> None:
        self._rate_limit = value
        if self._limiter is not None:
            self._limiter.per_minute = value

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError("the emulator is not running; use `async with Emulator()`")
        return self._backend

    # ------------------------------------------------------------ truth API

    @property
    def user_id(self) -> str:
        """Id of the user that owns the API key."""
        return self.world.user_id(0)

    @property
    def organization_id(self) -> str:
        return self.world.org_id

    @property
    def project_ids(self) -> list[str]:
        """Ids of every project, in index order."""
        return [self.world.project_id(p) for p in range(self.world.n_projects)]

    @property
    def dataset_ids(self) -> list[str]:
        """Ids of every live dataset: the seeded ones (dataset ``k`` feeds project ``k``), then the created.

        Before :meth:`start`, the seeded ones.
        """
        if self._backend is None:
            return [self.world.dataset_id(d) for d in range(self.world.n_projects)]
        table = self._backend.datasets.table
        return [str(table.get(k)["id"]) for k in table.keys()]

    def dataset(self, dataset_id: str) -> dict[str, Any]:
        """The live dataset's scalar fields as the API returns them (KeyError if it is unknown or deleted)."""
        datasets = self.backend.datasets
        key = datasets.find(dataset_id)
        if key is None:
            raise KeyError(dataset_id)
        return datasets.table.get(key)

    def project(self, project_id: str) -> dict[str, Any]:
        """The live project's scalar fields as the API returns them (KeyError if it is unknown or deleted)."""
        projects = self.backend.projects
        key = projects.find_key(project_id)
        if key is None:
            raise KeyError(project_id)
        return projects.table.get(key)

    def project_ontology_id(self, project_id: str) -> str | None:
        """Id of the ontology the live project uses, or None (KeyError if the project is unknown or deleted)."""
        key = self.backend.projects.find_key(project_id)
        if key is None:
            raise KeyError(project_id)
        return self.backend.ontologies.project_ontology.get(key)

    def ontology(self, ontology_id: str) -> dict[str, Any]:
        """The live ontology as stored: ``name``, ``mediaType``, ``normalized`` (every node with its ids)..."""
        return self.backend.ontologies.ontologies.get(ontology_id)

    def feature_schema(self, feature_schema_id: str) -> dict[str, Any]:
        """The live root feature schema as stored: ``id``, ``name``, ``normalized``."""
        return self.backend.ontologies.features.get(feature_schema_id)

    def feature_schema_ids(self, project_id: str) -> list[str]:
        """Feature schema ids of every node (nested ones included) of the project's ontology: what labels may use."""
        key = self.backend.projects.find_key(project_id)
        if key is None:
            raise KeyError(project_id)
        return self.backend.ontologies.feature_ids_of(key)

    def model(self, model_id: str) -> dict[str, Any]:
        """The live model as stored: ``id``, ``name``, ``ontologyId``, ``createdAt``... (KeyError if there is none)."""
        return self.backend.models.table.get(model_id)

    def model_run(self, model_run_id: str) -> dict[str, Any]:
        """The live model run as stored: ``id``, ``name``, ``modelId``, ``trainingMetadata``..."""
        return self.backend.model_runs.table.get(model_run_id)

    def model_run_rows(self, model_run_id: str) -> list[dict[str, Any]]:
        """The run's data rows in the order they were added: ``id`` (of the model-run data row), ``data_row_id``,
        ``split``, ``label_ids`` and ``predictions`` (KeyError if there is no such run)."""
        run = self.backend.model_runs.find(model_run_id)
        if run is None:
            raise KeyError(model_run_id)
        return [
            {
                "id": r.id,
                "data_row_id": r.data_row_id,
                "split": r.split,
                "label_ids": list(r.labels),
                "predictions": [dict(p) for p in r.predictions],
            }
            for r in self.backend.model_runs.live_rows(run)
        ]

    def sent_to_annotate(self) -> list[dict[str, Any]]:
        """What was sent to projects for annotation (from model runs and the catalog), oldest first: ``source``
        (``model_run`` or ``catalog``), ``projectId``, ``batchName``, ``batchIds``, ``batchPriority``, ``taskQueue``,
        ``dataRowIds``, ``sourceModelRunId``, ``sourceProjectId``, ``featureSchemaIdsMapping``, ``predictions``,
        ``prelabeledDataRowIds``, ``labelIds`` (copied), ``keptDataRowIds`` (their own kept)..."""
        return [dict(s) for s in self.backend.model_runs.sent]

    def sign_upload(self, key: str, ttl: float = 3600.0) -> str:
        """A signed URL that accepts a ``PUT`` of object ``key`` on the storage origin for ``ttl`` seconds."""
        return self.backend.signer.sign(key, ttl, method="PUT")

    def sign_download(self, key: str, ttl: float = 3600.0) -> str:
        """A signed URL that serves object ``key`` of the storage origin for ``ttl`` seconds."""
        return self.backend.signer.sign(key, ttl)

    def stored_object(self, key: str) -> bytes:
        """The bytes of object ``key`` on the storage origin (an upload, an export shard...)."""
        return self.backend.storage.read(key)

    @property
    def uploaded_keys(self) -> list[str]:
        """Storage keys of the files received by ``uploadFile``, in order."""
        return list(self.backend.uploads.keys)

    def _project(self, project_id: str) -> int:
        got = self.world.find(project_id, K_PROJECT)
        if got is None:
            raise KeyError(project_id)
        return got[1]

    def label_ids(self, project_id: str) -> list[str]:
        """Every live label id of a project, in API order (deletions respected; imported labels last)."""
        p = self._project(project_id)
        imported = [label.id for label in self.backend.imports.project_labels(p)]
        return [self.world.label_id(p, i) for i in self.backend.all_label_indices(p)] + imported

    def imported_labels(self, project_id: str) -> list[dict[str, Any]]:
        """The live labels that label imports created in a project (seeded or created), oldest first: ``id``,
        ``data_row_id``, ``import_id`` and ``annotations`` (the export v2 shape)."""
        key = self.backend.projects.find_key(project_id)
        if key is None:
            raise KeyError(project_id)
        return [
            {
                "id": label.id,
                "data_row_id": label.row_id,
                "import_id": label.import_id,
                "annotations": label.annotations,
            }
            for label in self.backend.imports.project_labels(key)
        ]

    def prelabels(self, project_id: str) -> dict[str, list[dict[str, Any]]]:
        """The pre-labels MAL imports left in a project: data row id -> the annotations of each import."""
        key = self.backend.projects.find_key(project_id)
        if key is None:
            raise KeyError(project_id)
        return {rid: [unpack(a) for a in kept] for rid, kept in self.backend.imports.prelabels.get(key, {}).items()}

    def predictions(self, model_run_id: str) -> dict[str, list[dict[str, Any]]]:
        """The predictions MEA imports left in a model run: data row id -> the annotations of each import."""
        rows = self.backend.imports.predictions.get(model_run_id, {})
        return {rid: [unpack(a) for a in kept] for rid, kept in rows.items()}

    def add_model_run(self, model_run_id: str | None = None) -> str:
        """Make a model run known to the annotation imports (the model-runs resource, when there is one, knows its
        own); its id."""
        imports = self.backend.imports
        run = model_run_id or self.world.ids.encode("m", 36**3 - 1, len(imports.model_run_ids) + 1)
        imports.model_run_ids.add(run)
        return run

    def fail_annotations(
        self, *lines: int, message: str = "Internal error: the annotation could not be imported"
    ) -> None:
        """Make these 0-based lines of the next annotation import fail with ``message`` (the others go in)."""
        self.backend.imports.fail_next.update(dict.fromkeys(lines, message))

    def annotation_import(self, import_id: str) -> dict[str, Any]:
        """An import's facts: ``kind``, ``name``, ``state`` (now), ``lines``, ``errors`` (failed lines), ``labels``."""
        job = self.backend.imports.jobs[import_id]
        return {
            "kind": job.kind,
            "name": job.name,
            "state": job.state(self.backend.clock.now()),
            "lines": job.lines,
            "errors": job.errors,
            "labels": list(job.labels),
        }

    def deleted_label_ids(self, project_id: str) -> list[str]:
        """Ids of the labels deleted in a project."""
        p = self._project(project_id)
        return [self.world.label_id(p, i) for i in self.backend.deletions.deleted(p)]

    def template_label_ids(self, project_id: str) -> list[str]:
        """Ids of deleted labels kept as templates."""
        p = self._project(project_id)
        return sorted(self.world.label_id(p, i) for i in self.backend.deletions.templates(p))

    def data_row_ids(self, dataset_id: str) -> list[str]:
        """Every data row id of a dataset, newest first (the order of ``datasetDataRows``)."""
        got = self.world.find(dataset_id, "d")
        if got is None:
            raise KeyError(dataset_id)
        return [self.world.row_id(got[1], i) for i in range(self.world.n_rows - 1, -1, -1)]

    @property
    def catalog_slice_ids(self) -> list[str]:
        """Ids of the catalog slices (seeded: one per dataset, "First batches", "Hand-picked"; then added ones)."""
        return [s["id"] for s in self.backend.slices.saved.values() if not s["_model"]]

    @property
    def model_slice_ids(self) -> list[str]:
        """Ids of the model slices (seeded: every row of the run, the TRAINING split, the rows of dataset 0)."""
        return [s["id"] for s in self.backend.slices.saved.values() if s["_model"]]

    def add_slice(
        self, name: str, filter: list[dict[str, Any]], *, model: bool = False, description: str | None = None
    ) -> str:
        """Save a slice, as the app does (the API cannot); its id. A catalog slice's ``filter`` is a list of export
        ``searchQuery`` items (``{"type": "dataset", "operator": "is", "ids": [...]}``, ``global_key``,
        ``data_row_id``, ``batch``...); a model slice's, of ``data_split`` (``"value": "TRAINING"``) and ``dataset``
        items. ValueError for a filter the emulator cannot evaluate."""
        return self.backend.slices.add(name, filter, model=model, description=description)

    def slice_data_rows(self, slice_id: str, model_run_id: str | None = None) -> list[tuple[str, str | None]]:
        """``(data row id, global key)`` of every row the slice selects, in API order: a catalog slice's over the
        catalog, a model slice's over the rows of ``model_run_id`` (KeyError for an unknown slice or run)."""
        slices = self.backend.slices
        saved = slices.find(slice_id)
        if saved is None:
            raise KeyError(slice_id)
        if not saved["_model"]:
            return list(slices.catalog_rows(saved))
        run = self.backend.model_runs.find(model_run_id)
        if run is None:
            raise KeyError(model_run_id)
        return list(slices.model_rows(saved, run))

    def label(self, label_id: str) -> dict[str, Any]:
        """The label's GraphQL scalar fields as the API returns them."""
        got = self.world.find(label_id, "l")
        imported = self.backend.imports.find_label(label_id) if got is None else None
        if got is not None:
            obj = self.backend.label_obj(*got)
        elif imported is not None:
            obj = self.backend.imports.label_obj(imported)
        else:
            raise KeyError(label_id)
        return {k: v for k, v in obj.items() if not callable(v)}

    def task(self, task_id: str) -> ExportTask:
        """The export task record (status, streams and shards)."""
        return self.backend.tasks[task_id]

    def export_lines(self, task_id: str, stream: str = "RESULT") -> list[bytes]:
        """The exact bytes of every line of a finished task's stream, newline included."""
        task = self.task(task_id)
        if not task.done.is_set():
            raise RuntimeError(f"task {task_id} is still being written")
        return list(read_lines(task.streams[stream]))

    def export_records(self, task_id: str, stream: str = "RESULT") -> list[Any]:
        """The export lines parsed as JSON (fails on a line corrupted by a fault)."""
        return [json.loads(line) for line in self.export_lines(task_id, stream)]

    async def wait_task(self, task_id: str, timeout: float = 60.0) -> ExportTask:
        """Wait until the task's files are written (not for ``task_seconds`` to pass); a task with no files (an
        ``upsertDataRows`` task, applied when it is created) is returned at once."""
        task = self.task(task_id)
        done = getattr(task, "done", None)
        if done is None:
            return task
        ok = await asyncio.to_thread(done.wait, timeout)
        if not ok:
            raise TimeoutError(f"task {task_id} not written after {timeout} s")
        return task

    def api_requests(self, operation_name: str | None = None) -> list[RecordedRequest]:
        """Requests received on the API origin, optionally only one operation."""
        return [
            r
            for r in self.requests
            if r.origin == "api" and (operation_name is None or r.operation_name == operation_name)
        ]

    @property
    def storage_requests(self) -> list[RecordedRequest]:
        """Requests received on the storage origin."""
        return [r for r in self.requests if r.origin == "storage"]

    @property
    def key_leaks(self) -> list[RecordedRequest]:
        """Storage requests that carried the API key (should always be empty)."""
        return list(self._storage.key_leaks) if self._storage else []
