"""``alabelbox export`` (export v2 tasks) and ``alabelbox export-labels`` (the legacy bulk export)."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from alabelbox._cli._app import Settings, cli, run
from alabelbox._cli._progress import ExportProgress
from alabelbox._export_filters import PROJECT_FLAGS, WORKFLOW_STATUSES
from alabelbox.types import DownloadProgress, ExportTask


def _task_file(output: Path) -> Path:
    """Where the task id of an unfinished download is kept, so that --resume continues the same task."""
    return output.with_name(output.name + ".task")


def _range(start: str | None, end: str | None) -> list[str | None] | None:
    return None if start is None and end is None else [start, end]


def _summary(console: Console, what: str, progress: DownloadProgress, seconds: float, path: Path) -> None:
    mb = progress.bytes_done / 1e6
    console.print(
        f"{what}: {progress.lines_done:,} rows, {mb:,.1f} MB in {seconds:.1f} s "
        f"({progress.lines_done / seconds:,.0f} rows/s, {mb / seconds:,.1f} MB/s) -> {path}"
    )


@cli.command()
@click.argument("project_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--format", "fmt", type=click.Choice(["ndjson", "json"]), default="ndjson", show_default=True)
@click.option("--last-activity-start", default=None, help="Filter: data row activity from (YYYY-MM-DD[ hh:mm:ss]).")
@click.option("--last-activity-end", default=None, help="Filter: data row activity until.")
@click.option("--label-created-start", default=None, help="Filter: labels created from.")
@click.option("--label-created-end", default=None, help="Filter: labels created until.")
@click.option("--data-row-id", "data_row_ids", multiple=True, help="Filter: only this data row (repeatable).")
@click.option("--global-key", "global_keys", multiple=True, help="Filter: only this global key (repeatable).")
@click.option("--batch-id", "batch_ids", multiple=True, help="Filter: only this batch (repeatable).")
@click.option("--workflow-status", type=click.Choice(WORKFLOW_STATUSES), default=None, help="Filter: workflow status.")
@click.option("--include", multiple=True, type=click.Choice(PROJECT_FLAGS), help="Include this (repeatable).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Shards downloaded at once.")
@click.option("--resume", is_flag=True, help="Continue an interrupted download of the same export.")
@click.option("--wait-timeout", type=float, default=7200.0, show_default=True, help="Seconds to wait for the task.")
@click.pass_obj
def export(
    settings: Settings,
    project_id: str,
    output: Path,
    fmt: str,
    last_activity_start: str | None,
    last_activity_end: str | None,
    label_created_start: str | None,
    label_created_end: str | None,
    data_row_ids: tuple[str, ...],
    global_keys: tuple[str, ...],
    batch_ids: tuple[str, ...],
    workflow_status: str | None,
    include: tuple[str, ...],
    concurrency: int | None,
    resume: bool,
    wait_timeout: float,
) -> None:
    """Export PROJECT_ID to a file, with progress. Ctrl-C leaves a partial file that --resume continues."""
    filters: dict[str, Any] = {
        "last_activity_at": _range(last_activity_start, last_activity_end),
        "label_created_at": _range(label_created_start, label_created_end),
        "data_row_ids": list(data_row_ids) or None,
        "global_keys": list(global_keys) or None,
        "batch_ids": list(batch_ids) or None,
        "workflow_status": workflow_status,
    }
    filters = {k: v for k, v in filters.items() if v is not None}
    params = dict.fromkeys(include, True)
    console = Console(stderr=True)
    task_file = _task_file(output)

    async def main() -> tuple[DownloadProgress, float]:
        async with settings.client() as client:
            task: ExportTask | None = None
            if resume and task_file.exists():
                task = await client.exports.retrieve(task_file.read_text().strip())
                console.print(f"resuming export task {task.id}")
            if task is None:
                task = await client.exports.create(project_id=project_id, filters=filters, params=params)
                task_file.write_text(task.id)
                console.print(f"export task {task.id} created")
            with ExportProgress(console) as progress:
                await task.wait(timeout=wait_timeout, on_progress=progress.waiting)
                progress.done_waiting()
                started = time.monotonic()
                done = await task.download(
                    output,
                    format="json" if fmt == "json" else "ndjson",
                    resume=resume,
                    concurrency=concurrency,
                    on_progress=progress.downloading,
                )
            task_file.unlink(missing_ok=True)
            return done, time.monotonic() - started

    done, seconds = run(settings, main)
    _summary(console, "downloaded", done, seconds, output)


@cli.command("export-labels")
@click.argument("project_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--start", default=None, help="Labels created from (YYYY-MM-DD[ hh:mm:ss]).")
@click.option("--end", default=None, help="Labels created until.")
@click.option("--last-activity-start", default=None, help="Activity from.")
@click.option("--last-activity-end", default=None, help="Activity until.")
@click.option("--url-only", is_flag=True, help="Print the download URL instead of downloading.")
@click.pass_obj
def export_labels(
    settings: Settings,
    project_id: str,
    output: Path,
    start: str | None,
    end: str | None,
    last_activity_start: str | None,
    last_activity_end: str | None,
    url_only: bool,
) -> None:
    """The legacy bulk export (exportLabels) of PROJECT_ID to a JSON file, streamed row by row."""
    console = Console(stderr=True)

    async def main() -> tuple[int, float]:
        async with settings.client() as client:
            started = time.monotonic()
            if url_only:
                result = await client.exports.export_labels_url(
                    project_id,
                    start=start,
                    end=end,
                    last_activity_start=last_activity_start,
                    last_activity_end=last_activity_end,
                )
                click.echo(result.download_url)
                return 0, time.monotonic() - started
            part = output.with_name(output.name + ".part")
            count = 0
            async with contextlib.AsyncExitStack() as stack:
                with console.status("generating the export (exportLabels while shouldPoll) ..."):
                    legacy = client.exports.export_labels(
                        project_id,
                        start=start,
                        end=end,
                        last_activity_start=last_activity_start,
                        last_activity_end=last_activity_end,
                        model=None,
                    )
                    rows = await stack.enter_async_context(legacy)
                with part.open("w", encoding="utf-8") as out:
                    out.write("[")
                    async for row in rows:
                        out.write(("\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
                        count += 1
                    out.write("\n]\n")
            part.replace(output)
            return count, time.monotonic() - started

    count, seconds = run(settings, main)
    if not url_only:
        console.print(f"exported {count:,} labels in {seconds:.1f} s -> {output}")
