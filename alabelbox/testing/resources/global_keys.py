"""Global-key jobs as the official SDK 7.17 sends them: assign, clear, look up; and the external-id lookup.

``assignGlobalKeysToDataRows`` / ``clearGlobalKeys`` / ``dataRowsForGlobalKeys`` answer a ``jobId``; the
matching ``...Result(jobId: {id})`` query answers ``jobStatus`` and per-key results in the SDK's shapes
(``sanitizedAssignments``, ``invalidGlobalKeyAssignments``, ``unmodifiedAssignments``, ...). Jobs run when
they are created, so the first poll finds them ``COMPLETE``. A lookup answers one ``fetchedDataRows`` entry per
key, in order, with an empty id for a key nobody holds (the key is also in ``notFoundGlobalKeys``).
``externalIdsToDataRowIds(externalId_in:)`` answers ``{dataRowId, externalId}`` for every live row (seeded or
created) with one of the external ids (an external id is not unique: several rows may share one).

State: each job's result by id. Keys are written to the rows (``data_rows.write``: a created row's record, a
seeded row's overlay); an assignment of a key another row already holds is invalid.
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
type ExternalIdDataRowId { dataRowId: ID! externalId: String! }

extend type Mutation {
  assignGlobalKeysToDataRows(data: AssignGlobalKeysInput!): GlobalKeyJob!
  clearGlobalKeys(where: GlobalKeysWhereInput!): GlobalKeyJob!
}
extend type Query {
  dataRowsForGlobalKeys(where: GlobalKeysWhereInput!): GlobalKeyJob!
  assignGlobalKeysToDataRowsResult(jobId: JobIdInput!): AssignGlobalKeysResult!
  clearGlobalKeysResult(jobId: JobIdInput!): ClearGlobalKeysResult!
  dataRowsForGlobalKeysResult(jobId: JobIdInput!): DataRowsForGlobalKeysResult!
  externalIdsToDataRowIds(externalId_in: [String!]!): [ExternalIdDataRowId!]!
}
"""

MAX_KEY = 200
"""The longest global key (characters)."""
MAX_KEYS = 1000
"""The most keys one job takes (the SDK sends up to 1000 per call)."""
MAX_EXTERNAL_IDS = 1500
"""The most external ids one ``externalIdsToDataRowIds`` takes (the SDK sends 100)."""


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
            if found is None or not key or len(key) > MAX_KEY or (holder is not None and holder != rid):
                done["invalidGlobalKeyAssignments"].append({"dataRowId": rid, "globalKey": key})
                continue
            rows.write(found, {"globalKey": key})
            done["unmodifiedAssignments"].append({"dataRowId": rid, "globalKey": key})
        return done

    def clear(self, keys: list[str]) -> JSONDict:
        """Clear each key from the row that holds it; the job's per-key data."""
        if len(keys) > MAX_KEYS:
            raise bad_input(f"At most {MAX_KEYS} global keys per job, got {len(keys)}")
        rows = self.backend.data_rows
        done: JSONDict = {
            k: []
            for k in ("clearedGlobalKeys", "failedToClearGlobalKeys", "notFoundGlobalKeys", "accessDeniedGlobalKeys")
        }
        for key in keys:
            rid = rows.global_key_taken(key)
            found = rows.find_any(rid) if rid is not None else None
            if found is None:
                done["notFoundGlobalKeys"].append(key)
            else:
                rows.write(found, {"globalKey": None})
                done["clearedGlobalKeys"].append(key)
        return done

    def lookup(self, keys: list[str]) -> JSONDict:
        """The ids of the rows holding ``keys``, in order (empty for a key nobody holds); the keys nobody holds."""
        if len(keys) > MAX_KEYS:
            raise bad_input(f"At most {MAX_KEYS} global keys per job, got {len(keys)}")
        rows = self.backend.data_rows
        fetched, missing = [], []
        for key in keys:
            rid = rows.global_key_taken(key)
            fetched.append({"id": rid or ""})
            if rid is None:
                missing.append(key)
        return {"fetchedDataRows": fetched, "notFoundGlobalKeys": missing, "accessDeniedGlobalKeys": []}

    def external_ids(self, values: list[str]) -> list[JSONDict]:
        """``{dataRowId, externalId}`` of every live row whose external id is one of ``values``."""
        if len(values) > MAX_EXTERNAL_IDS:
            raise bad_input(f"At most {MAX_EXTERNAL_IDS} external ids per request, got {len(values)}")
        wanted = set(values)
        rows, w = self.backend.data_rows, self.world
        out: list[JSONDict] = []
        for value in dict.fromkeys(values):
            i = _seeded_index(value)
            if i is None or i >= w.n_rows:
                continue
            for d in range(w.n_projects):
                if w.external_id(d, i) == value and self.backend.datasets.seeded_alive(d):
                    out.append({"dataRowId": w.row_id(d, i), "externalId": value})
        for rid in rows.created.keys():
            ext = rows.created.get(rid).get("externalId")
            if ext in wanted and rows.find_any(rid) is not None:
                out.append({"dataRowId": rid, "externalId": ext})
        return out

    def root(self) -> dict[str, Resolver]:
        return {
            "externalIdsToDataRowIds": lambda info, externalId_in: self.external_ids([str(v) for v in externalId_in]),
            "assignGlobalKeysToDataRows": lambda info, data: self._job("assign", self.assign(data["assignInputs"])),
            "clearGlobalKeys": lambda info, where: self._job("clear", self.clear(where["ids"])),
            "dataRowsForGlobalKeys": lambda info, where: self._job("lookup", self.lookup(where["ids"])),
            "assignGlobalKeysToDataRowsResult": lambda info, jobId: self._result("assign", jobId),
            "clearGlobalKeysResult": lambda info, jobId: self._result("clear", jobId),
            "dataRowsForGlobalKeysResult": lambda info, jobId: self._result("lookup", jobId),
        }


def _seeded_index(external_id: str) -> int | None:
    """The row index a seeded external id spells (``asset_0000042.png``, ``画像_0000042_🐱``), or None."""
    for prefix in ("asset_", "画像_"):
        if external_id.startswith(prefix):
            digits = external_id[len(prefix) : len(prefix) + 7]
            return int(digits) if digits.isdigit() else None
    return None
