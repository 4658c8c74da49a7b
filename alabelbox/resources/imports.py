"""``client.imports``: annotation imports into projects (ground truth, model-assisted pre-labels) and model runs
(predictions), from records, an NDJSON file or a URL; their statuses, streamed; waiting for them.

Records are sent as the SDK sends them (an NDJSON file in a GraphQL multipart request), but streamed: they are read,
checked and serialized one part at a time, so an import of millions of annotations holds one part per request in
flight, never the whole import. A part holds at most ``max_annotations_per_import`` records; the records of one data
row that come together stay in one part (a label import makes one label per data row and part, and a relationship
needs both its ends in the same import). Parts run ``concurrency`` at a time, each sent as soon as it is cut, while
the next is read.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import anyio
from pydantic_core import to_json

from alabelbox._exceptions import (
    AnnotationValidationError,
    ImportFailedError,
    InvalidArgumentError,
    ResponseModelError,
    WaitTimeoutError,
)
from alabelbox._pagination import Paginator
from alabelbox._polling import poll_until, user_schedule
from alabelbox._queries import imports as q
from alabelbox._transport._mapping import iter_body
from alabelbox._validation import check_id, check_ids, check_positive_int
from alabelbox.resources._base import DEFAULT, DEFAULT_WINDOW, Resource, TimeoutArg, operation_of, parse
from alabelbox.types.annotation_import import AnnotationImport, AnnotationStatus, ImportJob, ImportKind, ImportState
from alabelbox.types.import_annotations import ImportAnnotation, validate_import_record

__all__ = ["MAX_ANNOTATIONS_PER_IMPORT", "ImportRecord", "Imports"]

ImportRecord = Mapping[str, Any] | ImportAnnotation
"""One import record: an NDJSON dict, or a typed annotation of :mod:`alabelbox.types.import_annotations`."""

MAX_ANNOTATIONS_PER_IMPORT: Final = 50_000
"""Records per import (part) by default: a split keeps each import well inside what the API takes at once."""
#: How far past the part size the records of one data row may run before the part is cut anyway.
_ROW_SLACK = 5_000
#: How many records are read between turns of the event loop, so that the parts in flight are sent meanwhile.
_TURN_EVERY = 100
#: How much of a local NDJSON file is read at a time.
_FILE_BLOCK = 1 << 20
#: How many failures a wait's error keeps, to show.
_SHOWN_ERRORS = 5
NDJSON: Final = "application/x-ndjson"

_BY_FILE = {
    ImportKind.LABEL: q.CREATE_LABEL_IMPORT_BY_FILE,
    ImportKind.MAL: q.CREATE_MAL_IMPORT_BY_FILE,
    ImportKind.MEA: q.CREATE_MEA_IMPORT_BY_FILE,
}
_BY_URL = {
    ImportKind.LABEL: q.CREATE_LABEL_IMPORT_BY_URL,
    ImportKind.MAL: q.CREATE_MAL_IMPORT_BY_URL,
    ImportKind.MEA: q.CREATE_MEA_IMPORT_BY_URL,
}
_RETRIEVE = {
    ImportKind.LABEL: q.RETRIEVE_LABEL_IMPORT,
    ImportKind.MAL: q.RETRIEVE_MAL_IMPORT,
    ImportKind.MEA: q.RETRIEVE_MEA_IMPORT,
    ImportKind.MEA_TO_MAL: q.RETRIEVE_MEA_TO_MAL_IMPORT,
}
_LIST = {ImportKind.LABEL: q.LIST_LABEL_IMPORTS, ImportKind.MAL: q.LIST_MAL_IMPORTS}


def _encode(record: Mapping[str, Any]) -> bytes:
    """One record as its NDJSON line, UTF-8: pydantic-core's serializer (several times faster than :mod:`json`),
    with :func:`json.dumps` deciding what it refuses (a lone surrogate, a value it cannot write)."""
    try:
        return to_json(record, inf_nan_mode="constants") + b"\n"
    except ValueError:  # PydanticSerializationError is one
        return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _target_variable(kind: ImportKind) -> str:
    return "modelRunId" if kind is ImportKind.MEA else "projectId"


def _part_name(name: str, k: int) -> str:
    return name if k == 0 else f"{name}#{k + 1}"


def _row_key(record: Mapping[str, Any]) -> Any:
    row = record.get("dataRow")
    return (row.get("id"), row.get("globalKey")) if isinstance(row, Mapping) else None


async def _aiter(records: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    if isinstance(records, AsyncIterable):
        async for r in records:
            yield r
    else:
        for r in records:
            yield r


async def _file_records(path: Path, block_bytes: int = _FILE_BLOCK) -> AsyncIterator[Any]:
    """The lines of an NDJSON file as dicts, read ``block_bytes`` at a time in a worker thread as they are needed
    (a thread hop per block, not per line: 50,000 lines took 9.6 s to submit read line by line, 0.7 s as blocks)."""
    async with await anyio.open_file(path, "rb") as fh:
        n = 0  # records so far
        line = 0
        async for raw in _lines(_blocks(fh, block_bytes)):
            line += 1
            if not raw.strip():
                continue
            try:
                yield json.loads(raw)
            except ValueError as exc:
                raise AnnotationValidationError(n, "", f"line {line} of {path} is not JSON: {exc}") from None
            n += 1


async def _blocks(fh: Any, size: int) -> AsyncIterator[bytes]:
    while block := await fh.read(size):
        yield block


async def _lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """The lines of a stream of bytes, without their newlines (the last one also when the stream does not end with
    a newline; blank ones included)."""
    rest = b""
    async for chunk in chunks:
        *complete, rest = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
        for raw in complete:
            yield raw
    yield rest


class Imports(Resource):
    """Annotation imports: ``client.imports``.

    Example:
        >>> job = await client.imports.create(project_id, name="ground truth", records=[
        ...     {"dataRow": {"id": data_row_id}, "name": "damage 損傷",
        ...      "bbox": {"top": 10, "left": 20, "height": 30, "width": 40}},
        ... ])
        >>> job = await client.imports.wait(job)
        >>> job.state
        <ImportState.FINISHED: 'FINISHED'>
        >>> [s.status async for s in client.imports.statuses(job)]
        ['SUCCESS']
    """

    # ------------------------------------------------------------ creating

    async def create(
        self,
        target_id: str,
        *,
        name: str,
        kind: ImportKind | str = ImportKind.LABEL,
        records: Iterable[ImportRecord] | AsyncIterable[ImportRecord] | None = None,
        path: str | Path | None = None,
        url: str | None = None,
        max_annotations_per_import: int = MAX_ANNOTATIONS_PER_IMPORT,
        concurrency: int = 4,
        validate: bool = True,
        timeout: TimeoutArg = DEFAULT,
    ) -> ImportJob:
        """Start an import of annotations into a project or a model run; return it as started (RUNNING).

        Give exactly one source: ``records`` (an iterable or async iterable of NDJSON dicts or typed annotations),
        ``path`` (a local NDJSON file) or ``url`` (an NDJSON file the API fetches itself: sent as is, in one
        import). Records and files are read as they are sent, in parts of ``max_annotations_per_import``.

        Args:
            target_id: The project (``kind`` LABEL or MAL) or model run (MEA) to import into.
            name: The import's name, unique per project or model run; a split import's later parts are named
                ``name#2``, ``name#3``...
            kind: :class:`~alabelbox.types.ImportKind` (or its value): ``LABEL`` (ground truth), ``MAL``
                (pre-labels) or ``MEA`` (model-run predictions). For MEA to MAL, see
                :meth:`send_model_run_predictions`.
            records: The annotations.
            path: A local NDJSON file of annotations.
            url: The URL of an NDJSON file of annotations.
            max_annotations_per_import: The most records of one import (part).
            concurrency: How many parts are sent at once.
            validate: Check every dict record against the import format before its part is sent (typed records
                are always checked, when built).
            timeout: Limits for each request, overriding the client's.

        Returns:
            The job: its parts as the API answered them.

        Raises:
            InvalidArgumentError: Not exactly one source, no records, or a bad argument.
            AnnotationValidationError: A record does not fit the import format (``index`` and ``field`` say where).
                With a list of records nothing has been sent; with a stream or a file, the parts before the bad
                record have been (the message names their imports).

        Example:
            >>> job = await client.imports.create(project_id, name="pre-labels", kind="MALPredictionImport",
            ...     records=[{"dataRow": {"id": data_row_id}, "name": "vent 📍", "point": {"x": 5, "y": 6}}])
            >>> job.kind, len(job.parts)
            (<ImportKind.MAL: 'MALPredictionImport'>, 1)
        """
        kind = ImportKind(kind)
        if kind is ImportKind.MEA_TO_MAL:
            raise InvalidArgumentError("kind", "an MEA to MAL import is made by send_model_run_predictions")
        target_id = check_id("target_id", target_id)
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", "must be a non-blank string")
        if sum(source is not None for source in (records, path, url)) != 1:
            raise InvalidArgumentError("records", "give exactly one of records, path and url")
        limit = check_positive_int("max_annotations_per_import", max_annotations_per_import)
        check_positive_int("concurrency", concurrency)
        target = _target_variable(kind)
        if url is not None:
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise InvalidArgumentError("url", f"must be an http(s) URL, got {url!r}")
            part = await self._mutate(
                _BY_URL[kind], {target: target_id, "name": name, "fileUrl": url}, AnnotationImport, timeout=timeout
            )
            return ImportJob(kind=kind, target_id=target_id, name=name, parts=(part,))
        if path is not None:
            file = Path(path)
            if not await anyio.Path(file).is_file():
                raise InvalidArgumentError("path", f"{file} is not a readable file")
            source: AsyncIterator[Any] = _file_records(file)
        else:
            assert records is not None
            if isinstance(records, (str, bytes, Mapping)):
                raise InvalidArgumentError("records", "must be an iterable of records, not one record or a string")
            if isinstance(records, list | tuple):
                # Everything is at hand: check it all before anything is sent.
                checked = [
                    validate_import_record(r, index=n) if validate or not isinstance(r, Mapping) else r
                    for n, r in enumerate(records)
                ]
                records, validate = checked, False
            source = _aiter(records)
        return await self._send(kind, target_id, name, source, limit, concurrency, validate, timeout)

    async def _send(
        self,
        kind: ImportKind,
        target_id: str,
        name: str,
        source: AsyncIterator[Any],
        limit: int,
        concurrency: int,
        validate: bool,
        timeout: TimeoutArg,
    ) -> ImportJob:
        parts: dict[int, AnnotationImport] = {}
        slots = anyio.Semaphore(concurrency)
        problem: AnnotationValidationError | None = None
        failures: list[Exception] = []
        sent = 0

        async def send(k: int, data: bytes) -> None:
            try:
                if failures:
                    return
                part_name = _part_name(name, k)
                variables = {
                    "file": None,
                    "contentLength": len(data),
                    _target_variable(kind): target_id,
                    "name": part_name,
                }
                files = {"variables.file": (f"{target_id}__{part_name}.ndjson", data, NDJSON)}
                operation, _ = operation_of(_BY_FILE[kind])
                answer = await self._client.execute(_BY_FILE[kind], variables, timeout=timeout, files=files)
                root = next(iter(answer.values()))
                parts[k] = parse(AnnotationImport, root, operation)
            except Exception as exc:  # kept, so that the other parts finish and the first error is raised as is
                failures.append(exc)
            finally:
                slots.release()

        async with anyio.create_task_group() as tg:
            lines: list[bytes] = []
            row: Any = None
            k = 0
            n = 0
            await slots.acquire()
            try:
                async for record in source:
                    if failures:
                        break
                    if validate or not isinstance(record, Mapping):
                        record = validate_import_record(record, index=n)
                    key = _row_key(record)
                    if lines and ((len(lines) >= limit and key != row) or len(lines) >= limit + _ROW_SLACK):
                        tg.start_soon(send, k, b"".join(lines))
                        k += 1
                        lines = []
                        await slots.acquire()
                    row = key
                    lines.append(_encode(record))
                    n += 1
                    if not n % _TURN_EVERY:
                        # A generator's records come without a turn of the event loop: give the parts in flight one.
                        await anyio.lowlevel.checkpoint()
            except AnnotationValidationError as exc:
                problem = exc
                lines = []
            sent = n
            if lines:
                tg.start_soon(send, k, b"".join(lines))
            else:
                slots.release()
        ordered = tuple(parts[i] for i in sorted(parts))
        if failures:
            raise failures[0]
        if problem is not None:
            started = f"; imports already started: {[p.id for p in ordered]}" if ordered else "; nothing was sent"
            raise AnnotationValidationError(problem.index, problem.field, problem.message.split(": ", 1)[-1] + started)
        if not ordered:
            raise InvalidArgumentError("records", "no records to import")
        return ImportJob(kind=kind, target_id=target_id, name=name, parts=ordered, records=sent)

    async def send_model_run_predictions(
        self,
        model_run_id: str,
        *,
        project_id: str,
        data_row_ids: Iterable[str],
        name: str,
        timeout: TimeoutArg = DEFAULT,
    ) -> ImportJob:
        """Send a model run's predictions on some data rows to a project as pre-labels (an MEA to MAL import).

        Raises:
            InvalidArgumentError: An id is not a string, or ``data_row_ids`` is empty.
            ResourceNotFoundError: No such model run or project.

        Example:
            >>> job = await client.imports.send_model_run_predictions(
            ...     model_run_id, project_id=project_id, data_row_ids=[data_row_id], name="to review")
            >>> job = await client.imports.wait(job, raise_on_failures=False)
            >>> job.kind.value
            'MEAToMALPredictionImport'
        """
        rows = check_ids("data_row_ids", data_row_ids)
        if not rows:
            raise InvalidArgumentError("data_row_ids", "give at least one data row id")
        variables = {
            "modelRunId": check_id("model_run_id", model_run_id),
            "projectId": check_id("project_id", project_id),
            "dataRowIds": rows,
            "name": name,
        }
        part = await self._mutate(q.CREATE_MEA_TO_MAL_IMPORT, variables, AnnotationImport, timeout=timeout)
        return ImportJob(kind=ImportKind.MEA_TO_MAL, target_id=project_id, name=name, parts=(part,))

    # ------------------------------------------------------------ reading

    async def retrieve(
        self, target_id: str, *, name: str, kind: ImportKind | str = ImportKind.LABEL, timeout: TimeoutArg = DEFAULT
    ) -> AnnotationImport:
        """An import by its project (or model run, for MEA) and name, as the server sees it now.

        Raises:
            ResourceNotFoundError: There is no such import.

        Example:
            >>> job = await client.imports.create(project_id, name="gt-retrieve", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "text_q0", "answer": "fine"}])
            >>> (await client.imports.retrieve(project_id, name="gt-retrieve")).id == job.parts[0].id
            True
        """
        kind = ImportKind(kind)
        variables = {_target_variable(kind): check_id("target_id", target_id), "name": name}
        return await self._retrieve(_RETRIEVE[kind], variables, AnnotationImport, timeout=timeout)

    def list(
        self,
        project_id: str,
        *,
        kind: ImportKind | str = ImportKind.LABEL,
        page_size: int = 100,
        window: int | None = DEFAULT_WINDOW,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[AnnotationImport]:
        """The label imports (or, ``kind=MAL``, the pre-label imports) of a project, oldest first: a
        :class:`~alabelbox.Paginator` of :class:`~alabelbox.types.AnnotationImport`.

        Example:
            >>> imports = [i async for i in client.imports.list(project_id)]
            >>> all(i.state.value in ("RUNNING", "FINISHED", "FAILED") for i in imports)
            True
        """
        kind = ImportKind(kind)
        if kind not in _LIST:
            raise InvalidArgumentError("kind", "only label and MAL imports are listed by project")
        return self._offset_listing(
            _LIST[kind],
            {"projectId": check_id("project_id", project_id)},
            AnnotationImport,
            page_size=page_size,
            window=window,
            timeout=timeout,
        )

    async def poll(self, job: ImportJob, *, timeout: TimeoutArg = DEFAULT) -> ImportJob:
        """The job as the server sees it now (every unfinished part fetched again).

        Example:
            >>> job = await client.imports.create(project_id, name="gt-poll", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "text_q0", "answer": "ok"}])
            >>> (await client.imports.poll(job)).name
            'gt-poll'
        """
        fresh = list(job.parts)
        failures: builtins.list[Exception] = []

        async def refresh(k: int) -> None:
            try:
                fresh[k] = await self.retrieve(job.target_id, name=fresh[k].name, kind=job.kind, timeout=timeout)
            except Exception as exc:  # kept, so that the first error is raised as is (not in an exception group)
                failures.append(exc)

        # The unfinished parts are asked for at once, so a poll of a split import costs one round trip.
        async with anyio.create_task_group() as tg:
            for k, part in enumerate(job.parts):
                if not part.is_done:
                    tg.start_soon(refresh, k)
        if failures:
            raise failures[0]
        return job.model_copy(update={"parts": tuple(fresh)})

    async def wait(
        self,
        job: ImportJob,
        *,
        wait_timeout: float | None = 7200.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: Callable[[ImportJob], Awaitable[None] | None] | None = None,
        raise_on_failures: bool = True,
        timeout: TimeoutArg = DEFAULT,
    ) -> ImportJob:
        """Poll until every part is done; return the job, or raise with a summary of what failed.

        Args:
            job: What :meth:`create` returned.
            wait_timeout: Seconds to wait in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds (the SDK sleeps 10 s between polls).
            max_poll_interval: The longest wait between two polls.
            on_progress: Called with the job after each poll (a coroutine function is awaited).
            raise_on_failures: Also raise when the import finished but some annotations failed (their statuses
                are counted by streaming the error files; the first few are kept on the error).
            timeout: Limits for each request, overriding the client's.

        Raises:
            ImportFailedError: A part FAILED, or (``raise_on_failures``) some annotations did: ``failed``,
                ``import_ids`` and ``first_errors`` say which.
            WaitTimeoutError: ``wait_timeout`` passed with a part still running (it goes on on the server).

        Example:
            >>> job = await client.imports.create(project_id, name="gt-bad", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "no such tool", "point": {"x": 1, "y": 2}}])
            >>> await client.imports.wait(job)
            Traceback (most recent call last):
            ...
            alabelbox._exceptions.ImportFailedError: 1 of the annotations of import 'gt-bad' failed: ...
        """
        schedule = user_schedule(poll_interval, max_poll_interval)

        def on_timeout(last: ImportJob | None, seconds: float) -> builtins.Exception:
            done = f"{last.percent or 0:.0f}% done" if last else "unseen"
            return WaitTimeoutError(f"import {job.name!r} still running ({done}) after {seconds} s")

        done = await poll_until(
            lambda: self.poll(job, timeout=timeout),
            lambda state: state.is_done,
            wait_timeout=wait_timeout,
            on_progress=on_progress,
            progress=lambda state: state.percent,
            schedule=schedule,
            on_timeout=on_timeout,
        )
        failed_parts = [p for p in done.parts if p.state is ImportState.FAILED]
        if failed_parts:
            raise ImportFailedError(
                f"{len(failed_parts)} of the {len(done.parts)} imports of {job.name!r} failed: "
                + ", ".join(f"{p.name} ({p.id})" for p in failed_parts),
                import_ids=[p.id for p in failed_parts],
                failed=0,
                first_errors=[],
            )
        if raise_on_failures:
            failed = 0
            shown: list[dict[str, Any]] = []
            ids: list[str] = []
            async for status in self.errors(done, timeout=timeout):
                failed += 1
                if status.import_id not in ids and status.import_id is not None:
                    ids.append(status.import_id)
                if len(shown) < _SHOWN_ERRORS:
                    shown.append(status.model_dump(mode="json", by_alias=True))
            if failed:
                first = shown[0].get("errors") or [{}]
                raise ImportFailedError(
                    f"{failed} of the annotations of import {job.name!r} failed: {first[0].get('message')}",
                    import_ids=ids,
                    failed=failed,
                    first_errors=shown,
                )
        return done

    async def statuses(self, job: ImportJob, *, timeout: TimeoutArg = DEFAULT) -> AsyncIterator[AnnotationStatus]:
        """Every annotation's status, part after part, streamed from the status files (never all in memory).

        The job must be done (see :meth:`wait`); a part that is not is polled first.

        Example:
            >>> job = await client.imports.create(project_id, name="gt-statuses", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "text_q0", "answer": "fine"}])
            >>> job = await client.imports.wait(job)
            >>> [(s.status, s.data_row_id == data_row_id) async for s in client.imports.statuses(job)]
            [('SUCCESS', True)]
        """
        async for status in self._stream(job, "status_file_url", timeout):
            yield status

    async def errors(self, job: ImportJob, *, timeout: TimeoutArg = DEFAULT) -> AsyncIterator[AnnotationStatus]:
        """The statuses of the annotations that failed, streamed from the error files.

        Example:
            >>> job = await client.imports.create(project_id, name="gt-errors", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "radio_q0", "answer": "not a radio answer"}])
            >>> job = await client.imports.wait(job, raise_on_failures=False)
            >>> [e.errors[0].name async for e in client.imports.errors(job)]
            ['ValidationError']
        """
        async for status in self._stream(job, "error_file_url", timeout):
            yield status

    async def inputs(self, job: ImportJob, *, timeout: TimeoutArg = DEFAULT) -> AsyncIterator[dict[str, Any]]:
        """The records the import was sent, part after part, streamed from its input files (the SDK's ``inputs``).

        Each record is the JSON object as the server holds it; nothing is kept in memory but the line being read.

        Example:
            >>> job = await client.imports.create(project_id, name="gt-inputs", records=[
            ...     {"dataRow": {"id": data_row_id}, "name": "text_q0", "answer": "fine"}])
            >>> [(r["name"], r["answer"]) async for r in client.imports.inputs(job)]
            [('text_q0', 'fine')]
        """
        for part in job.parts:
            url = part.input_file_url
            if not url:
                continue
            async with self._client.download(url, timeout=timeout) as response:
                body = iter_body(response, "GET input_file_url", redact=self._client._pool.redact)
                async for raw in _lines(body):
                    if raw.strip():
                        yield _record(raw, part.id)

    async def _stream(self, job: ImportJob, member: str, timeout: TimeoutArg) -> AsyncIterator[AnnotationStatus]:
        if not job.is_done:
            job = await self.wait(job, raise_on_failures=False, timeout=timeout)
        for part in job.parts:
            url = getattr(part, member)
            if not url:
                continue
            async with self._client.download(url, timeout=timeout) as response:
                async for raw in _lines(iter_body(response, f"GET {member}", redact=self._client._pool.redact)):
                    if raw.strip():
                        yield _status(raw, part.id)

    async def delete(self, import_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a model-assisted labeling (MAL) import.

        Example:
            >>> job = await client.imports.create(project_id, name="mal-delete", kind="MALPredictionImport",
            ...     records=[{"dataRow": {"id": data_row_id}, "name": "text_q0", "answer": "x"}])
            >>> await client.imports.delete(job.parts[0].id)
        """
        await self._mutate(q.DELETE_MAL_IMPORT, {"id": check_id("import_id", import_id)}, timeout=timeout)


def _record(raw: bytes, import_id: str) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except ValueError as exc:
        raise ResponseModelError(f"input file of import {import_id}: a line is not JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise ResponseModelError(f"input file of import {import_id}: a line is not a JSON object: {raw[:200]!r}")
    return record


def _status(raw: bytes, import_id: str) -> AnnotationStatus:
    status = AnnotationStatus.model_validate_json(raw)
    return status.model_copy(update={"import_id": import_id})
