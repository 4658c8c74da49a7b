"""The files of a CLI export, checked before anything is sent: the output, its ``.part`` and its ``.task`` sidecar.

The sidecar records what the export is (its kind and id, filters, params, format) beside the task id, so that
``--resume`` continues the same export or refuses, naming what differs; a ``.part`` is never spliced with the bytes
of another task.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alabelbox._cli._app import CliError

SIDECAR_VERSION = 1


def check_writable(output: Path, flag: str = "-o/--output") -> None:
    """Fail (one line, exit 2) unless ``output`` can be created: its directory exists, is a directory, is writable."""
    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise CliError(f"{flag} {output} is a directory; give a file name, such as {output / 'export.ndjson'}")
    if not parent.exists():
        ancestor = next((p for p in parent.parents if p.exists()), Path("."))
        if ancestor.is_dir():
            raise CliError(f"{flag} {output}: the directory {parent} does not exist; create it (mkdir -p {parent})")
        raise CliError(f"{flag} {output}: {ancestor} is a file, not a directory")
    if not parent.is_dir():
        raise CliError(f"{flag} {output}: {parent} is a file, not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CliError(f"{flag} {output}: the directory {parent} is not writable")
    if output.exists() and not os.access(output, os.W_OK):
        raise CliError(f"{flag} {output} exists and is not writable")


@dataclass(frozen=True)
class ExportFiles:
    """``output``, ``output.part`` (the download so far) and ``output.task`` (what the export is)."""

    output: Path

    @property
    def part(self) -> Path:
        """The unfinished download."""
        return self.output.with_name(self.output.name + ".part")

    @property
    def task(self) -> Path:
        """The sidecar: the export's description and task id."""
        return self.output.with_name(self.output.name + ".task")

    def delete_hint(self) -> str:
        """``delete x.part and x.task``, for the files that exist."""
        names = [str(p) for p in (self.part, self.task) if p.exists()]
        return "delete " + " and ".join(names) if names else "nothing to delete"

    def read_sidecar(self) -> dict[str, Any] | None:
        """The recorded description (with ``task_id``), or None when there is no usable sidecar."""
        try:
            recorded = json.loads(self.task.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}
        return recorded if isinstance(recorded, dict) and recorded.get("version") == SIDECAR_VERSION else {}

    def write_sidecar(self, description: dict[str, Any], task_id: str) -> None:
        """Record ``description`` and ``task_id`` (atomically: a crash leaves the old sidecar or the new one)."""
        temporary = self.task.with_name(self.task.name + ".tmp")
        text = json.dumps({"version": SIDECAR_VERSION, **description, "task_id": task_id}, ensure_ascii=False)
        temporary.write_text(text + "\n", encoding="utf-8")
        temporary.replace(self.task)

    def clear(self) -> None:
        """Forget an unfinished download (``--overwrite``)."""
        self.part.unlink(missing_ok=True)
        self.task.unlink(missing_ok=True)


def plan(files: ExportFiles, description: dict[str, Any], *, resume: bool, overwrite: bool) -> str | None:
    """The task id to resume, or None to create a task; refuse (exit 2) what would mix two exports.

    Raises:
        CliError: An unfinished download exists and neither ``--resume`` nor ``--overwrite`` was given; or
            ``--resume`` was given and the unfinished download is of another export (naming what differs).
    """
    if resume and overwrite:
        raise CliError("--resume and --overwrite contradict each other; give one")
    if overwrite:
        files.clear()
        return None
    recorded = files.read_sidecar()
    unfinished = files.part.exists() or recorded is not None
    if not resume:
        if unfinished:
            raise CliError(
                f"{files.part if files.part.exists() else files.task} is an unfinished download: add --resume to "
                f"continue it, --overwrite to start over, or {files.delete_hint()}"
            )
        return None
    if recorded is None:
        if files.part.exists():
            raise CliError(
                f"cannot resume: {files.part} has no {files.task.name} saying which export it is; add --overwrite "
                f"to start over, or {files.delete_hint()}"
            )
        return None  # nothing to resume: start
    task_id = recorded.get("task_id")
    if not recorded or not isinstance(task_id, str):
        raise CliError(f"cannot resume: {files.task} is not a sidecar this version wrote; add --overwrite or "
                       f"{files.delete_hint()}")  # fmt: skip
    differences = [
        f"{key} (was {_show(recorded.get(key))}, now {_show(value)})"
        for key, value in description.items()
        if recorded.get(key) != value
    ]
    if differences:
        raise CliError(
            f"cannot resume: {files.part if files.part.exists() else files.output} is another export; it differs in "
            + "; ".join(differences)
            + f". Run the earlier command again with --resume, add --overwrite to start over, or {files.delete_hint()}"
        )
    return task_id


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
