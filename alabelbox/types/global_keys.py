"""The results of the global-key jobs: assign keys to data rows, clear keys, look up the data rows of keys.

Every key handed in has exactly one outcome: it is in ``results`` or in ``errors`` (with its position in the
input), never in both and never missing, however many jobs the call was split into.
"""

from __future__ import annotations

import enum

from alabelbox.types._api import ApiModel

__all__ = [
    "AssignGlobalKeysResult",
    "AssignedGlobalKey",
    "ClearGlobalKeysResult",
    "GlobalKeyAssignment",
    "GlobalKeyError",
    "GlobalKeyLookup",
    "JobStatus",
]


class JobStatus(enum.StrEnum):
    """The outcome of a job over many keys, spelled as the official SDK's ``CollectionJobStatus``.

    Example:
        >>> JobStatus.of(succeeded=3, failed=1)
        <JobStatus.PARTIAL_SUCCESS: 'PARTIAL SUCCESS'>
        >>> JobStatus.of(succeeded=0, failed=0)
        <JobStatus.SUCCESS: 'SUCCESS'>
    """

    SUCCESS = "SUCCESS"
    PARTIAL_SUCCESS = "PARTIAL SUCCESS"
    FAILURE = "FAILURE"

    @classmethod
    def of(cls, *, succeeded: int, failed: int) -> JobStatus:
        """The status of a job with ``succeeded`` good and ``failed`` bad items (no failure is a success)."""
        if not failed:
            return cls.SUCCESS
        return cls.PARTIAL_SUCCESS if succeeded else cls.FAILURE


class GlobalKeyAssignment(ApiModel):
    """One global key to give to one data row (the input of :meth:`GlobalKeys.assign`).

    Example:
        >>> GlobalKeyAssignment(data_row_id="clrow", global_key="cat-001").model_dump()
        {'dataRowId': 'clrow', 'globalKey': 'cat-001'}
    """

    data_row_id: str
    global_key: str


class AssignedGlobalKey(GlobalKeyAssignment):
    """A key the server assigned; ``sanitized`` when it changed the key to fit its rules (``global_key`` is then
    the key as stored)."""

    sanitized: bool = False


class GlobalKeyError(ApiModel):
    """A key (or an assignment) that failed, with why, and where it was in the input.

    Attributes:
        index: Its position in the keys (or assignments) handed in.
        global_key: The key.
        error: Why it failed (the official SDK's message where it has one).
        data_row_id: The data row, for an assignment.
    """

    index: int
    global_key: str
    error: str
    data_row_id: str | None = None


class AssignGlobalKeysResult(ApiModel):
    """What :meth:`GlobalKeys.assign` did: the keys assigned and the assignments that failed."""

    status: JobStatus
    results: list[AssignedGlobalKey]
    errors: list[GlobalKeyError]


class ClearGlobalKeysResult(ApiModel):
    """What :meth:`GlobalKeys.clear` did: the keys cleared and the keys that could not be."""

    status: JobStatus
    results: list[str]
    errors: list[GlobalKeyError]


class GlobalKeyLookup(ApiModel):
    """The data rows of some global keys: ``results[i]`` is the id of the row holding key ``i``, or None.

    Example:
        >>> found = GlobalKeyLookup(
        ...     status=JobStatus.PARTIAL_SUCCESS,
        ...     global_keys=["a", "b"],
        ...     results=["clrow", None],
        ...     errors=[GlobalKeyError(index=1, global_key="b", error="Data Row not found")],
        ... )
        >>> found.by_key()
        {'a': 'clrow'}
    """

    status: JobStatus
    global_keys: list[str]
    """The keys looked up, in the order given."""
    results: list[str | None]
    errors: list[GlobalKeyError]

    def by_key(self) -> dict[str, str]:
        """``{global key: data row id}`` for the keys found."""
        return {k: v for k, v in zip(self.global_keys, self.results, strict=True) if v is not None}
