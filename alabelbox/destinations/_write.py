"""``write_export``: rows from any source into one destination, atomically; ``write_task`` for an export task."""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio

from alabelbox._exceptions import InvalidArgumentError
from alabelbox.destinations._base import Destination, WriteProgress, WriteSummary
from alabelbox.destinations._source import iter_rows
from alabelbox.destinations.coco import CocoDestination, MaskMode
from alabelbox.destinations.parquet import DEFAULT_ROW_GROUP_BYTES, DEFAULT_ROW_GROUP_ROWS, ParquetDestination
from alabelbox.destinations.yolo import YoloDestination, YoloTask

if TYPE_CHECKING:
    from alabelbox._client import Client
    from alabelbox.types.export_task import ExportTask

__all__ = ["FORMATS", "Format", "ProgressCallback", "format_for", "write_export", "write_task"]

Format = Literal["parquet", "coco", "yolo"]
FORMATS: tuple[str, ...] = ("parquet", "coco", "yolo")
"""The formats :func:`write_export` writes."""
ProgressCallback = Callable[[WriteProgress], Awaitable[None] | None]
#: Call ``on_progress`` after this many rows (and at the end).
PROGRESS_EVERY = 256
#: Shards in flight by default for :func:`write_task`: a destination turns rows into Parquet at about 15 MB/s (both
#: tables), slower than one shard arrives over a good link, so one shard in flight keeps it fed; each shard in flight
#: buffers up to 4 MiB (at 990 MB of export, one shard peaked at 184-187 MB, two at 192-197 MB, in the same time).
WRITE_CONCURRENCY = 1


def format_for(path: str | os.PathLike[str], format: str | None) -> Format:
    """The format to write: ``format`` if given, else from the suffix (``.parquet``; COCO and YOLO must be named).

    Raises:
        InvalidArgumentError: An unknown format, or a suffix that does not say one.
    """
    if format is not None:
        if format not in FORMATS:
            raise InvalidArgumentError("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
        return format  # type: ignore[return-value]
    if Path(path).suffix.lower() in (".parquet", ".pq"):
        return "parquet"
    raise InvalidArgumentError(
        "format",
        f"cannot tell the format from {os.fspath(path)!r}: name it, format='parquet', 'coco' or 'yolo' "
        "(only .parquet is taken from the suffix; a COCO .json and a YOLO folder must be asked for)",
    )


def _destination(
    fmt: Format,
    path: Path,
    *,
    client: Client | None,
    masks: MaskMode,
    classes: Sequence[str] | None,
    project_id: str | None,
    yolo_task: YoloTask,
    row_group_rows: int,
    row_group_bytes: int,
    annotations: bool,
) -> Destination:
    if fmt == "parquet":
        if row_group_rows <= 0 or row_group_bytes <= 0:
            raise InvalidArgumentError("row_group_rows", "row_group_rows and row_group_bytes must be positive")
        return ParquetDestination(
            path, annotations=annotations, row_group_rows=row_group_rows, row_group_bytes=row_group_bytes
        )
    pinned = list(classes) if classes is not None else None
    if fmt == "coco":
        return CocoDestination(path, client=client, masks=masks, classes=pinned, project_id=project_id)
    return YoloDestination(path, task=yolo_task, classes=pinned, project_id=project_id)


async def write_export(
    source: Any,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    client: Client | None = None,
    masks: MaskMode = "fetch",
    classes: Sequence[str] | None = None,
    project_id: str | None = None,
    yolo_task: YoloTask = "detect",
    annotations: bool = True,
    row_group_rows: int = DEFAULT_ROW_GROUP_ROWS,
    row_group_bytes: int = DEFAULT_ROW_GROUP_BYTES,
    on_progress: ProgressCallback | None = None,
) -> WriteSummary:
    """Write export rows as Parquet, COCO or YOLO, streamed, atomically.

    Everything is written under ``<path>.part`` names and renamed when the source has ended; after an error or a
    cancellation the partial files are removed and ``path`` is left as it was.

    Args:
        source: An entered export stream (``client.exports.stream(task, model=None)``; dicts are fastest), a
            :func:`~alabelbox.read_records` reader, an iterable of rows (dicts, ``ExportRow``, ``Record``), or the
            path of an NDJSON or JSON export file.
        path: The file (Parquet, COCO) or folder (YOLO) to write.
        format: ``"parquet"``, ``"coco"`` or ``"yolo"``; default from the suffix (``.parquet`` only).
        client: The client that fetches mask images (COCO with ``masks="fetch"``).
        masks: COCO: ``"fetch"`` the mask images through ``client``, or ``"skip"`` mask annotations.
        classes: COCO and YOLO: pin the class list (and so the ids); default: in order of first appearance.
        project_id: COCO and YOLO: only the labels of this project (or model run).
        yolo_task: YOLO: ``"detect"`` or ``"segment"``.
        annotations: Parquet: also write the annotations table (``<stem>.annotations.parquet``).
        row_group_rows: Parquet: records per row group, at most.
        row_group_bytes: Parquet: Arrow bytes per row group, at most (below it, a table's groups grow with the square
            root of what it has written; see :mod:`alabelbox.destinations.parquet`).
        on_progress: Called (or awaited) with a :class:`WriteProgress` every few hundred rows and at the end.

    Returns:
        A :class:`WriteSummary`: the paths, rows, annotations written and skipped by kind.

    Raises:
        InvalidArgumentError: An unknown format or option; a missing optional dependency (naming its extra); COCO
            masks without ``client``.
        ExportDataError: A mask image that cannot be decoded (and the errors of the source's reader).

    Example:
        >>> async with client.exports.stream(task, model=None) as rows:
        ...     summary = await write_export(rows, "labels.parquet")
        >>> [path.name for path in summary.paths], summary.rows
        (['labels.parquet', 'labels.annotations.parquet'], 12)
    """
    fmt = format_for(path, format)
    if masks not in ("fetch", "skip"):
        raise InvalidArgumentError("masks", f"expected 'fetch' or 'skip', got {masks!r}")
    target = Path(path)
    destination = _destination(
        fmt,
        target,
        client=client,
        masks=masks,
        classes=classes,
        project_id=project_id,
        yolo_task=yolo_task,
        row_group_rows=row_group_rows,
        row_group_bytes=row_group_bytes,
        annotations=annotations,
    )
    summary = destination.summary
    progress = WriteProgress()
    position = getattr(source, "position", None)
    try:
        async for row in iter_rows(source):
            await destination.add(row)
            if on_progress is not None and summary.rows % PROGRESS_EVERY == 0:
                await _report(on_progress, _progress(progress, summary, source, position))
        await destination.commit()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await destination.discard()
        raise
    if on_progress is not None:
        await _report(on_progress, _progress(progress, summary, source, position))
    return summary


def _progress(progress: WriteProgress, summary: WriteSummary, source: Any, position: Any) -> WriteProgress:
    progress.rows = summary.rows
    progress.annotations = summary.annotations
    if position is not None:
        progress.bytes_done = source.position[0]
    return progress


async def _report(callback: ProgressCallback, progress: WriteProgress) -> None:
    outcome = callback(progress)
    if inspect.isawaitable(outcome):
        await outcome


async def write_task(
    client: Client,
    task: ExportTask | str,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    concurrency: int = WRITE_CONCURRENCY,
    on_progress: ProgressCallback | None = None,
    **options: Any,
) -> WriteSummary:
    """Stream a finished export task into Parquet, COCO or YOLO: what ``alabelbox export -o out.parquet`` calls.

    Opens the task's RESULT stream as dicts (``model=None``, the fastest), passes ``client`` for masks, and reports
    progress with the stream's total size.

    Args:
        client: The client to read the stream (and fetch masks) with.
        task: The COMPLETE task, or its id.
        path: The file or folder to write.
        format: ``"parquet"``, ``"coco"`` or ``"yolo"`` (default from the suffix).
        concurrency: Shards in flight at once (default 1: the writer, not the download, is the slower part).
        on_progress: Called with a :class:`WriteProgress` (``bytes_done`` of ``total_bytes``).
        **options: The other keyword arguments of :func:`write_export`.

    Example:
        >>> summary = await write_task(client, task, "coco.json", format="coco", masks="skip")
        >>> summary.written["ImageBoundingBox"] > 0, "ImageSegmentationMask" in summary.skipped
        (True, True)
    """
    fmt = format_for(path, format)
    metadata = await client.exports.metadata(task)
    total = metadata.total_size if metadata is not None else 0
    relay: ProgressCallback | None = None
    if on_progress is not None:
        callback = on_progress

        async def relay(progress: WriteProgress) -> None:
            progress.total_bytes = total
            await _report(callback, progress)

    async with client.exports.stream(task, model=None, concurrency=concurrency, missing_ok=True) as rows:
        return await write_export(rows, path, format=fmt, client=client, on_progress=relay, **options)
