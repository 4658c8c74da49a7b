"""Global-key jobs as the official SDK 7.17 sends them: assign, clear, look up (and external-id lookup).

``assignGlobalKeysToDataRows`` / ``clearGlobalKeys`` / ``dataRowsForGlobalKeys`` answer a ``jobId``; the
matching ``...Result(jobId: {id})`` query answers ``jobStatus`` and per-key results in the SDK's shapes
(``sanitizedAssignments``, ``invalidGlobalKeyAssignments``, ``unmodifiedAssignments``, ...). Jobs run when
they are created, so the first poll finds them ``COMPLETE``.

State: each job's result by id. Keys are written to created rows (``data_rows.created``); a seeded row's key
is read-only here (an assignment to it is invalid), as is any key another row already holds.
"""

from __future__ import annotations

import secrets
from typing import Any

from .._data import JSONDict
from ._base import Resolver, Resource, bad_input, not_found

SDL = """
input AssignGlobalKeyToDataRowInput { dataRowId: ID! globalKey: String! }
input AssignGlobalKeysInput { assignInputs: [AssignGlobalKeyToDataRowInput!]! }
input GlobalKeysWhereInput { ids: [ID!]! }
input JobIdInput { id: ID! }

type GlobalKeyJob { jobId: ID! }
type GlobalKeyAssignment { dataRowId: ID! globalKey: String! }
type AssignGlobalKeysData { sanitizedAssignments: [GlobalKeyAssignment!]!
  invalidGlobalKeyAssignments: [GlobalKeyAssignment!]! unmodifiedAssignments: [GlobalKeyAssignment!]!
  accessDeniedAssignments: [GlobalKeyAssignment!]! }
type AssignGlobalKeysResult { jobStatus: String! data: AssignGlobalKeysData }
type ClearGlobalKeysData { clearedGlobalKeys: [String!]! failedToClearGlobalKeys: [String!]!
  notFoundGlobalKeys: [String!]! accessDeniedGlobalKeys: [String!]! }
type ClearGlobalKeysResult { jobStatus: String! data: ClearGlobalKeysData }
type FetchedDataRowId { id: ID! }
type DataRowsForGlobalKeysData { fetchedDataRows: [FetchedDataRowId!]! notFoundGlobalKeys: [String!]!
  accessDeniedGlobalKeys: [String!]! }
type DataRowsForGlobalKeysResult { jobStatus: String! data: DataRowsForGlobalKeysData }

extend type Mutation {
  assignGlobalKeysToDataRows(data: AssignGlobalKeysInput!): GlobalKeyJob!
  clearGlobalKeys(where: GlobalKeysWhereInput!): GlobalKeyJob!
}
extend type Query {
  dataRowsForGlobalKeys(where: GlobalKeysWhereInput!): GlobalKeyJob!
  assignGlobalKeysToDataRowsResult(jobId: JobIdInput!): AssignGlobalKeysResult!
  clearGlobalKeysResult(jobId: JobIdInput!): ClearGlobalKeysResult!
  dataRowsForGlobalKeysResult(jobId: JobIdInput!): DataRowsForGlobalKeysResult!
}
"""

MAX_KEY = 200
"""The longest global key (characters)."""
MAX_KEYS = 1000
"""The most keys one job takes (the SDK sends up to 1000 per call)."""


class GlobalKeys(Resource):
    """The global-key jobs and their results."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.jobs: dict[str, tuple[str, JSONDict]] = {}
        """``job id -> (kind, data)``."""

    def _job(self, kind: str, data: JSONDict) -> JSONDict:
        job = secrets.token_hex(12)
        self.jobs[job] = (kind, data)
        return {"jobId": job}

    def _result(self, kind: str, job: JSONDict) -> JSONDict:
        got = self.jobs.get(str(job.get("id")))
        if got is None or got[0] != kind:
            raise not_found("job", job.get("id"))
        return {"jobStatus": "COMPLETE", "data": got[1]}

    def assign(self, links: list[JSONDict]) -> JSONDict:
        """Apply the assignments in order; the job's per-assignment data."""
        if len(links) > MAX_KEYS:
            raise bad_input(f"At most {MAX_KEYS} assignments per job, got {len(links)}")
        rows = self.backend.data_rows
        done: JSONDict = {
            k: []
            for k in (
                "sanitizedAssignments",
                "invalidGlobalKeyAssignments",
                "unmodifiedAssignments",
                "accessDeniedAssignments",
            )
        }
        for link in links:
            rid, key = str(link["dataRowId"]), str(link["globalKey"])
            found = rows.find_any(rid)
            holder = rows.global_key_taken(key) if key else None
            if not isinstance(found, str) or not key or len(key) > MAX_KEY or (holder is not None and holder != rid):
                done["invalidGlobalKeyAssignments"].append({"dataRowId": rid, "globalKey": key})
                continue
            rows.update_created(rid, {"globalKey": key})
            done["unmodifiedAssignments"].append({"dataRowId": rid, "globalKey": key})
        return done

    def clear(self, keys: list[str]) -> JSONDict:
        """Clear each key from the row that holds it; the job's per-key data."""
        rows = self.backend.data_rows
        done: JSONDict = {
            k: []
            for k in ("clearedGlobalKeys", "failedToClearGlobalKeys", "notFoundGlobalKeys", "accessDeniedGlobalKeys")
        }
        for key in keys:
            rid = rows.global_key_taken(key)
            if rid is None:
                done["notFoundGlobalKeys"].append(key)
            elif not isinstance(rows.find_any(rid), str):
                done["failedToClearGlobalKeys"].append(key)  # a seeded row's key is read-only
            else:
                rows.update_created(rid, {"globalKey": None})
                done["clearedGlobalKeys"].append(key)
        return done

    def lookup(self, keys: list[str]) -> JSONDict:
        """The ids of the rows holding ``keys``, in order; the keys nobody holds."""
        rows = self.backend.data_rows
        fetched, missing = [], []
        for key in keys:
            rid = rows.global_key_taken(key)
            if rid is None:
                missing.append(key)
            else:
                fetched.append({"id": rid})
        return {"fetchedDataRows": fetched, "notFoundGlobalKeys": missing, "accessDeniedGlobalKeys": []}

    def root(self) -> dict[str, Resolver]:
        return {
            "assignGlobalKeysToDataRows": lambda info, data: self._job("assign", self.assign(data["assignInputs"])),
            "clearGlobalKeys": lambda info, where: self._job("clear", self.clear(where["ids"])),
            "dataRowsForGlobalKeys": lambda info, where: self._job("lookup", self.lookup(where["ids"])),
            "assignGlobalKeysToDataRowsResult": lambda info, jobId: self._result("assign", jobId),
            "clearGlobalKeysResult": lambda info, jobId: self._result("clear", jobId),
            "dataRowsForGlobalKeysResult": lambda info, jobId: self._result("lookup", jobId),
        }
