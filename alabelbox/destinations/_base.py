"""What every destination shares: the write summary, atomic commit to ``<path>.part``, and counting by kind."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import anyio

__all__ = ["Destination", "WriteProgress", "WriteSummary", "commit_path", "part_path", "remove_quietly"]


@dataclass
class WriteProgress:
    """How far a write has come.

    Attributes:
        rows: Export rows read so far.
        annotations: Annotations written so far.
        bytes_done: Bytes of the export stream read so far (None when the source is not a stream).
        total_bytes: The stream's size (None when unknown).
    """

    rows: int = 0
    annotations: int = 0
    bytes_done: int | None = None
    total_bytes: int | None = None


@dataclass
class WriteSummary:
    """What a destination wrote.

    Attributes:
        paths: The files or folders written, final names.
        rows: Export rows read.
        written: Annotations written, by kind (``ImageBoundingBox``, ``radio``, ...).
        skipped: Annotations the format cannot hold (or that were asked to be skipped), by kind; with ``written``
            this accounts for every annotation of the input.
        skipped_rows: Rows that are not images (COCO, YOLO), or have no width and height (YOLO).
        masks_fetched: Mask images downloaded.
    """

    paths: list[Path] = field(default_factory=list)
    rows: int = 0
    written: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_rows: int = 0
    masks_fetched: int = 0

    @property
    def annotations(self) -> int:
        """Annotations written, all kinds."""
        return sum(self.written.values())


class Destination(Protocol):
    """A format being written: rows go in one by one, then it is committed (renamed into place) or discarded."""

    summary: WriteSummary

    async def add(self, row: dict[str, Any]) -> None:
        """Take one export row."""

    async def commit(self) -> WriteSummary:
        """Finish the files and rename them into place."""

    async def discard(self) -> None:
        """Remove what was written (after an error or a cancellation)."""


def part_path(path: Path) -> Path:
    """Where ``path`` is written until it is complete."""
    return path.with_name(path.name + ".part")


async def commit_path(part: Path, path: Path) -> None:
    """Move a finished ``part`` (a file or a folder) to ``path``, replacing what was there."""

    def move() -> None:
        if part.is_dir():
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        os.replace(part, path)

    await anyio.to_thread.run_sync(move)


def remove_quietly(path: Path) -> None:
    """Remove a file or folder if it is there."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
