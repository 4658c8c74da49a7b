"""Annotation imports: :class:`AnnotationImport` (one import on the server), :class:`ImportJob` (what one
``client.imports.create`` started: one import, or several when it was split), their :class:`ImportKind` and
:class:`ImportState`, and the per-annotation :class:`AnnotationStatus` records of the status files.

Like :class:`~alabelbox.types.Task`, these are plain data as last seen: ``client.imports.poll(job)`` fetches a job
again and ``client.imports.wait(job)`` waits for it; ``client.imports.statuses(job)`` streams the statuses.
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = ["AnnotationError", "AnnotationImport", "AnnotationStatus", "ImportJob", "ImportKind", "ImportState"]


class ImportKind(enum.StrEnum):
    """What an import writes, named as the SDK's classes."""

    LABEL = "LabelImport"
    """Ground truth into a project: every data row's annotations become a submitted label."""
    MAL = "MALPredictionImport"
    """Model-assisted labeling: pre-labels in a project, which labelers start from."""
    MEA = "MEAPredictionImport"
    """Predictions into a model run (model error analysis)."""
    MEA_TO_MAL = "MEAToMALPredictionImport"
    """A model run's predictions on some data rows, sent to a project as pre-labels."""


class ImportState(enum.StrEnum):
    """Where an import is (the SDK's ``AnnotationImportState``). Values the API may add later read as ``UNKNOWN``."""

    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    """Done: every annotation has its status (some may have failed: see the error file)."""
    FAILED = "FAILED"
    """The import as a whole failed (for instance, a file that is not NDJSON)."""
    UNKNOWN = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> ImportState:
        return cls.UNKNOWN


def _percent(progress: str | None) -> float | None:
    if not progress:
        return None
    try:
        return float(progress.rstrip("%"))
    except ValueError:
        return None


class AnnotationImport(ApiModel):
    """One import on the server, as last seen.

    The three file URLs are signed and expire (the API keeps them 24 hours); the status and error files exist once
    the import is done.

    Example:
        >>> imp = AnnotationImport(id="i1", name="gt", state="FINISHED", progress="100%")
        >>> imp.is_done, imp.percent
        (True, 100.0)
    """

    id: str
    name: str
    state: ImportState = ImportState.RUNNING
    progress: str | None = None
    """As the API reports it, e.g. ``"100%"``."""
    input_file_url: str | None = None
    error_file_url: str | None = None
    status_file_url: str | None = None
    model_run_id: str | None = None
    """Set on a model-run (MEA) import."""

    @property
    def is_done(self) -> bool:
        """Whether the import has stopped (FINISHED, FAILED, or a state this client does not know)."""
        return self.state is not ImportState.RUNNING

    @property
    def percent(self) -> float | None:
        """:attr:`progress` as a number from 0 to 100, or None."""
        return _percent(self.progress)

    def __repr__(self) -> str:
        return f"<AnnotationImport id={self.id!r} name={self.name!r} state={self.state.value} progress={self.progress}>"


class ImportJob(ApiModel):
    """What one ``client.imports.create`` started, as last seen: one import, or several when the records were more
    than one import takes (its :attr:`parts`, in order, named ``name``, ``name#2``, ``name#3``...).

    Example:
        >>> job = ImportJob(kind="LabelImport", target_id="p1", name="gt", records=3,
        ...                 parts=[AnnotationImport(id="i1", name="gt", state="FINISHED", progress="100%")])
        >>> job.state, job.percent, job.import_ids
        (<ImportState.FINISHED: 'FINISHED'>, 100.0, ['i1'])
    """

    kind: ImportKind
    target_id: str
    """The project (label, MAL, MEA to MAL) or model run (MEA) the import writes into."""
    name: str
    parts: tuple[AnnotationImport, ...] = Field(default_factory=tuple)
    records: int | None = None
    """How many records were sent (None when the server read them from a URL, or for MEA to MAL)."""

    @property
    def state(self) -> ImportState:
        """RUNNING while any part runs; then FAILED if any part failed, else FINISHED."""
        states = {p.state for p in self.parts}
        if ImportState.RUNNING in states:
            return ImportState.RUNNING
        if ImportState.FAILED in states:
            return ImportState.FAILED
        if ImportState.UNKNOWN in states:
            return ImportState.UNKNOWN
        return ImportState.FINISHED

    @property
    def is_done(self) -> bool:
        """Whether every part has stopped."""
        return all(p.is_done for p in self.parts)

    @property
    def percent(self) -> float | None:
        """The mean progress of the parts, 0 to 100 (None if none reports any)."""
        known = [p.percent if p.percent is not None else (100.0 if p.is_done else 0.0) for p in self.parts]
        return sum(known) / len(known) if known else None

    @property
    def import_ids(self) -> list[str]:
        """The ids of the parts."""
        return [p.id for p in self.parts]


class AnnotationError(ApiModel):
    """Why one annotation failed."""

    name: str | None = None
    """The kind of error (``ValidationError``, ``DataRowNotFound``...)."""
    message: str | None = None
    additional_info: Any = None


class AnnotationStatus(ApiModel):
    """The status of one annotation of an import (one line of its status file).

    Example:
        >>> s = AnnotationStatus.model_validate({"uuid": "u1", "dataRow": {"id": "r1"}, "status": "FAILURE",
        ...     "errors": [{"name": "ValidationError", "message": "line 1: no such feature"}]})
        >>> s.succeeded, s.data_row_id, s.errors[0].message
        (False, 'r1', 'line 1: no such feature')
    """

    uuid: str | None = None
    """The annotation's ``uuid``, as sent."""
    data_row: dict[str, Any] | None = None
    """``{"id": ...}`` (or ``{"globalKey": ...}``) of the annotated data row."""
    status: str
    """``SUCCESS`` or ``FAILURE``."""
    errors: list[AnnotationError] = Field(default_factory=list)
    import_id: str | None = None
    """The import (part) the status belongs to; set by ``client.imports.statuses``."""

    @property
    def succeeded(self) -> bool:
        """Whether the annotation was imported."""
        return self.status == "SUCCESS"

    @property
    def data_row_id(self) -> str | None:
        """The data row's id, when the status names it by id."""
        return (self.data_row or {}).get("id")
