"""Data-row ingestion: specs in, ``upsertDataRows`` tasks out, as the official SDK 7.17 sends them, streamed.

What one chunk costs on the wire (as the SDK's ``Dataset.create_data_rows``): every local file (or bytes) uploaded
with ``uploadFile`` (a GraphQL multipart request), the chunk's items as JSON descriptor files (at most
:data:`DESCRIPTOR_BYTES` each) and a manifest ``{"source", "item_count", "chunk_uris"}`` uploaded the same way, then
``upsertDataRows(data: {manifestUri})``, which answers with a task. The task is awaited and its failed rows read
(``failedDataRowImports``), each matched back to the index of its spec.

The pipeline:

- specs are read lazily, from an iterable or an async iterable, and checked one by one as they are read (a bad spec
  raises :class:`~alabelbox.InvalidArgumentError` naming its index and field before its chunk is sent);
- a chunk is at most ``chunk_size`` specs; at most ``concurrency`` chunks are in flight (the reader waits for a
  free slot, so memory is bounded by ``concurrency * chunk_size`` specs, whatever the input's length);
- local contents are uploaded concurrently, at most ``upload_concurrency`` at once across all chunks, streamed:
  a path is read from disk a chunk at a time as it is sent (a retry opens it again), a seekable file object the
  same way (rewound for a retry), so no file is held whole in memory;
- the uploads are retried like queries (an upload sent twice leaves one more file, nothing else);
  ``upsertDataRows`` is retried after a 5xx or a lost connection only when every item of the chunk names its row
  (a key or a global key): the API then refuses a second copy, and a retry cannot duplicate a row. Without keys it
  is retried only when the server surely did not run it (a 429), so nothing is ever sent twice.
"""

from __future__ import annotations

import contextlib
import io
import json
import mimetypes
import os
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import anyio
import anyio.lowlevel

from alabelbox._exceptions import IngestError, InvalidArgumentError, LabelboxError
from alabelbox._queries.ingestion import (
    FAILED_DATA_ROW_IMPORTS,
    METADATA_ONTOLOGY,
    SUCCESSFUL_DATA_ROW_IMPORTS,
    UPLOAD_FILE,
    UPSERT_DATA_ROWS,
)
from alabelbox._transport._multipart import FilePart, Multipart
from alabelbox.types.attachments import AttachmentType
from alabelbox.types.ingestion import (
    AttachmentSpec,
    DataRowKey,
    DataRowSpec,
    FailedDataRow,
    IngestProgress,
    IngestResult,
    MetadataFieldSpec,
)

if TYPE_CHECKING:
    from alabelbox.resources._base import Resource

__all__ = ["DESCRIPTOR_BYTES", "MAX_CHUNK_ROWS", "Ingestion", "SpecInput", "check_spec"]

#: The most specs in one ``upsertDataRows`` call.
MAX_CHUNK_ROWS = 150_000
#: The largest descriptor file, as the SDK's ``UPSERT_CHUNK_SIZE_BYTES``.
DESCRIPTOR_BYTES = 10_000_000
#: The largest page of a task's successes or failures.
RESULT_PAGE = 5_000

SpecInput = DataRowSpec | Mapping[str, Any] | str | os.PathLike[str]
"""One spec: a :class:`DataRowSpec`, a dict with the same keys (as the SDK takes them), or a local file's path."""

_SPEC_KEYS = frozenset(
    {
        "row_data",
        "global_key",
        "external_id",
        "media_type",
        "metadata_fields",
        "attachments",
        "key",
        "filename",
        "content_type",
        "dataset_id",
        "conversationalData",
        "tileLayerUrl",
        "embeddings",
    }
)
#: The key of an item that makes a new row: one dict for all of them (never changed: it is only encoded and read).
_AUTO_KEY: Final[dict[str, str]] = {"type": "AUTO", "value": ""}
#: Specs read between two checkpoints of the event loop.
_YIELD_EVERY = 256
_ATTACHMENT_TYPES = frozenset(t.value for t in AttachmentType)
_MESSAGE_KEYS = frozenset({"messageId", "timestampUsec", "content", "user", "align", "canLabel"})


@dataclass(slots=True)
class _Local:
    """Content to upload before the chunk is sent."""

    source: os.PathLike[str] | bytes | Any
    filename: str
    content_type: str | None


@dataclass(slots=True)
class _Item:
    index: int
    key: dict[str, str]
    payload: dict[str, Any]
    local: _Local | None = None
    encoded: bytes = b""
    """The item as the descriptor file holds it (``{"id", "payload"}``), once its content is uploaded."""
    match: tuple[Any, Any, Any] = (None, None, None)
    """(global key, external id, row data as sent): what the server's reports name it by."""

    def seal(self) -> None:
        """Encode the item and keep only what matching needs (a chunk in flight holds bytes, not dicts)."""
        p = self.payload
        self.encoded = json.dumps({"id": self.key, "payload": p}).encode()
        self.match = (p.get("global_key"), p.get("external_id"), _row_data_text(p.get("row_data")))
        self.payload = {}


@dataclass
class _Chunk:
    items: list[_Item] = field(default_factory=list)
    first: int = 0


def _file_part(local: _Local, index: int) -> FilePart:
    """The upload of ``local`` as the SDK's ``upload_data`` sends it (part ``1``): a path or a seekable file object
    streamed, a file object that cannot seek read once (it could not be sent again)."""
    source = local.source
    if not isinstance(source, (bytes, os.PathLike)):
        seekable = getattr(source, "seekable", None)
        if not (callable(seekable) and seekable()):
            source = source.read()
            if not isinstance(source, bytes):
                raise InvalidArgumentError(_where(index, "row_data"), "the file object must give bytes")
    try:
        return FilePart(source, local.filename, local.content_type, part="1")
    except OSError as exc:
        raise InvalidArgumentError(_where(index, "row_data"), f"cannot be read: {exc}") from exc


def _where(index: int, name: str) -> str:
    return f"specs[{index}].{name}"


def _text(index: int, name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidArgumentError(_where(index, name), f"must be a string, not {type(value).__name__}")


def _attachment(index: int, n: int, value: Any) -> dict[str, Any]:
    where = _where(index, f"attachments[{n}]")
    kind: Any
    text: Any
    name: Any
    if isinstance(value, AttachmentSpec):
        kind, text, name = value.type, value.value, value.name
    elif type(value) is dict or isinstance(value, Mapping):
        kind, text, name = value.get("type"), value.get("value"), value.get("name")
    else:
        raise InvalidArgumentError(where, f"an AttachmentSpec or a dict is expected, not {type(value).__name__}")
    if isinstance(kind, AttachmentType):
        kind = kind.value
    elif kind not in _ATTACHMENT_TYPES:
        raise InvalidArgumentError(
            where + ".type", f"{kind!r} is not one of {', '.join(t.value for t in AttachmentType)}"
        )
    if not isinstance(text, str) or not text:
        raise InvalidArgumentError(where + ".value", "must be a non-empty string")
    out: dict[str, Any] = {"type": kind, "value": text}
    if name is not None:
        out["name"] = _text(index, f"attachments[{n}].name", name)
    return out


def _metadata_field(index: int, n: int, value: Any) -> tuple[str | None, str | None, Any]:
    where = _where(index, f"metadata_fields[{n}]")
    if isinstance(value, MetadataFieldSpec):
        sid, name, v = value.schema_id, value.name, value.value
    elif type(value) is dict or isinstance(value, Mapping):
        if "value" not in value:
            raise InvalidArgumentError(where, "has no 'value'")
        sid, name, v = value.get("schema_id") or value.get("schemaId"), value.get("name"), value["value"]
    else:
        raise InvalidArgumentError(where, f"a MetadataFieldSpec or a dict is expected, not {type(value).__name__}")
    if sid is None and name is None:
        raise InvalidArgumentError(where, "names no field: give 'schema_id' or 'name'")
    if isinstance(v, datetime):
        v = v.isoformat()
    return sid, name, v


def _key(index: int, value: Any) -> dict[str, str]:
    where = _where(index, "key")
    kind: Any
    key: Any
    if isinstance(value, DataRowKey):
        kind, key = value.type, value.value
    elif isinstance(value, Mapping):
        kind, key = value.get("type"), value.get("value")
    elif hasattr(value, "id_type") and hasattr(value, "key"):  # the SDK's UniqueId / GlobalKey
        kind, key = getattr(value.id_type, "value", value.id_type), value.key
    else:
        raise InvalidArgumentError(where, f"a DataRowKey is expected, not {type(value).__name__}")
    if kind not in ("ID", "GKEY") or not isinstance(key, str) or not key:
        raise InvalidArgumentError(where, f"must be DataRowKey.id(...) or DataRowKey.global_key(...), not {value!r}")
    return {"type": kind, "value": key}


def _content_type(filename: str, given: str | None) -> str | None:
    return given or mimetypes.guess_type(filename)[0]


def check_spec(index: int, spec: Any, *, allow_key: bool) -> tuple[_Item, list[tuple[str | None, str | None, Any]]]:
    """One spec as an item to send (its payload without the metadata, which may need the ontology), and its
    metadata fields as ``(schema id, name, value)``.

    Raises:
        InvalidArgumentError: The spec is not valid; the message names ``specs[index].field``.
    """
    if isinstance(spec, DataRowSpec):
        fields: Mapping[str, Any] = {
            "row_data": spec.row_data,
            "global_key": spec.global_key,
            "external_id": spec.external_id,
            "media_type": spec.media_type,
            "metadata_fields": spec.metadata_fields,
            "attachments": spec.attachments,
            "key": spec.key,
            "filename": spec.filename,
            "content_type": spec.content_type,
        }
    elif type(spec) is dict or isinstance(spec, Mapping):
        unknown = [] if spec.keys() <= _SPEC_KEYS else sorted(str(k) for k in spec if k not in _SPEC_KEYS)
        if unknown:
            raise InvalidArgumentError(
                _where(index, unknown[0]), f"is not a data-row field (expected some of {', '.join(sorted(_SPEC_KEYS))})"
            )
        fields = spec
    elif isinstance(spec, (str, os.PathLike)):
        if not os.path.isfile(spec):
            raise InvalidArgumentError(f"specs[{index}]", f"{os.fspath(spec)!r} is not a file")
        fields = {"row_data": Path(spec), "external_id": os.fspath(spec)}
    else:
        raise InvalidArgumentError(
            f"specs[{index}]", f"a DataRowSpec, a dict or a local path is expected, not {type(spec).__name__}"
        )
    payload: dict[str, Any] = {}
    local: _Local | None = None
    key = _AUTO_KEY
    if fields.get("key") is not None:
        if not allow_key:
            raise InvalidArgumentError(_where(index, "key"), "is for upserts: use client.data_rows.upsert")
        key = _key(index, fields["key"])
    filename = _text(index, "filename", fields.get("filename"))
    content_type = _text(index, "content_type", fields.get("content_type"))
    row_data = fields.get("row_data")
    if "conversationalData" in fields:
        messages = fields["conversationalData"]
        if not isinstance(messages, list):
            raise InvalidArgumentError(_where(index, "conversationalData"), "must be a list of messages")
        for n, m in enumerate(messages):
            bad = sorted(set(m) - _MESSAGE_KEYS) if isinstance(m, Mapping) else ["(not an object)"]
            if bad:
                raise InvalidArgumentError(_where(index, f"conversationalData[{n}]"), f"unknown key {bad[0]!r}")
        row_data = {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": messages}
    elif "tileLayerUrl" in fields:
        row_data = {k: fields[k] for k in ("tileLayerUrl",)}
    if row_data is None:
        if key["type"] == "AUTO":
            raise InvalidArgumentError(_where(index, "row_data"), "is required to create a data row")
    elif isinstance(row_data, str):
        if not row_data:
            raise InvalidArgumentError(_where(index, "row_data"), "must not be empty")
        if row_data.startswith("s3:/"):
            raise InvalidArgumentError(_where(index, "row_data"), "s3 assets must start with 'https'")
        if "://" not in row_data and len(row_data) < 4096 and os.path.isfile(row_data):
            name = filename or os.path.basename(row_data)
            local = _Local(Path(row_data), name, _content_type(name, content_type))
            payload.setdefault("external_id", row_data)
        else:
            payload["row_data"] = row_data
    elif isinstance(row_data, os.PathLike):
        if not os.path.isfile(row_data):
            raise InvalidArgumentError(_where(index, "row_data"), f"{os.fspath(row_data)!r} is not a file")
        name = filename or os.path.basename(row_data)
        local = _Local(row_data, name, _content_type(name, content_type))
        payload.setdefault("external_id", os.fspath(row_data))
    elif isinstance(row_data, (bytes, bytearray, memoryview)):
        if not row_data:
            raise InvalidArgumentError(_where(index, "row_data"), "must not be empty bytes")
        name = filename or "data"
        local = _Local(bytes(row_data), name, _content_type(name, content_type))
    elif hasattr(row_data, "read"):
        if isinstance(row_data, io.TextIOBase):
            raise InvalidArgumentError(
                _where(index, "row_data"), "the file object must give bytes (open it in 'rb' mode)"
            )
        name = filename or os.path.basename(str(getattr(row_data, "name", "") or "")) or "data"
        local = _Local(row_data, name, _content_type(name, content_type))
    elif isinstance(row_data, (Mapping, list)):
        payload["row_data"] = dict(row_data) if isinstance(row_data, Mapping) else list(row_data)
    else:
        raise InvalidArgumentError(
            _where(index, "row_data"),
            f"a URL, a path, bytes, a file object or JSON is expected, not {type(row_data).__name__}",
        )
    for name in ("global_key", "external_id", "media_type"):
        value = _text(index, name, fields.get(name))
        if value is not None:
            if not value:
                raise InvalidArgumentError(_where(index, name), "must not be empty")
            payload[name] = value
    attachments = fields.get("attachments")
    if attachments is not None:
        if isinstance(attachments, (str, bytes, Mapping)) or not isinstance(attachments, Iterable):
            raise InvalidArgumentError(_where(index, "attachments"), "must be a list")
        payload["attachments"] = [_attachment(index, n, a) for n, a in enumerate(attachments)]
    metadata: list[tuple[str | None, str | None, Any]] = []
    given = fields.get("metadata_fields")
    if given is not None:
        if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
            raise InvalidArgumentError(_where(index, "metadata_fields"), "must be a list")
        metadata = [_metadata_field(index, n, m) for n, m in enumerate(given)]
    if key["type"] != "AUTO" and not payload and local is None and not metadata:
        raise InvalidArgumentError(f"specs[{index}]", "changes nothing: give at least one field to update")
    return _Item(index, key, payload, local), metadata


class _Ontology:
    """Metadata field names to schema ids (and enum option names to option ids), fetched once when first needed."""

    def __init__(self, resource: Resource, timeout: Any) -> None:
        self._resource = resource
        self._timeout = timeout
        self._by_name: dict[str, dict[str, Any]] | None = None
        self._by_id: dict[str, dict[str, Any]] = {}
        self._lock = anyio.Lock()

    async def resolve(self, index: int, fields: list[tuple[str | None, str | None, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n, (sid, name, value) in enumerate(fields):
            if sid is not None and name is None:
                out.append({"schemaId": sid, "value": value})
                continue
            schemas = await self._load()
            schema = self._by_id.get(sid) if sid is not None else schemas.get(str(name))
            if schema is None:
                raise InvalidArgumentError(
                    _where(index, f"metadata_fields[{n}]"), f"there is no metadata field named {name!r}"
                )
            options = {o["name"]: o["id"] for o in schema.get("options") or []}
            if options:
                option = options.get(value) or (value if value in options.values() else None)
                if option is None:
                    raise InvalidArgumentError(
                        _where(index, f"metadata_fields[{n}].value"),
                        f"{value!r} is not an option of {schema['name']!r} ({', '.join(options)})",
                    )
                out.append({"schemaId": schema["id"], "value": {}})
                out.append({"schemaId": option, "value": {}})
            else:
                out.append({"schemaId": schema["id"], "value": value})
        return out

    async def _load(self) -> dict[str, dict[str, Any]]:
        async with self._lock:
            if self._by_name is None:
                data = await self._resource._execute(METADATA_ONTOLOGY, None, timeout=self._timeout)
                schemas = data.get("customMetadataOntology") or []
                self._by_name = {s["name"]: s for s in schemas}
                self._by_id = {s["id"]: s for s in schemas}
            return self._by_name


async def _aiter(specs: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    if isinstance(specs, AsyncIterable):
        async for spec in specs:
            yield spec
    else:
        for spec in specs:
            yield spec


WaitTask = Callable[[str], Awaitable[Any]]


class Ingestion:
    """One run of ``client.data_rows.create`` / ``upsert`` (see the module docstring)."""

    def __init__(
        self,
        resource: Resource,
        dataset_id: str,
        *,
        allow_key: bool,
        chunk_size: int,
        concurrency: int,
        upload_concurrency: int,
        wait_task: WaitTask,
        on_progress: Callable[[IngestProgress], Any] | None,
        timeout: Any,
        keep_rows: bool = False,
    ) -> None:
        self.resource = resource
        self.dataset_id = dataset_id
        self.allow_key = allow_key
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self.wait_task = wait_task
        self.on_progress = on_progress
        self.timeout = timeout
        self.result = IngestResult(dataset_id)
        self.ontology = _Ontology(resource, timeout)
        self.upload_slots = anyio.CapacityLimiter(upload_concurrency)
        self.keep_rows = keep_rows
        self.rows: dict[int, dict[str, Any]] = {}
        """With ``keep_rows``: the created or updated row of each accepted spec index."""
        self._sent_chunks: list[tuple[int, int]] = []  # (first index, count) of the chunks sent, for next_index
        self._failure: Exception | None = None  # the first chunk that failed for good

    # ------------------------------------------------------------------ the run

    async def run(self, specs: Iterable[Any] | AsyncIterable[Any]) -> IngestResult:
        if isinstance(specs, Sequence) and not isinstance(specs, (str, bytes)):
            # A sequence is checked whole before anything is sent.
            for i, spec in enumerate(specs):
                check_spec(i, spec, allow_key=self.allow_key)
        slots = anyio.Semaphore(self.concurrency)
        stopped: Exception | None = None
        async with anyio.create_task_group() as tg:
            try:
                async for chunk in self._chunks(specs):
                    await slots.acquire()
                    if self._failure is not None:
                        break
                    tg.start_soon(self._run_chunk, chunk, slots)
            except Exception as exc:  # a bad spec, or the input itself failed: let the chunks sent finish
                stopped = exc
        self._finish()
        stopped = self._failure or stopped  # a chunk that failed for good comes first: it stopped the reading
        if stopped is not None:
            if self.result.sent == 0 and isinstance(stopped, InvalidArgumentError):
                raise stopped
            raise IngestError(f"ingestion stopped: {stopped}", self.result) from stopped
        return self.result

    def _finish(self) -> None:
        self.result.failed.sort(key=lambda f: -1 if f.index is None else f.index)
        # next_index: the end of the run of sent chunks that starts at 0 (chunks finish out of order).
        end = 0
        for first, count in sorted(self._sent_chunks):
            if first != end:
                break
            end = first + count
        self.result.next_index = end

    async def _chunks(self, specs: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[_Chunk]:
        chunk = _Chunk()
        source = _aiter(specs)
        try:
            async for spec in source:
                index = self.result.read
                item, metadata = check_spec(index, spec, allow_key=self.allow_key)
                if metadata:
                    item.payload["metadata_fields"] = await self.ontology.resolve(index, metadata)
                item.payload["dataset_id"] = self.dataset_id
                if item.local is None:
                    item.seal()
                self.result.read += 1
                if not index % _YIELD_EVERY:
                    await anyio.lowlevel.checkpoint()  # a sync iterable never yields: let the chunks in flight move
                if not chunk.items:
                    chunk.first = index
                chunk.items.append(item)
                if len(chunk.items) >= self.chunk_size:
                    yield chunk
                    chunk = _Chunk()
            if chunk.items:
                yield chunk
        finally:
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.result.progress())

    # ------------------------------------------------------------------ one chunk

    async def _upload(self, file: FilePart) -> str:
        data = await self.resource._client._upload(
            UPLOAD_FILE,
            {"file": None, "contentLength": file.size, "sign": False},
            Multipart.single(file),
            timeout=self.timeout,
        )
        url = (data.get("uploadFile") or {}).get("url")
        if not isinstance(url, str):
            raise LabelboxError("uploadFile answered no url", operation="UploadFile")
        return url

    async def _upload_local(self, item: _Item) -> None:
        local = item.local
        assert local is not None
        async with self.upload_slots:
            file = await anyio.to_thread.run_sync(_file_part, local, item.index)
            url = await self._upload(file)
        item.payload["row_data"] = url
        item.local = None
        item.seal()
        self.result.uploaded_files += 1
        self.result.uploaded_bytes += file.size
        self._progress()

    async def _upload_descriptors(self, chunk: _Chunk) -> list[str]:
        """Upload the chunk's items as descriptor files; their URLs. From here on the files hold the items' bytes,
        and the items keep only what matching the task's reports needs (a chunk waiting for its task holds
        about half of what it held)."""
        files = _descriptor_files(chunk.items)
        for item in chunk.items:
            item.encoded = b""
        uris = []
        while files:
            uris.append(await self._upload(FilePart(files[0], "json_import.json", "application/json", part="1")))
            del files[0]  # sent: its bytes go
        return uris

    async def _run_chunk(self, chunk: _Chunk, slots: anyio.Semaphore) -> None:
        try:
            await self._send_chunk(chunk)
        except Exception as exc:  # the reader stops; the other chunks in flight finish
            if self._failure is None:
                self._failure = exc
        finally:
            slots.release()

    async def _send_chunk(self, chunk: _Chunk) -> None:
        locals_ = [item for item in chunk.items if item.local is not None]
        if locals_:
            async with anyio.create_task_group() as tg:
                for item in locals_:
                    tg.start_soon(self._upload_local, item)
        # Safe to run twice only when every item names its row: a second copy of a keyed row is refused.
        keyed = all(item.key["type"] != "AUTO" or item.match[0] for item in chunk.items)
        uris = await self._upload_descriptors(chunk)
        manifest = json.dumps({"source": "SDK", "item_count": len(chunk.items), "chunk_uris": uris}).encode()
        manifest_uri = await self._upload(FilePart(manifest, "manifest.json", "application/json", part="1"))
        task_id = await self.resource._mutate(
            UPSERT_DATA_ROWS,
            {"manifestUri": manifest_uri},
            path=("upsertDataRows", "id"),
            timeout=self.timeout,
            idempotent=keyed,
        )
        if not isinstance(task_id, str):
            raise LabelboxError("upsertDataRows answered no task id", operation="UpsertDataRows")
        self.result.sent += len(chunk.items)
        self.result.task_ids.append(task_id)
        self._sent_chunks.append((chunk.first, len(chunk.items)))
        self._progress()
        await self.wait_task(task_id)
        failures = await self._failures(task_id, chunk)
        self.result.failed.extend(failures)
        accepted = len(chunk.items) - len(failures)
        if self.keep_rows:
            await self._collect_rows(task_id, chunk, failures)
        self.result.accepted += accepted
        self._progress()

    async def _pages(self, query: str, task_id: str, member: str, items: str) -> AsyncIterator[dict[str, Any]]:
        after: str | None = None
        while True:
            data = await self.resource._execute(
                query, {"taskId": task_id, "first": RESULT_PAGE, "from": after}, timeout=self.timeout
            )
            page = data.get(member) or {}
            for entry in page.get(items) or []:
                yield entry
            nxt = page.get("after")
            if not nxt or nxt == after:
                return
            after = nxt

    async def _failures(self, task_id: str, chunk: _Chunk) -> list[FailedDataRow]:
        failures: list[FailedDataRow] = []
        matcher: _Matcher | None = None
        async for entry in self._pages(FAILED_DATA_ROW_IMPORTS, task_id, "failedDataRowImports", "results"):
            if matcher is None:
                matcher = _Matcher(chunk.items)
            spec = entry.get("spec") or {}
            gk, ext, rd = spec.get("globalKey"), spec.get("externalId"), spec.get("rowData")
            found = matcher.take(gk, ext, rd, last=True)
            failures.append(FailedDataRow(found, str(entry.get("message") or "unknown error"), gk, ext, rd))
        return failures

    async def _collect_rows(self, task_id: str, chunk: _Chunk, failures: list[FailedDataRow]) -> None:
        matcher = _Matcher(chunk.items)
        for f in failures:  # the failed specs are not among the successes
            matcher.exclude(f.index)
        async for node in self._pages(SUCCESSFUL_DATA_ROW_IMPORTS, task_id, "successesfulDataRowImports", "nodes"):
            found = matcher.take(node.get("globalKey"), node.get("externalId"), node.get("rowData"))
            if found is not None:
                self.rows[found] = node


def _row_data_text(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


class _Matcher:
    """Matches the server's reports (global key, external id, row data) back to the indices of a chunk's specs.

    Specs that share a key are told apart by order: the server applies a chunk in order, so of two specs with one
    global key the first is created and the later one refused; a failure takes the last unmatched spec of its key, a
    success the first.
    """

    def __init__(self, items: list[_Item]) -> None:
        self._index: dict[tuple[Any, ...], deque[int]] = {}
        self._used: set[int] = set()
        for item in items:
            global_key, external_id, row_data = item.match
            if global_key:
                self._index.setdefault(("g", global_key), deque()).append(item.index)
            self._index.setdefault(("r", external_id, row_data), deque()).append(item.index)

    def exclude(self, index: int | None) -> None:
        if index is not None:
            self._used.add(index)

    def take(self, global_key: Any, external_id: Any, row_data: Any, *, last: bool = False) -> int | None:
        keys: list[tuple[Any, ...]] = [("g", global_key)] if global_key else []
        keys.append(("r", external_id, row_data))
        for key in keys:
            positions = self._index.get(key)
            while positions:
                found = positions.pop() if last else positions.popleft()
                if found not in self._used:
                    self._used.add(found)
                    return found
        return None


def _descriptor_files(items: list[_Item]) -> list[bytes]:
    """The chunk's items as JSON lists of at most :data:`DESCRIPTOR_BYTES` (one item may exceed it alone)."""
    files: list[bytes] = []
    parts: list[bytes] = []
    size = 2
    for item in items:
        encoded = item.encoded
        if parts and size + len(encoded) + 2 > DESCRIPTOR_BYTES:
            files.append(b"[" + b", ".join(parts) + b"]")
            parts, size = [], 2
        parts.append(encoded)
        size += len(encoded) + 2
    if parts:
        files.append(b"[" + b", ".join(parts) + b"]")
    return files
