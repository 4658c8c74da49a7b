"""``client.global_keys``: assign global keys to data rows, clear them, find the data rows of keys or external ids.

Assign, clear and look up are server-side jobs: each call is split into jobs of at most 1,000 keys (the API's
limit), a few in flight at a time, each polled until it is done. Every key handed in comes back exactly once, in
``results`` or in ``errors`` (with its index), whatever happened to its job: a job that failed, timed out or could
not be sent reports each of its keys as an error with the reason, and the other jobs' outcomes are kept. Only
errors that would fail every job the same way (a wrong key, a query the server rejects) are raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from alabelbox._batching import chunks, run_bounded
from alabelbox._exceptions import (
    ApiConnectionError,
    ApiStatusError,
    AuthenticationError,
    AuthorizationError,
    InvalidArgumentError,
    InvalidQueryError,
    LabelboxError,
    WaitTimeoutError,
)
from alabelbox._polling import poll_until
from alabelbox._queries.global_keys import (
    ASSIGN_GLOBAL_KEYS,
    ASSIGN_GLOBAL_KEYS_RESULT,
    CLEAR_GLOBAL_KEYS,
    CLEAR_GLOBAL_KEYS_RESULT,
    DATA_ROWS_FOR_GLOBAL_KEYS,
    DATA_ROWS_FOR_GLOBAL_KEYS_RESULT,
    EXTERNAL_IDS_TO_DATA_ROW_IDS,
)
from alabelbox._validation import check_positive_int, check_positive_seconds
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.global_keys import (
    AssignedGlobalKey,
    AssignGlobalKeysResult,
    ClearGlobalKeysResult,
    GlobalKeyAssignment,
    GlobalKeyError,
    GlobalKeyLookup,
    JobStatus,
)

R = TypeVar("R")

__all__ = ["MAX_GLOBAL_KEY_LENGTH", "MAX_KEYS_PER_JOB", "GlobalKeys"]

MAX_KEYS_PER_JOB = 1000
"""The most keys one global-key job takes."""
MAX_EXTERNAL_IDS_PER_REQUEST = 100
"""External ids per ``externalIdsToDataRowIds`` request (the official SDK's batch)."""
MAX_GLOBAL_KEY_LENGTH = 200
"""The longest global key (characters)."""

_INVALID = "Invalid assignment. Either DataRow does not exist, or globalKey is invalid"
_DENIED = "Access denied to Data Row"
_NOT_FOUND = "Data Row not found"
# Errors that every job would meet alike: raised, not reported per key.
_FATAL = (AuthenticationError, AuthorizationError, InvalidQueryError)

AssignmentLike = GlobalKeyAssignment | Mapping[str, str] | tuple[str, str]
"""An assignment: a :class:`GlobalKeyAssignment`, ``{"data_row_id": ..., "global_key": ...}`` or
``(data_row_id, global_key)``."""


class GlobalKeys(Resource):
    """Global keys: assign, clear, look up (jobs with per-key results), and the external-id lookup."""

    async def assign(
        self,
        assignments: Iterable[AssignmentLike],
        *,
        max_concurrency: int = 4,
        wait_timeout: float = 60.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> AssignGlobalKeysResult:
        """Give each data row its global key (the SDK's ``assign_global_keys_to_data_rows``).

        Jobs run side by side, so an assignment that depends on another (a key one row gives up and another takes)
        is only ordered after it within the same 1,000; pass ``max_concurrency=1`` to apply every job in turn.

        Args:
            assignments: ``(data_row_id, global_key)`` pairs, dicts with those keys, or
                :class:`GlobalKeyAssignment` objects. All are checked before anything is sent.
            max_concurrency: Jobs in flight at once (each takes up to 1,000 assignments).
            wait_timeout: Seconds to wait for each job.
            timeout: Limits for each request.

        Returns:
            The keys assigned (``sanitized`` where the server changed one) and the assignments that failed, each
            with its index in ``assignments``.

        Raises:
            InvalidArgumentError: An assignment lacks a data row id or a key, or its key is longer than 200
                characters (the message names its index and field).

        Example:
            >>> done = await client.global_keys.assign([(row_id, "cat-001")])
            >>> done.status, [a.global_key for a in done.results]
            (<JobStatus.SUCCESS: 'SUCCESS'>, ['cat-001'])
        """
        links = [_assignment(n, a) for n, a in enumerate(assignments)]
        limit, wait = _limits(max_concurrency, wait_timeout)

        async def job(
            offset: int, part: Sequence[GlobalKeyAssignment]
        ) -> tuple[list[AssignedGlobalKey], list[GlobalKeyError]]:
            try:
                data = await self._job(
                    ASSIGN_GLOBAL_KEYS,
                    {"links": [link.model_dump() for link in part]},
                    ASSIGN_GLOBAL_KEYS_RESULT,
                    wait,
                    timeout,
                    idempotent=True,  # giving a row the key it already has changes nothing
                )
            except _Reported as e:
                return [], [_error(offset + k, a.global_key, e.reason, a.data_row_id) for k, a in enumerate(part)]
            return _assign_outcome(offset, part, data)

        parts = await run_bounded([partial(job, o, p) for o, p in chunks(links, MAX_KEYS_PER_JOB)], limit)
        status, results, errors = _gathered(parts)
        return AssignGlobalKeysResult(status=status, results=results, errors=errors)

    async def clear(
        self,
        global_keys: Iterable[str],
        *,
        max_concurrency: int = 4,
        wait_timeout: float = 60.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> ClearGlobalKeysResult:
        """Take global keys off the data rows that hold them (the SDK's ``clear_global_keys``).

        A clear is not retried after it may have run: a second run would report the keys it cleared as not found.

        Args:
            global_keys: The keys (each checked before anything is sent).
            max_concurrency: Jobs in flight at once (each takes up to 1,000 keys).
            wait_timeout: Seconds to wait for each job.
            timeout: Limits for each request.

        Returns:
            The keys cleared, and the keys that were not (not found, read-only, denied), each with its index.

        Example:
            >>> done = await client.global_keys.clear([global_key, "no-such-key"])
            >>> done.results, [(e.index, e.error) for e in done.errors]
            (['cat-gk'], [(1, 'Failed to find data row matching provided global key')])
        """
        keys = _keys(global_keys)
        limit, wait = _limits(max_concurrency, wait_timeout)

        async def job(offset: int, part: Sequence[str]) -> tuple[list[str], list[GlobalKeyError]]:
            try:
                data = await self._job(CLEAR_GLOBAL_KEYS, {"keys": list(part)}, CLEAR_GLOBAL_KEYS_RESULT, wait, timeout)
            except _Reported as e:
                return [], [_error(offset + k, key, e.reason) for k, key in enumerate(part)]
            return _clear_outcome(offset, part, data)

        parts = await run_bounded([partial(job, o, p) for o, p in chunks(keys, MAX_KEYS_PER_JOB)], limit)
        status, cleared, errors = _gathered(parts)
        return ClearGlobalKeysResult(status=status, results=cleared, errors=errors)

    async def lookup(
        self,
        global_keys: Iterable[str],
        *,
        max_concurrency: int = 4,
        wait_timeout: float = 60.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> GlobalKeyLookup:
        """The data row ids of global keys, across the organization (the SDK's ``get_data_row_ids_for_global_keys``).

        Args:
            global_keys: The keys (each checked before anything is sent).
            max_concurrency: Jobs in flight at once (each takes up to 1,000 keys).
            wait_timeout: Seconds to wait for each job.
            timeout: Limits for each request.

        Returns:
            ``results[i]``, the id of the row holding key ``i`` (None when no row does, and the key is in
            ``errors``); :meth:`GlobalKeyLookup.by_key` gives a dict.

        Example:
            >>> found = await client.global_keys.lookup([global_key, "no-such-key"])
            >>> found.results == [row_id, None], found.errors[0].error
            (True, 'Data Row not found')
        """
        keys = _keys(global_keys)
        limit, wait = _limits(max_concurrency, wait_timeout)

        async def job(offset: int, part: Sequence[str]) -> tuple[list[str | None], list[GlobalKeyError]]:
            try:
                data = await self._job(
                    DATA_ROWS_FOR_GLOBAL_KEYS, {"keys": list(part)}, DATA_ROWS_FOR_GLOBAL_KEYS_RESULT, wait, timeout
                )
            except _Reported as e:
                return [None] * len(part), [_error(offset + k, key, e.reason) for k, key in enumerate(part)]
            return _lookup_outcome(offset, part, data)

        parts = await run_bounded([partial(job, o, p) for o, p in chunks(keys, MAX_KEYS_PER_JOB)], limit)
        results = [r for ids, _ in parts for r in ids]
        errors = [e for _, bad in parts for e in bad]
        found = sum(r is not None for r in results)
        status = JobStatus.of(succeeded=found, failed=len(errors))
        return GlobalKeyLookup(status=status, global_keys=keys, results=results, errors=errors)

    async def lookup_external_ids(
        self,
        external_ids: Iterable[str],
        *,
        max_concurrency: int = 4,
        timeout: TimeoutArg = DEFAULT,
    ) -> dict[str, list[str]]:
        """The data row ids of external ids, across the organization (the SDK's
        ``get_data_row_ids_for_external_ids``).

        An external id is not unique, so each maps to a list; an id no row has maps to ``[]`` (every id asked for
        is a key of the answer, in the order given).

        Args:
            external_ids: The external ids (sent 100 per request, ``max_concurrency`` requests at a time).
            max_concurrency: Requests in flight at once.
            timeout: Limits for each request.

        Example:
            >>> found = await client.global_keys.lookup_external_ids([external_id, "no-such-id"])
            >>> found == {external_id: [row_id], "no-such-id": []}
            True
        """
        ids = list(dict.fromkeys(_keys(external_ids, argument="external_ids")))  # each asked once
        limit = check_positive_int("max_concurrency", max_concurrency)

        async def request(part: Sequence[str]) -> Any:
            variables = {"externalIds": list(part)}
            return await self._mutate(EXTERNAL_IDS_TO_DATA_ROW_IDS, variables, timeout=timeout, idempotent=True)

        pages = await run_bounded([partial(request, p) for _, p in chunks(ids, MAX_EXTERNAL_IDS_PER_REQUEST)], limit)
        out: dict[str, list[str]] = {i: [] for i in ids}
        for page in pages:
            for row in page:
                if row.get("externalId") in out and row.get("dataRowId"):
                    out[row["externalId"]].append(row["dataRowId"])
        return out

    # ------------------------------------------------------------ plumbing

    async def _job(
        self,
        start: str,
        variables: dict[str, Any],
        result: str,
        wait_timeout: float,
        timeout: TimeoutArg,
        *,
        idempotent: bool = False,
    ) -> dict[str, Any]:
        """Start a job and poll it until it is done; its ``data``. Errors to report per key raise _Reported."""
        try:
            started = await self._mutate(start, variables, timeout=timeout, idempotent=idempotent)
            job_id = started.get("jobId") if isinstance(started, dict) else None
            if not isinstance(job_id, str) or not job_id:
                raise _Reported("the server answered no job id")

            async def fetch() -> dict[str, Any]:
                answer: dict[str, Any] = await self._mutate(result, {"jobId": job_id}, timeout=timeout, idempotent=True)
                return answer

            final = await poll_until(
                fetch,
                lambda r: r.get("jobStatus") in ("COMPLETE", "FAILED"),
                wait_timeout=wait_timeout,
                on_timeout=lambda last, s: WaitTimeoutError(f"job {job_id} was still running after {s} s"),
            )
        except _FATAL:
            raise
        except (ApiStatusError, ApiConnectionError, WaitTimeoutError) as e:
            raise _Reported(f"the job did not complete: {e}") from e
        if final.get("jobStatus") == "FAILED":
            raise _Reported(f"job {job_id} failed")
        data = final.get("data")
        if not isinstance(data, dict):
            raise _Reported(f"job {job_id} completed without data")
        return data


class _Reported(LabelboxError):
    """A job's failure, reported as an error of each of its keys."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _gathered(parts: Sequence[tuple[list[R], list[GlobalKeyError]]]) -> tuple[JobStatus, list[R], list[GlobalKeyError]]:
    """The jobs' outcomes in one: the results in job order, the errors by input index, and the status they make."""
    results = [r for ok, _ in parts for r in ok]
    errors = sorted((e for _, bad in parts for e in bad), key=lambda e: e.index)
    return JobStatus.of(succeeded=len(results), failed=len(errors)), results, errors


def _limits(max_concurrency: int, wait_timeout: float) -> tuple[int, float]:
    return check_positive_int("max_concurrency", max_concurrency), check_positive_seconds("wait_timeout", wait_timeout)


def _error(index: int, key: str, reason: str, data_row_id: str | None = None) -> GlobalKeyError:
    return GlobalKeyError(index=index, global_key=key, error=reason, data_row_id=data_row_id)


def _keys(values: Iterable[str], *, argument: str = "global_keys") -> list[str]:
    if isinstance(values, str):
        raise InvalidArgumentError(argument, f"must be a list of strings, not the string {values!r}; wrap it: [key]")
    out = list(values)
    for n, v in enumerate(out):
        if not isinstance(v, str) or not v:
            raise InvalidArgumentError(f"{argument}[{n}]", f"must be a non-empty string, not {v!r}")
    return out


def _assignment(n: int, value: object) -> GlobalKeyAssignment:
    """Assignment ``n`` of the input, checked."""
    if isinstance(value, GlobalKeyAssignment):
        row, key = value.data_row_id, value.global_key
    elif isinstance(value, tuple) and len(value) == 2:
        row, key = value
    elif isinstance(value, Mapping):
        row, key = value.get("data_row_id", value.get("dataRowId")), value.get("global_key", value.get("globalKey"))
    else:
        raise InvalidArgumentError(
            f"assignments[{n}]", f"must be a (data_row_id, global_key) pair or a dict with both, not {value!r}"
        )
    if not isinstance(row, str) or not row:
        raise InvalidArgumentError(f"assignments[{n}].data_row_id", f"must be a non-empty id string, not {row!r}")
    if not isinstance(key, str) or not key:
        raise InvalidArgumentError(f"assignments[{n}].global_key", f"must be a non-empty string, not {key!r}")
    if len(key) > MAX_GLOBAL_KEY_LENGTH:
        raise InvalidArgumentError(
            f"assignments[{n}].global_key", f"is {len(key)} characters, more than the {MAX_GLOBAL_KEY_LENGTH} allowed"
        )
    return GlobalKeyAssignment(data_row_id=row, global_key=key)


def _assign_outcome(
    offset: int, part: Sequence[GlobalKeyAssignment], data: dict[str, Any]
) -> tuple[list[AssignedGlobalKey], list[GlobalKeyError]]:
    """One outcome per assignment of ``part``, matched by data row id (a sanitized key differs from the input)."""
    pending: dict[str, list[int]] = {}
    for k, a in enumerate(part):
        pending.setdefault(a.data_row_id, []).append(k)
    outcome: dict[int, AssignedGlobalKey | GlobalKeyError] = {}

    def take(entry: Any) -> int | None:
        rows = pending.get(str(entry.get("dataRowId"))) if isinstance(entry, dict) else None
        if not rows:
            return None
        exact = [k for k in rows if part[k].global_key == entry.get("globalKey")]
        k = (exact or rows)[0]
        rows.remove(k)
        return k

    for member, sanitized in (("sanitizedAssignments", True), ("unmodifiedAssignments", False)):
        for entry in data.get(member) or []:
            hit = take(entry)
            if hit is not None:
                outcome[hit] = AssignedGlobalKey(
                    data_row_id=part[hit].data_row_id, global_key=str(entry.get("globalKey")), sanitized=sanitized
                )
    for member, reason in (("invalidGlobalKeyAssignments", _INVALID), ("accessDeniedAssignments", _DENIED)):
        for entry in data.get(member) or []:
            hit = take(entry)
            if hit is not None:
                outcome[hit] = _error(offset + hit, part[hit].global_key, reason, part[hit].data_row_id)
    results: list[AssignedGlobalKey] = []
    errors: list[GlobalKeyError] = []
    for k, a in enumerate(part):
        got = outcome.get(k) or _error(
            offset + k, a.global_key, "the job did not report this assignment", a.data_row_id
        )
        if isinstance(got, GlobalKeyError):
            errors.append(got)
        else:
            results.append(got)
    return results, errors


def _clear_outcome(offset: int, part: Sequence[str], data: dict[str, Any]) -> tuple[list[str], list[GlobalKeyError]]:
    reasons = {
        "failedToClearGlobalKeys": "Clearing global key failed",
        "notFoundGlobalKeys": "Failed to find data row matching provided global key",
        "accessDeniedGlobalKeys": "Denied access to modify data row matching provided global key",
    }
    why: dict[str, str] = {}
    for member, reason in reasons.items():
        for key in data.get(member) or []:
            why.setdefault(str(key), reason)
    cleared = {str(k) for k in data.get("clearedGlobalKeys") or []}
    results: list[str] = []
    errors: list[GlobalKeyError] = []
    for k, key in enumerate(part):
        if key in cleared and key not in why:
            results.append(key)
        else:
            errors.append(_error(offset + k, key, why.get(key, "the job did not report this key")))
    return results, errors


def _lookup_outcome(
    offset: int, part: Sequence[str], data: dict[str, Any]
) -> tuple[list[str | None], list[GlobalKeyError]]:
    """``fetchedDataRows`` answers one entry per key, an empty id for a key not found; an answer without those
    entries gives the found rows in the order of the keys found."""
    missing = {str(k): _NOT_FOUND for k in data.get("notFoundGlobalKeys") or []}
    missing.update((str(k), _DENIED) for k in data.get("accessDeniedGlobalKeys") or [])
    fetched = [r.get("id") if isinstance(r, dict) else None for r in data.get("fetchedDataRows") or []]
    if len(fetched) != len(part):  # only the rows found: give them, in order, to the keys not reported missing
        found = iter(fetched)
        fetched = [None if key in missing else next(found, None) for key in part]
    results: list[str | None] = []
    errors: list[GlobalKeyError] = []
    for k, key in enumerate(part):
        rid = fetched[k] or None
        results.append(rid)
        if rid is None:
            errors.append(_error(offset + k, key, missing.get(key, _NOT_FOUND)))
    return results, errors
