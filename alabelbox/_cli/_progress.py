"""rich progress for the export commands: the server's percentage while the task runs, then bytes and rows.

One ``rich.progress.Progress`` (rich allows one live display at a time) with three tasks; a small column renders
each task in its own unit.
"""

from __future__ import annotations

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from alabelbox.destinations import WriteProgress
from alabelbox.types import DownloadProgress, ExportTask


class _AmountColumn(ProgressColumn):
    """``42%`` for the server task, ``12.3/45.6 MB 80.1 MB/s`` for bytes, ``1,234/5,000 rows 900/s`` for rows."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit")
        speed = task.finished_speed or task.speed
        if unit == "bytes":
            rate = f" {decimal(int(speed))}/s" if speed else ""
            return Text(f"{decimal(int(task.completed))}/{decimal(int(task.total or 0))}{rate}")
        if unit == "rows":
            rate = f" {speed:,.0f}/s" if speed else ""
            total = "" if task.total is None else f"/{int(task.total):,}"
            return Text(f"{int(task.completed):,}{total} rows{rate}")
        return Text(f"{task.percentage:.0f}%")


class ExportProgress:
    """What the CLI shows during an export. Use as a context manager so the display always stops."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description:<22}"),
            BarColumn(),
            _AmountColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._server: TaskID | None = None
        self._bytes: TaskID | None = None
        self._rows: TaskID | None = None

    def __enter__(self) -> ExportProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def waiting(self, task: ExportTask) -> None:
        """After each poll: the server's completion percentage."""
        if self._server is None:
            self._server = self._progress.add_task("export task (server)", total=100, unit="percent")
        self._progress.update(self._server, completed=task.completion_percentage or 0)

    def done_waiting(self) -> None:
        """The task is complete."""
        if self._server is None:
            self._server = self._progress.add_task("export task (server)", total=100, unit="percent")
        self._progress.update(self._server, completed=100)

    def downloading(self, progress: DownloadProgress) -> None:
        """As bytes arrive: bytes and rows against the metadata header's totals."""
        if self._bytes is None or self._rows is None:
            self._bytes = self._progress.add_task("downloading", total=progress.total_bytes, unit="bytes")
            self._rows = self._progress.add_task("rows", total=progress.total_lines, unit="rows")
        self._progress.update(self._bytes, completed=progress.bytes_done)
        self._progress.update(self._rows, completed=progress.lines_done)

    def writing(self, progress: WriteProgress) -> None:
        """Parquet, COCO, YOLO: bytes of the stream read, and rows written."""
        if self._bytes is None or self._rows is None:
            self._bytes = self._progress.add_task("reading", total=progress.total_bytes or None, unit="bytes")
            self._rows = self._progress.add_task("rows written", total=None, unit="rows")
        self._progress.update(self._bytes, completed=progress.bytes_done or 0)
        self._progress.update(self._rows, completed=progress.rows)
