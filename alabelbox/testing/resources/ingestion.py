"""Data-row ingestion as the official SDK 7.17 sends it: ``upsertDataRows`` over uploaded descriptor files.

The SDK (``Dataset.create_data_rows`` / ``upsert_data_rows``) uploads its items as JSON chunk files with
``uploadFile``, then a manifest ``{"source", "item_count", "chunk_uris"}``, then sends
``upsertDataRows(data: {manifestUri})``. Each item is ``{"id": {"type": "AUTO" | "ID" | "GKEY", "value"},
"payload": {row_data, global_key, external_id, media_type, metadata_fields, attachments, dataset_id}}``.
This resource reads the files back from the storage origin, applies every item to ``data_rows`` (a failed item
never half-applies) and answers with a task that ``successesfulDataRowImports`` (sic) and
``failedDataRowImports`` page through, as ``DataUpsertTask.result`` / ``errors`` read them.

State: the import tasks (registered with ``tasks``), each with its created-or-updated row ids and its
per-item errors. ``Faults.fail_data_rows`` makes chosen items of the next task fail.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .._collector import collector_paused
from .._data import JSONDict
from .._ids import iso_ms
from ._base import Info, Resolver, Resource, bad_input, not_found

SDL = """
input UpsertDataRowsInput { manifestUri: String! }
input DataRowImportsPageInput { taskId: ID! first: Int from: String }

type DataRowImport { id: ID! externalId: String globalKey: String rowData: String }
type DataRowImportPage { nodes: [DataRowImport!]! after: String total: Int! }
type DataRowImportSpec { externalId: String globalKey: String rowData: String
  metadata: [MetadataField!]! attachments: [AssetAttachment!]! }
type FailedDataRowImport { message: String! spec: DataRowImportSpec! }
type FailedDataRowImportPage { results: [FailedDataRowImport!]! after: String total: Int! }

extend type Query {
  successesfulDataRowImports(data: DataRowImportsPageInput!): DataRowImportPage!
  failedDataRowImports(data: DataRowImportsPageInput!): FailedDataRowImportPage!
}
extend type Mutation { upsertDataRows(data: UpsertDataRowsInput!): Task! }
"""

TASK_NAME = "Data Row Upsert"
ATTACHMENT_TYPES = frozenset(
    {"AUDIO", "VIDEO", "IMAGE", "IMAGE_OVERLAY", "HTML", "RAW_TEXT", "TEXT_URL", "PDF_URL", "CAMERA_IMAGE"}
)
"""The attachment types the SDK's ``AttachmentType`` allows."""
PAGE = 5000
"""The largest page of ``successesfulDataRowImports`` / ``failedDataRowImports``."""


@dataclass
class ImportTask:
    """One ``upsertDataRows`` task."""

    id: str
    user: int
    created_at: float
    ready_at: float
    rows: list[str] = field(default_factory=list)
    """Ids of the rows created or updated, in item order."""
    errors: list[JSONDict] = field(default_factory=list)
    """``{"message", "spec"}`` per failed item, in item order."""

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.errors and not self.rows else "COMPLETE"

    def as_graphql(self, now: float) -> JSONDict:
        status = self.status(now)
        return {
            "id": self.id,
            "name": TASK_NAME,
            "type": "adv-upsert-data-rows",
            "status": status,
            "completionPercentage": 0.0 if status == "IN_PROGRESS" else 100.0,
            "createdAt": iso_ms(self.created_at),
            "updatedAt": iso_ms(max(self.created_at, min(now, self.ready_at))),
            "result": None,
            "errors": None if status != "FAILED" else json.dumps([e["message"] for e in self.errors[:10]]),
            "metadata": None,
        }


class Ingestion(Resource):
    """``upsertDataRows`` and the pages of its task's results and errors."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.tasks: dict[str, ImportTask] = {}
        self._attachments = 0
        self._stamp: str | None = None
        self._datasets: dict[Any, Any] = {}

    # ------------------------------------------------------------ reading the uploads

    def _key(self, uri: str) -> str:
        """The storage key of an uploaded file named by the URL ``uploadFile`` answered (refused once it expired)."""
        parts = urlsplit(uri)
        path = unquote(parts.path)
        key = path.split("/", 2)[2] if path.count("/") >= 2 else ""
        if key not in self.backend.storage.objects:
            raise bad_input(f"Unknown file {uri.split('?', 1)[0]!r}: upload it with uploadFile first")
        query = dict(parse_qsl(parts.query))
        if "X-Goog-Signature" in query and self.backend.signer.check(parts.path, query) == "ExpiredToken":
            raise bad_input(f"The URL of file {uri.split('?', 1)[0]!r} has expired: upload it again")
        return key

    def _read(self, uri: str) -> Any:
        """The JSON of an uploaded file."""
        data = self.backend.storage.read(self._key(uri))
        try:
            return json.loads(data)
        except ValueError as e:
            raise bad_input(f"File {uri.split('?', 1)[0]!r} is not JSON: {e}") from None

    def chunks(self, manifest_uri: str) -> Iterator[tuple[str, Any]]:
        """``(uri, parsed chunk)`` of every chunk file of the manifest, one in memory at a time.

        Every chunk file must exist before anything is applied; a chunk that is not JSON is reported by the
        caller as a failed chunk, so no item is half-applied.
        """
        manifest = self._read(manifest_uri)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("chunk_uris"), list):
            raise bad_input("The manifest must be an object with a chunk_uris list")
        uris = [str(u) for u in manifest["chunk_uris"]]
        for uri in uris:
            self._key(uri)
        for uri in uris:
            try:
                yield uri, json.loads(self.backend.storage.read(self._key(uri)))
            except ValueError:
                yield uri, None

    # ------------------------------------------------------------ applying items

    def upsert(self, manifest_uri: str) -> ImportTask:
        """Apply every item of the manifest; the task that reports them."""
        with collector_paused():  # the parsed items and the rows made of them: many objects, kept, no cycles
            return self._upsert(manifest_uri)

    def _upsert(self, manifest_uri: str) -> ImportTask:
        chunks = self.chunks(manifest_uri)
        first = next(chunks, None)  # the manifest and every chunk file exist: now the task starts
        faults = self.backend.faults.take_data_row_faults()
        now = self.backend.clock.now()
        task = ImportTask(self.backend.tasks_resource.new_id(), 0, now, now + self.backend.settings.task_seconds)
        # One creation time for the task's rows (the clock does not move while it runs), and its datasets looked up
        # once each: 100,000 rows spent a tenth of their time on both.
        self._stamp = iso_ms(now)
        self._datasets = {}
        n = 0
        for uri, chunk in itertools.chain([first] if first else [], chunks):
            if not isinstance(chunk, list):
                bad = f"Chunk {uri.split('?', 1)[0]!r} is not a JSON list of items: none of it was applied"
                task.errors.append({"message": bad, "spec": _spec({})})
                continue
            for item in chunk:
                payload = item.get("payload") if isinstance(item, dict) else None
                if not isinstance(payload, dict):
                    task.errors.append({"message": f"Item {n} has no payload object", "spec": _spec({})})
                else:
                    message = faults.get(n) or self._apply(item, payload, task)
                    if message:
                        task.errors.append({"message": message, "spec": _spec(payload)})
                n += 1
        self._stamp = None
        self._datasets = {}
        self.tasks[task.id] = task
        self.backend.tasks_resource.add(task)
        return task

    def _apply(self, item: JSONDict, payload: JSONDict, task: ImportTask) -> str | None:
        """Create or update the row of one item; None, or the error message (nothing applied)."""
        rows = self.backend.data_rows
        dataset_id = payload.get("dataset_id")
        dataset = self._datasets.get(dataset_id) if isinstance(dataset_id, str) else None
        if dataset is None:
            dataset = self.backend.datasets.find(dataset_id)
            if dataset is not None and isinstance(dataset_id, str):
                self._datasets[dataset_id] = dataset
        if dataset is None:
            return f"Dataset {payload.get('dataset_id')!r} not found"
        ident = item.get("id") or {"type": "AUTO", "value": ""}
        kind, value = ident.get("type"), ident.get("value")
        target: str | None = None
        if kind == "ID":
            target = value if isinstance(value, str) and rows.find_any(value) is not None else None
            if target is None:
                return f"Data row {value!r} not found"
        elif kind == "GKEY":
            target = rows.global_key_taken(str(value))
            if target is None:
                return f"No data row with global key {value!r}"
        elif kind != "AUTO":
            return f"Unknown key type {kind!r}: expected AUTO, ID or GKEY"
        if target is not None and not isinstance(rows.find_any(target), str):
            return f"Data row {target!r} is read-only in the emulator (a seeded row)"
        try:
            fields = self._fields(payload, creating=target is None)
        except ValueError as e:
            return str(e)
        key = fields.get("globalKey")
        if key:
            holder = rows.global_key_taken(key)
            if holder is not None and holder != target:
                return f"Duplicate global key: '{key}' is already used by data row {holder}"
        if target is None:
            task.rows.append(rows.create(dataset, fields, stamp=self._stamp))
        else:
            rows.update_created(target, fields)
            task.rows.append(target)
        return None

    def _fields(self, payload: JSONDict, *, creating: bool) -> JSONDict:
        """The row fields an item's payload sets (ValueError names the bad field)."""
        fields: JSONDict = {}
        if "row_data" in payload:
            data = payload["row_data"]
            if isinstance(data, (dict, list)):
                data = json.dumps(data, separators=(",", ":"))
            if not isinstance(data, str) or not data:
                raise ValueError("row_data must be a non-empty string or a JSON object")
            fields["rowData"] = data
        elif creating:
            raise ValueError("row_data is missing: it is required to create a data row")
        for src, dst in (("global_key", "globalKey"), ("external_id", "externalId"), ("media_type", "mediaType")):
            if src in payload:
                value = payload[src]
                if value is not None and not isinstance(value, str):
                    raise ValueError(f"{src} must be a string, not {type(value).__name__}")
                fields[dst] = value
        if "metadata_fields" in payload:
            fields["metadataFields"] = self.backend.metadata.resolve_fields(payload["metadata_fields"])
        if "attachments" in payload:
            fields["attachments"] = [self._attachment(a, n) for n, a in enumerate(payload["attachments"] or [])]
        return fields

    def _attachment(self, a: Any, n: int) -> JSONDict:
        if not isinstance(a, dict) or a.get("type") not in ATTACHMENT_TYPES:
            got = a.get("type") if isinstance(a, dict) else a
            raise ValueError(f"attachments[{n}]: type {got!r} is not one of {', '.join(sorted(ATTACHMENT_TYPES))}")
        if not isinstance(a.get("value"), str):
            raise ValueError(f"attachments[{n}]: value must be a string")
        self._attachments += 1
        return {
            "id": self.world.ids.encode("a", 0, self._attachments),
            "type": a["type"],
            "value": a["value"],
            "name": a.get("name"),
        }

    # ------------------------------------------------------------ pages

    def _page(self, data: JSONDict, entries: list[Any]) -> tuple[list[Any], str | None]:
        start = int(data.get("from") or 0)
        size = min(PAGE, int(data.get("first") or PAGE))
        chunk = entries[start : start + size]
        nxt = start + len(chunk)
        return chunk, (str(nxt) if nxt < len(entries) else None)

    def _task(self, data: JSONDict) -> ImportTask:
        task = self.tasks.get(str(data.get("taskId")))
        if task is None:
            raise not_found("task", data.get("taskId"))
        return task

    def root(self) -> dict[str, Resolver]:
        def upsert_data_rows(info: Info, data: JSONDict) -> JSONDict:
            task = self.upsert(str(data["manifestUri"]))
            return self.backend.tasks_resource.obj(task, self.backend.clock.now())

        def successes(info: Info, data: JSONDict) -> JSONDict:
            task = self._task(data)
            rows = self.backend.data_rows
            live = [r for r in task.rows if rows.find_any(r) is not None]
            chunk, after = self._page(data, live)
            return {"nodes": [rows.created_obj(r) for r in chunk], "after": after, "total": len(live)}

        def failures(info: Info, data: JSONDict) -> JSONDict:
            task = self._task(data)
            chunk, after = self._page(data, task.errors)
            return {"results": chunk, "after": after, "total": len(task.errors)}

        return {
            "upsertDataRows": upsert_data_rows,
            "successesfulDataRowImports": successes,
            "failedDataRowImports": failures,
        }


def _spec(payload: JSONDict) -> JSONDict:
    """A failed item's spec as ``failedDataRowImports`` returns it."""
    data = payload.get("row_data")
    return {
        "externalId": payload.get("external_id"),
        "globalKey": payload.get("global_key"),
        "rowData": json.dumps(data) if isinstance(data, (dict, list)) else data,
        "metadata": [
            {"schemaId": m.get("schemaId") or m.get("schema_id") or "", "name": m.get("name"), "value": m.get("value")}
            for m in payload.get("metadata_fields") or []
            if isinstance(m, dict)
        ],
        "attachments": [
            {"id": "", "type": a.get("type"), "value": a.get("value"), "name": a.get("name")}
            for a in payload.get("attachments") or []
            if isinstance(a, dict)
        ],
    }
