"""The training and analysis formats of ``alabelbox export`` (Parquet, COCO, YOLO): flags, extras, summary.

Every check here runs before a client exists: a flag that does not fit the format, or an optional extra that is not
installed, is one line and exit 2 with nothing sent. Unlike NDJSON, these formats cannot continue mid-stream (a
Parquet footer, a COCO image index, a YOLO class list are written at the end), so ``--resume`` reuses the finished
task and reads it again from the start.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from alabelbox._cli._app import CliError
from alabelbox.destinations import WriteSummary

#: Every ``--format`` the export command writes.
ALL_FORMATS = ("ndjson", "json", "parquet", "coco", "yolo")
#: The formats written by :mod:`alabelbox.destinations` (no mid-stream resume).
DESTINATION_FORMATS = ("parquet", "coco", "yolo")


@dataclass(frozen=True)
class FormatOptions:
    """The format and its flags, checked."""

    fmt: str
    masks: str = "fetch"
    yolo_task: str = "detect"
    classes: tuple[str, ...] | None = None

    @property
    def streamed(self) -> bool:
        """NDJSON and JSON: written as bytes arrive, resumable mid-stream."""
        return self.fmt not in DESTINATION_FORMATS


def choose(
    output: Path, fmt: str | None, masks: str | None, yolo_task: str | None, classes: Sequence[str]
) -> FormatOptions:
    """The format (``--format``, else ``.parquet``/``.pq`` from the suffix, else NDJSON) and its checked flags.

    Raises:
        CliError: A flag given for a format it does not apply to, or a missing optional extra (naming the
            ``pip install`` to run).
    """
    if fmt is None:
        fmt = "parquet" if output.suffix.lower() in (".parquet", ".pq") else "ndjson"
    if masks is not None and fmt != "coco":
        raise CliError(f"--masks applies to --format coco only, not {fmt}")
    if yolo_task is not None and fmt != "yolo":
        raise CliError(f"--yolo-task applies to --format yolo only, not {fmt}")
    if classes and fmt not in ("coco", "yolo"):
        raise CliError(f"--classes applies to --format coco and yolo only, not {fmt}")
    names = tuple(name.strip() for value in classes for name in value.split(",") if name.strip())
    if classes and not names:
        raise CliError("--classes is empty: give class names, such as --classes car,person")
    options = FormatOptions(fmt, masks or "fetch", yolo_task or "detect", names or None)
    _require_extras(options)
    return options


def _require_extras(options: FormatOptions) -> None:
    needed: tuple[str, ...]
    if options.fmt == "parquet":
        needed, what, extra = ("pyarrow", "pyarrow.parquet"), "--format parquet", "parquet"
    elif options.fmt == "coco" and options.masks == "fetch":
        needed, what, extra = ("numpy", "PIL.Image", "pycocotools.mask"), "--format coco with --masks fetch", "coco"
    else:
        return
    for module in needed:
        try:
            importlib.import_module(module)
        except ImportError:
            hint = " (or give --masks skip)" if extra == "coco" else ""
            raise CliError(
                f"{what} needs {module.split('.')[0]}, which is not installed: pip install 'alabelbox[{extra}]'{hint}"
            ) from None


def summary(console: Console, result: WriteSummary, seconds: float) -> None:
    """One line of what was written, then the annotations skipped by kind (if any)."""
    seconds = max(seconds, 1e-6)
    paths = ", ".join(str(p) for p in result.paths)
    console.print(
        f"wrote: {result.rows:,} rows, {result.annotations:,} annotations in {seconds:.1f} s "
        f"({result.rows / seconds:,.0f} rows/s) -> {paths}",
        markup=False,
    )
    if result.masks_fetched:
        console.print(f"masks fetched: {result.masks_fetched:,}", markup=False)
    if result.skipped:
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(result.skipped.items()))
        console.print(f"skipped (the format cannot hold them, or asked): {kinds}", markup=False)
    if result.skipped_rows:
        console.print(f"rows skipped (not images, or no width and height): {result.skipped_rows:,}", markup=False)
