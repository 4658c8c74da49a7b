"""Batches of a project (experimental endpoint only): ``Project.batches`` (a cursor listing) and
``Project.deleteBatchLabels``. Batch ``b`` of project ``p`` holds rows ``[b * batch_size, (b + 1) * batch_size)``.

State: none of its own (seeded only for now); label deletions live in ``labels``.
"""

from __future__ import annotations

from typing import Any

from .._data import K_BATCH, JSONDict
from ._base import Info, Resource, experimental_only, not_found

SDL = """
enum DeleteBatchLabelsType { RequeueData RequeueDataWithLabelAsTemplate }
input DeleteBatchLabelsInput { type: DeleteBatchLabelsType! }

type Batch { id: ID! name: String! size: Int createdAt: DateTime updatedAt: DateTime
  consensusSettingsJson: Json }
type BatchConnection { nodes: [Batch!]! pageInfo: PageInfo! }
type DeleteBatchLabelsResult { deletedLabelIds: [ID!]! }

extend type Project {
  batches(after: String, first: PageSize): BatchConnection!
  deleteBatchLabels(batchId: ID!, data: DeleteBatchLabelsInput!): DeleteBatchLabelsResult!
}
"""


class Batches(Resource):
    """The seeded batches of every project."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        p: int = key
        obj["batches"] = lambda info, after=None, first=None: self.connection(info, p, after, first)
        obj["deleteBatchLabels"] = lambda info, batchId, data: self.delete_labels(info, p, batchId, data)

    def connection(self, info: Info, p: int, after: str | None, first: int | None) -> JSONDict:
        """One page of ``Project.batches``, after batch id ``after``."""
        experimental_only(info, "batches", "Project")
        start = 0
        if after:
            got = self.world.find(after, K_BATCH)
            if got is None or got[0] != p:
                raise not_found("batch", after)
            start = got[1] + 1
        n = self.world.n_batches
        stop = n if first is None else min(n, start + first)
        nodes = [self.world.batch(p, b) for b in range(start, stop)]
        return {
            "nodes": nodes,
            "pageInfo": {
                "hasNextPage": stop < n,
                "endCursor": nodes[-1]["id"] if nodes and stop < n else None,
                "startCursor": nodes[0]["id"] if nodes else None,
            },
        }

    def delete_labels(self, info: Info, p: int, batch_id: str, data: JSONDict) -> JSONDict:
        """``deleteBatchLabels``: delete the batch's live labels (as templates on request)."""
        experimental_only(info, "deleteBatchLabels", "Project")
        got = self.world.find(batch_id, K_BATCH)
        if got is None or got[0] != p:
            raise not_found("batch", batch_id)
        deletions = self.backend.labels.deletions
        size = self.world.config.batch_size
        template = data.get("type") == "RequeueDataWithLabelAsTemplate"
        lo, hi = got[1] * size, min(self.world.n_rows, (got[1] + 1) * size)
        deleted = [i for i in list(deletions.alive(p, lo, hi)) if deletions.delete(p, i, template=template)]
        return {"deletedLabelIds": [self.world.label_id(p, i) for i in deleted]}
