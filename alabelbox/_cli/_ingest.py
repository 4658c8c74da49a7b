"""``alabelbox ingest``: create data rows from spec files (NDJSON or JSON) or folders of files, with progress.

Sources are read lazily: an NDJSON file of ten million specs, or a folder of ten million files, is never held in
memory. ``--resume`` skips the specs whose global key the dataset already holds, so a run that stopped (Ctrl-C, a
failure) continues where it was, without sending a row twice; it needs global keys (``--key-from-path`` gives a
folder's files one: their path under the folder).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from alabelbox._cli._app import CliError, Settings, cli, run, shared_options
from alabelbox._cli._errors import ExitCode
from alabelbox._constants import INGEST_CHUNK_SIZE
from alabelbox.types.ingestion import IngestProgress, IngestResult

INGEST_FLAGS = {"dataset_id": "DATASET_ID", "chunk_size": "--chunk-size", "concurrency": "--concurrency"}
SPEC_SUFFIXES = (".ndjson", ".jsonl", ".json")
#: Failed rows printed to the terminal (``--failures`` writes them all).
SHOWN_FAILURES = 10


def _spec_file(path: Path) -> Iterator[dict[str, Any]]:
    """The specs of an NDJSON file (one object a line) or a JSON file (a list of objects), read lazily."""
    if path.suffix == ".json":
        try:
            specs = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CliError(f"{path} is not JSON: {exc}") from None
        if not isinstance(specs, list):
            raise CliError(f"{path}: a JSON spec file holds a list of specs")
        yield from specs
        return
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                spec = json.loads(line)
            except ValueError as exc:
                raise CliError(f"{path}:{number} is not JSON: {exc}") from None
            if not isinstance(spec, dict):
                raise CliError(f"{path}:{number}: a spec is a JSON object")
            yield spec


def _folder(root: Path, key_from_path: bool) -> Iterator[dict[str, Any]]:
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            spec: dict[str, Any] = {"row_data": str(path)}
            if key_from_path:
                spec["global_key"] = path.relative_to(root).as_posix()
            yield spec


def specs_of(sources: tuple[Path, ...], key_from_path: bool) -> Iterator[dict[str, Any]]:
    """Every spec of the sources, in order: spec files' specs, folders' files, other files as one row each."""
    for source in sources:
        if source.is_dir():
            yield from _folder(source, key_from_path)
        elif source.suffix in SPEC_SUFFIXES:
            yield from _spec_file(source)
        else:
            spec: dict[str, Any] = {"row_data": str(source)}
            if key_from_path:
                spec["global_key"] = source.name
            yield spec


class IngestBar:
    """Rows sent and accepted against the rows read, and the bytes uploaded."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description:<10}"),
            BarColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._rows = self._progress.add_task("rows", total=None, detail="")
        self._files = self._progress.add_task("uploads", total=None, detail="", visible=False)

    def __enter__(self) -> IngestBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, p: IngestProgress) -> None:
        """Called by ``client.data_rows.create`` as chunks are sent and finish and files are uploaded."""
        detail = f"{p.accepted:,} accepted, {p.failed:,} failed, {p.sent:,} sent of {p.read:,} read"
        self._progress.update(self._rows, completed=p.accepted + p.failed, total=max(p.read, 1), detail=detail)
        if p.uploaded_files:
            detail = f"{p.uploaded_files:,} files, {p.uploaded_bytes / 1e6:,.1f} MB"
            self._progress.update(self._files, visible=True, detail=detail)


def report(console: Console, result: IngestResult, failures: Path | None, skipped: int) -> None:
    """The summary line, the first failed rows, and all of them in ``failures`` (NDJSON) if asked."""
    skip = f"; {skipped:,} skipped (already in the dataset)" if skipped else ""
    console.print(f"{result.summary()}{skip}", markup=False, highlight=False)
    for failed in result.failed[:SHOWN_FAILURES]:
        what = failed.global_key or failed.external_id or failed.row_data
        console.print(f"  failed: spec {failed.index} ({what}): {failed.message}", markup=False, highlight=False)
    if len(result.failed) > SHOWN_FAILURES:
        more = f"  ... and {len(result.failed) - SHOWN_FAILURES:,} more"
        console.print(more + ("" if failures else " (--failures FILE writes them all)"), markup=False)
    if failures is not None and result.failed:
        with failures.open("w", encoding="utf-8") as fh:
            for failed in result.failed:
                fh.write(json.dumps(dataclasses.asdict(failed)) + "\n")


@cli.command()
@click.argument("dataset_id")
@click.argument("sources", nargs=-1, required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--from-file",
    "from_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A spec file (NDJSON, or JSON: a list); repeatable. Same as giving it as a source.",
)
@click.option("--key-from-path", is_flag=True, help="Give each file of a folder its path under it as the global key.")
@click.option("--resume", is_flag=True, help="Skip the specs whose global key the dataset already holds.")
@click.option(
    "--chunk-size", type=click.IntRange(1, 150_000), default=INGEST_CHUNK_SIZE, show_default=True, help="Rows a task."
)
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Tasks in flight at once (default 8).")
@click.option("--failures", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write failed rows.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object on stdout.")
@shared_options
@click.pass_obj
def ingest(
    settings: Settings,
    dataset_id: str,
    sources: tuple[Path, ...],
    from_files: tuple[Path, ...],
    key_from_path: bool,
    resume: bool,
    chunk_size: int,
    concurrency: int | None,
    failures: Path | None,
    as_json: bool,
) -> None:
    """Create data rows in DATASET_ID from SOURCES: spec files (.ndjson/.jsonl, one spec a line, or .json, a list),
    folders (every file in them, uploaded) or single files.

    A spec is a data row as the SDK's create_data_rows takes it: {"row_data": URL or local path, "global_key",
    "external_id", "media_type", "metadata_fields", "attachments"}. Exit status 0 when every row was created, 1 when
    some failed (they are listed), and as the other commands for errors. After Ctrl-C or a failure, the same command
    with --resume continues where it stopped (rows need global keys: --key-from-path gives a folder's files one).
    """
    everything = (*sources, *from_files)
    if not everything:
        raise CliError("give at least one source: a spec file, a folder or a file")
    console = Console(stderr=True)
    state: dict[str, Any] = {"skipped": 0}

    def interrupted() -> str:
        last: IngestProgress | None = state.get("progress")
        sent = f"{last.sent:,} rows were sent ({last.accepted:,} accepted so far)" if last else "nothing was sent"
        return f"{sent}; run the same command with --resume to continue (rows with global keys are not sent twice)"

    async def main() -> IngestResult:
        async with settings.client() as client:
            existing: set[str] = set()
            if resume:
                existing = {r.global_key async for r in client.data_rows.list(dataset_id) if r.global_key}

            async def specs() -> AsyncIterator[dict[str, Any]]:
                for spec in specs_of(everything, key_from_path):
                    if existing and spec.get("global_key") in existing:
                        state["skipped"] += 1
                        continue
                    yield spec

            with IngestBar(console) as bar:

                def progress(p: IngestProgress) -> None:
                    state["progress"] = p
                    bar.update(p)

                return await client.data_rows.create(
                    dataset_id, specs(), chunk_size=chunk_size, concurrency=concurrency, on_progress=progress
                )

    result = run(settings, main, on_interrupt=interrupted, flags=INGEST_FLAGS)
    report(console, result, failures, state["skipped"])
    if as_json:
        summary = {
            "dataset_id": result.dataset_id,
            "read": result.read,
            "sent": result.sent,
            "accepted": result.accepted,
            "failed": len(result.failed),
            "skipped": state["skipped"],
            "task_ids": result.task_ids,
            "uploaded_files": result.uploaded_files,
            "uploaded_bytes": result.uploaded_bytes,
        }
        sys.stdout.write(json.dumps(summary) + "\n")
    if result.failed:
        raise SystemExit(int(ExitCode.ERROR))
