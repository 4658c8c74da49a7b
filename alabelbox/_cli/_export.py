"""``alabelbox export`` (export v2 tasks) and ``alabelbox export-labels`` (the legacy bulk export).

Every flag and the destination are checked before anything is sent. The writing step is one of two functions,
the finished task and the destination in, the file out: :func:`write_export` for ``ndjson`` and ``json`` (bytes as
they arrive, resumable mid-stream) and :func:`write_format` for ``parquet``, ``coco`` and ``yolo``
(:mod:`alabelbox.destinations`, read from the start each time).
"""

from __future__ import annotations

import contextlib
import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any, Literal

import click
from rich.console import Console

from alabelbox._cli._app import CliError, Settings, cli, run, shared_options
from alabelbox._cli._dates import DATE, CliDate
from alabelbox._cli._destination import ExportFiles, check_writable, plan
from alabelbox._cli._formats import ALL_FORMATS, FormatOptions, choose, summary
from alabelbox._cli._progress import ExportProgress
from alabelbox._client import Client
from alabelbox._exports.filters import PROJECT_FLAGS, WORKFLOW_STATUSES
from alabelbox.destinations import WriteProgress, WriteSummary, write_task
from alabelbox.types import DownloadProgress, ExportTask

#: The library's argument names -> the flags of ``alabelbox export``.
EXPORT_FLAGS = {
    "project_id": "PROJECT_ID",
    "dataset_id": "--dataset",
    "slice_id": "--slice",
    "masks": "--masks",
    "yolo_task": "--yolo-task",
    "classes": "--classes",
    "last_activity_at": "--last-activity-start/--last-activity-end",
    "label_created_at": "--label-created-start/--label-created-end",
    "data_row_ids": "--data-row-id",
    "global_keys": "--global-key",
    "batch_ids": "--batch-id",
    "workflow_status": "--workflow-status",
    "concurrency": "--concurrency",
    "timeout": "--wait-timeout",
}
LEGACY_FLAGS = {
    "project_id": "PROJECT_ID",
    "start": "--start",
    "end": "--end",
    "last_activity_start": "--last-activity-start",
    "last_activity_end": "--last-activity-end",
}


def _range(start: str | None, end: str | None) -> list[str | None] | None:
    return None if start is None and end is None else [start, end]


def _summary(console: Console, what: str, progress: DownloadProgress, seconds: float, path: Path) -> None:
    mb = progress.bytes_done / 1e6
    seconds = max(seconds, 1e-6)
    console.print(
        f"{what}: {progress.lines_done:,} rows, {mb:,.1f} MB in {seconds:.1f} s "
        f"({progress.lines_done / seconds:,.0f} rows/s, {mb / seconds:,.1f} MB/s) -> {path}"
    )


def _resume_command() -> str:
    """The command line as typed, with ``--resume`` instead of ``--overwrite``."""
    args = [a for a in sys.argv[1:] if a != "--overwrite"]
    if "--resume" not in args:
        args.append("--resume")
    return shlex.join(["alabelbox", *args])


async def write_export(
    client: Client,
    task: ExportTask,
    destination: Path,
    *,
    fmt: Literal["ndjson", "json"],
    resume: bool,
    concurrency: int | None,
    progress: ExportProgress,
) -> DownloadProgress:
    """Write a COMPLETE task's rows to ``destination`` (via ``<destination>.part``) as NDJSON or JSON.

    The bytes are written as they arrive, so an interrupted download continues where it stopped (``resume``).
    """
    return await client.exports.download(
        task, destination, format=fmt, resume=resume, concurrency=concurrency, on_progress=progress.downloading
    )


async def write_format(
    client: Client,
    task: ExportTask,
    destination: Path,
    *,
    options: FormatOptions,
    project_id: str | None,
    concurrency: int | None,
    progress: ExportProgress,
) -> WriteSummary:
    """Write a COMPLETE task's rows as Parquet, COCO or YOLO (:func:`alabelbox.destinations.write_task`).

    Read from the start of the stream every time: these formats cannot continue mid-stream.
    """
    extra: dict[str, Any] = {}
    if options.fmt == "coco":
        extra["masks"] = options.masks
    if options.fmt == "yolo":
        extra["yolo_task"] = options.yolo_task
    if options.fmt in ("coco", "yolo"):
        extra.update(classes=options.classes, project_id=project_id)
    if concurrency is not None:
        extra["concurrency"] = concurrency

    def report(done: WriteProgress) -> None:
        progress.writing(done)

    return await write_task(client, task, destination, format=options.fmt, on_progress=report, **extra)  # type: ignore[arg-type]


@cli.command()
@click.argument("project_id", required=False)
@click.option("--dataset", "dataset_id", default=None, help="Export this dataset instead of a project.")
@click.option("--slice", "slice_id", default=None, help="Export the rows of this catalog slice instead of a project.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="File (YOLO: folder) to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ALL_FORMATS),
    default=None,
    help="ndjson (default), json, parquet (default for .parquet), coco or yolo.",
)
@click.option(
    "--masks",
    type=click.Choice(["fetch", "skip"]),
    default=None,
    help="COCO: fetch mask images (default) or skip masks.",
)
@click.option(
    "--yolo-task", type=click.Choice(["detect", "segment"]), default=None, help="YOLO: detect (default) or segment."
)
@click.option(
    "--classes", "classes", multiple=True, help="COCO, YOLO: the class names in id order (comma-separated or repeated)."
)
@click.option("--last-activity-start", type=DATE, default=None, help="Filter: data row activity from (a date).")
@click.option("--last-activity-end", type=DATE, default=None, help="Filter: data row activity until.")
@click.option("--label-created-start", type=DATE, default=None, help="Filter: labels created from.")
@click.option("--label-created-end", type=DATE, default=None, help="Filter: labels created until.")
@click.option("--data-row-id", "data_row_ids", multiple=True, help="Filter: only this data row (repeatable).")
@click.option("--global-key", "global_keys", multiple=True, help="Filter: only this global key (repeatable).")
@click.option("--batch-id", "batch_ids", multiple=True, help="Filter: only this batch (repeatable).")
@click.option("--workflow-status", type=click.Choice(WORKFLOW_STATUSES), default=None, help="Filter: workflow status.")
@click.option("--include", multiple=True, type=click.Choice(PROJECT_FLAGS), help="Include this (repeatable).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Shards downloaded at once.")
@click.option("--resume", is_flag=True, help="Continue an interrupted download of the same export.")
@click.option("--overwrite", is_flag=True, help="Discard an unfinished download (.part and .task) and start over.")
@click.option(
    "--wait-timeout",
    type=click.FloatRange(0, min_open=True),
    default=7200.0,
    show_default=True,
    help="Seconds to wait for the task.",
)
@shared_options
@click.pass_obj
def export(
    settings: Settings,
    project_id: str | None,
    dataset_id: str | None,
    slice_id: str | None,
    output: Path,
    fmt: str | None,
    masks: str | None,
    yolo_task: str | None,
    classes: tuple[str, ...],
    last_activity_start: CliDate | None,
    last_activity_end: CliDate | None,
    label_created_start: CliDate | None,
    label_created_end: CliDate | None,
    data_row_ids: tuple[str, ...],
    global_keys: tuple[str, ...],
    batch_ids: tuple[str, ...],
    workflow_status: str | None,
    include: tuple[str, ...],
    concurrency: int | None,
    resume: bool,
    overwrite: bool,
    wait_timeout: float,
) -> None:
    """Export PROJECT_ID (or --dataset DATASET_ID, or --slice SLICE_ID) to a file, with progress.

    Formats: ndjson and json (the rows as Labelbox wrote them), parquet (OUTPUT and OUTPUT's .annotations.parquet),
    coco (one JSON file) and yolo (a folder). Dates are YYYY-MM-DD, 'YYYY-MM-DD hh:mm:ss' or ISO 8601 with Z or an
    offset. Ctrl-C keeps OUTPUT.part and OUTPUT.task (what the export is); the same command with --resume continues
    it. Parquet, COCO and YOLO cannot continue mid-stream: --resume reuses the finished task and reads it again from
    the start.
    """
    if [project_id, dataset_id, slice_id].count(None) != 2:
        raise CliError("give PROJECT_ID or --dataset DATASET_ID or --slice SLICE_ID (one of them)")
    if slice_id is not None:
        filtering = {
            "--last-activity-start/--last-activity-end": last_activity_start or last_activity_end,
            "--label-created-start/--label-created-end": label_created_start or label_created_end,
            "--data-row-id": data_row_ids,
            "--global-key": global_keys,
            "--batch-id": batch_ids,
            "--workflow-status": workflow_status,
        }
        given = [flag for flag, value in filtering.items() if value]
        if given:
            raise CliError(f"{', '.join(given)}: a --slice export takes no filters, the slice's saved ones apply")
    if dataset_id is not None:
        project_only = {
            "--label-created-start/--label-created-end": label_created_start or label_created_end,
            "--batch-id": batch_ids,
            "--workflow-status": workflow_status,
        }
        given = [flag for flag, value in project_only.items() if value]
        if given:
            raise CliError(f"{', '.join(given)} filter a project export; --dataset exports take none of them")
    options = choose(output, fmt, masks, yolo_task, classes)
    filters: dict[str, Any] = {
        "last_activity_at": _range(last_activity_start, last_activity_end),
        "label_created_at": _range(label_created_start, label_created_end),
        "data_row_ids": list(data_row_ids) or None,
        "global_keys": list(global_keys) or None,
        "batch_ids": list(batch_ids) or None,
        "workflow_status": workflow_status,
    }
    filters = {k: v for k, v in filters.items() if v is not None}
    params = dict.fromkeys(sorted(set(include)), True)
    kind, source_id = next(
        (kind, value)
        for kind, value in (("project", project_id), ("dataset", dataset_id), ("slice", slice_id))
        if value is not None
    )
    description = json.loads(
        json.dumps({"kind": kind, "id": source_id, "filters": filters, "params": params, "format": options.fmt})
    )
    console = Console(stderr=True)
    files = ExportFiles(output)
    # Everything about the destination is settled before a client exists, let alone a task.
    check_writable(output)
    task_id = plan(files, description, resume=resume, overwrite=overwrite)
    state: dict[str, str] = {}

    def interrupted() -> str:
        if not options.streamed and "task" in state:
            return (
                f"--format {options.fmt} cannot continue mid-stream, so nothing partial was kept; export task "
                f"{state['task']} is recorded in {files.task}; {_resume_command()} reads it again from the start"
            )
        if files.part.exists():
            kept = f"kept {files.part.stat().st_size:,} bytes in {files.part}"
        elif "task" in state:
            kept = f"export task {state['task']} goes on on the server ({files.task} records it)"
        else:
            return "nothing was started"
        return f"{kept}; continue with: {_resume_command()}"

    async def main() -> tuple[DownloadProgress | WriteSummary, float]:
        async with settings.client() as client:
            task: ExportTask
            if task_id is not None:
                task = await client.exports.retrieve(task_id)
                if options.streamed:
                    console.print(f"resuming export task {task.id}")
                else:
                    console.print(
                        f"resuming export task {task.id}: --format {options.fmt} cannot continue mid-stream, "
                        "so it is read again from the start",
                        markup=False,
                    )
            else:
                source: dict[str, Any] = {f"{kind}_id": source_id}
                task = await client.exports.create(**source, filters=filters, params=params)
                files.write_sidecar(description, task.id)
                console.print(f"export task {task.id} created")
            state["task"] = task.id
            with ExportProgress(console) as progress:
                task = await client.exports.wait(task, wait_timeout=wait_timeout, on_progress=progress.waiting)
                progress.done_waiting()
                started = time.monotonic()
                done: DownloadProgress | WriteSummary
                if options.streamed:
                    done = await write_export(
                        client,
                        task,
                        output,
                        fmt=options.fmt,  # type: ignore[arg-type]
                        resume=task_id is not None,
                        concurrency=concurrency,
                        progress=progress,
                    )
                else:
                    done = await write_format(
                        client,
                        task,
                        output,
                        options=options,
                        project_id=project_id,
                        concurrency=concurrency,
                        progress=progress,
                    )
            files.task.unlink(missing_ok=True)
            return done, time.monotonic() - started

    done, seconds = run(settings, main, on_interrupt=interrupted, flags=EXPORT_FLAGS)
    if isinstance(done, WriteSummary):
        summary(console, done, seconds)
    else:
        _summary(console, "downloaded", done, seconds, output)


@cli.command("export-labels")
@click.argument("project_id")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write.")
@click.option("--start", type=DATE, default=None, help="Labels created from (a date; a zone is converted to UTC).")
@click.option("--end", type=DATE, default=None, help="Labels created until.")
@click.option("--last-activity-start", type=DATE, default=None, help="Activity from.")
@click.option("--last-activity-end", type=DATE, default=None, help="Activity until.")
@click.option("--url-only", is_flag=True, help="Print the download URL instead of downloading.")
@shared_options
@click.pass_obj
def export_labels(
    settings: Settings,
    project_id: str,
    output: Path | None,
    start: CliDate | None,
    end: CliDate | None,
    last_activity_start: CliDate | None,
    last_activity_end: CliDate | None,
    url_only: bool,
) -> None:
    """The legacy bulk export (exportLabels) of PROJECT_ID to a JSON file, streamed row by row.

    It cannot resume: after Ctrl-C, run it again. Dates are as for ``alabelbox export``.
    """
    if output is None and not url_only:
        raise click.UsageError("give -o/--output FILE, or --url-only to print the download URL")
    if output is not None:
        check_writable(output)
    console = Console(stderr=True)
    start_, end_, activity_start, activity_end = (
        None if value is None else value.utc_naive() for value in (start, end, last_activity_start, last_activity_end)
    )
    part = output.with_name(output.name + ".part") if output is not None else None
    written = {"rows": 0}

    def interrupted() -> str:
        if part is not None and part.exists():
            return (
                f"the legacy export cannot resume; {part} holds the {written['rows']:,} rows written so far (not "
                "valid JSON, delete it); run the command again to start over"
            )
        return "the legacy export cannot resume; run the command again"

    async def main() -> tuple[int, float]:
        async with settings.client() as client:
            started = time.monotonic()
            if url_only or part is None or output is None:
                result = await client.exports.export_labels_url(
                    project_id,
                    start=start_,
                    end=end_,
                    last_activity_start=activity_start,
                    last_activity_end=activity_end,
                )
                click.echo(result.download_url)
                return 0, time.monotonic() - started
            async with contextlib.AsyncExitStack() as stack:
                with console.status("generating the export (exportLabels while shouldPoll) ..."):
                    legacy = client.exports.export_labels(
                        project_id,
                        start=start_,
                        end=end_,
                        last_activity_start=activity_start,
                        last_activity_end=activity_end,
                        model=None,
                    )
                    rows = await stack.enter_async_context(legacy)
                with part.open("w", encoding="utf-8") as out:
                    out.write("[")
                    async for row in rows:
                        out.write(("\n" if written["rows"] == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
                        written["rows"] += 1
                    out.write("\n]\n")
            part.replace(output)
            return written["rows"], time.monotonic() - started

    count, seconds = run(settings, main, on_interrupt=interrupted, flags=LEGACY_FLAGS)
    if not url_only:
        console.print(f"exported {count:,} labels in {seconds:.1f} s -> {output}")
