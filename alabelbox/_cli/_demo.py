"""``alabelbox demo``: the whole flow against an embedded emulator, with progress, timings and what it did.

The emulator runs in its own process and answers every API request after a fixed latency (``--latency``, 50 ms by
default), as a real API does over a network, so the effect of fetching pages ahead is visible and honest: the same
listing is timed one page at a time (as the official SDK pages) and with alabelbox's window.
"""

from __future__ import annotations

import collections
import time
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from alabelbox._cli._app import Settings, cli, run
from alabelbox._cli._progress import ExportProgress
from alabelbox._client import Client
from alabelbox.types import ExportRow


@cli.command()
@click.option(
    "--data-rows",
    type=click.IntRange(100, 1_000_000),
    default=20_000,
    show_default=True,
    help="Data rows (one label each) in the demo project.",
)
@click.option(
    "--latency",
    type=click.FloatRange(0, 5),
    default=0.05,
    show_default=True,
    help="Seconds the emulator waits before answering each API request.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generated data.")
@click.pass_obj
def demo(settings: Settings, data_rows: int, latency: float, seed: int) -> None:
    """Run a filtered label listing and a streaming export against an embedded Labelbox emulator."""
    from alabelbox.testing import emulator_process  # the emulator's imports only for this command

    console = Console()

    async def main() -> None:
        console.rule("[bold]alabelbox demo")
        # The emulator runs in its own process, as a real API runs on its own machine: on the same event loop its
        # work would be charged to the client.
        serve_args = ("--seed", str(seed), "--projects", "3", "--data-rows", str(data_rows), "--latency", str(latency),
                      "--task-seconds", "1.5", "--shard-mb", "4")  # fmt: skip
        async with emulator_process(*serve_args, quiet=True) as emu:
            console.print(f"Labelbox emulator at {emu.endpoint}, {latency * 1000:.0f} ms per API request, seed {seed}.")
            async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
                project_id = await _projects(console, client)
                await _labels(console, client, project_id)
                await _export(console, client, project_id)
                stats = client.statistics()
        console.rule()
        console.print(
            f"Done: {stats.completed:,} API calls, {stats.retried} retried, {stats.failed} failed, "
            f"{stats.cancelled} cancelled (look-ups and pages fetched ahead that were not needed)."
        )

    run(settings, main)


async def _projects(console: Console, client: Client) -> str:
    console.print("\n[bold]1. Projects[/]  client.projects.list()")
    projects = [p async for p in client.projects.list()]
    table = Table("id", "name", "media", "data rows")
    for p in projects:
        table.add_row(p.id, p.name, str(p.allowed_media_type or ""), f"{p.data_row_count or 0:,}")
    console.print(table)
    return projects[0].id


async def _labels(console: Console, client: Client, project_id: str) -> None:
    console.print(
        '\n[bold]2. A filtered label listing[/]  client.labels.list(project_id, type="Submitted", agreement_min=0.5)'
    )
    timings: dict[int, tuple[int, float]] = {}
    for window in (1, 8):  # 1: one page at a time, as the official SDK pages
        started = time.monotonic()
        count = 0
        listing = client.labels.list(project_id, type="Submitted", agreement_min=0.5, window=window)
        async for label in listing:
            assert label.type is not None and label.type.name == "Submitted"
            count += 1
        timings[window] = (count, time.monotonic() - started)
    (count, sequential), (_, ahead) = timings[1], timings[8]
    console.print(
        f"   {count:,} labels match.  One page at a time (as the SDK): {sequential:.2f} s.  "
        f"8 pages in flight: {ahead:.2f} s ([bold green]{sequential / ahead:.1f}x faster[/]), "
        f"{count / ahead:,.0f} labels/s, same labels in the same order."
    )


async def _export(console: Console, client: Client, project_id: str) -> None:
    console.print(
        "\n[bold]3. A streaming export[/]  client.exports.create(...), client.exports.wait(task), "
        "client.exports.stream(task)"
    )
    task = await client.exports.create(project_id=project_id, params={"label_details": True, "project_details": True})
    with ExportProgress(console) as progress:
        task = await client.exports.wait(task, on_progress=progress.waiting, poll_interval=0.25)
        progress.done_waiting()
    metadata = await client.exports.metadata(task)
    total_lines = metadata.total_lines if metadata else 0
    total_bytes = metadata.total_size if metadata else 0
    kinds: collections.Counter[str] = collections.Counter()
    first_record: float | None = None
    rows = 0
    bar = Progress(
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    started = time.monotonic()
    with bar:
        bar_task = bar.add_task("typed rows (ExportRow)", total=total_lines)
        async with client.exports.stream(task, model=ExportRow) as stream:
            async for record in stream:
                if first_record is None:
                    first_record = time.monotonic() - started
                rows += 1
                _count_annotations(record.value, kinds)
                if rows % 500 == 0:
                    bar.update(bar_task, completed=rows)
        bar.update(bar_task, completed=rows)
    seconds = time.monotonic() - started
    console.print(
        f"   {rows:,} rows, {total_bytes / 1e6:,.1f} MB in {seconds:.2f} s: {rows / seconds:,.0f} rows/s, "
        f"{total_bytes / 1e6 / seconds:,.1f} MB/s; first record after {first_record or 0:.3f} s "
        "(the official SDK yields nothing until every shard is on disk)."
    )
    table = Table("annotation kind", "count", title="what the export held")
    for kind, n in kinds.most_common():
        table.add_row(kind, f"{n:,}")
    console.print(table)


def _count_annotations(row: ExportRow, kinds: collections.Counter[str]) -> None:
    # Any field may hold an Unrecognized (a shape alabelbox does not know): count only what is typed.
    projects = row.projects if isinstance(row.projects, dict) else {}
    for project in projects.values():
        for label in project.labels if isinstance(project.labels, list) else ():
            annotations: Any = label.annotations
            for obj in getattr(annotations, "objects", None) or ():
                kinds[getattr(obj, "annotation_kind", None) or "object"] += 1
            for _ in getattr(annotations, "classifications", None) or ():
                kinds["classification"] += 1
            for _ in getattr(annotations, "relationships", None) or ():
                kinds["relationship"] += 1
