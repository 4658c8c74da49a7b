"""Batch documents, with the selections and variables the official SDK 7.17 sends."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADD_DATA_ROWS_TO_BATCH_ASYNC",
    "BATCH_FIELDS",
    "CREATE_BATCHES_FROM_DATASET",
    "CREATE_BATCH_V2",
    "CREATE_EMPTY_BATCH",
    "DELETE_BATCH",
    "DELETE_BATCH_LABELS",
    "GET_PROJECT_BATCH",
    "GET_PROJECT_BATCHES",
    "REMOVE_QUEUED_DATA_ROWS_FROM_BATCH",
]

#: The fields of the SDK's ``Batch``.
BATCH_FIELDS: Final = "id name createdAt updatedAt size consensusSettingsJson"

CREATE_BATCH_V2: Final = f"""
mutation createBatchV2PyApi($projectId: ID!, $batchInput: CreateBatchInput!) {{
  project(where: {{id: $projectId}}) {{
    createBatchV2(input: $batchInput) {{ batch {{ {BATCH_FIELDS} }} failedDataRowIds }}
  }}
}}
"""

CREATE_EMPTY_BATCH: Final = """
mutation createEmptyBatchPyApi($projectId: ID!, $input: CreateEmptyBatchInput!) {
  project(where: {id: $projectId}) { createEmptyBatch(input: $input) { id } }
}
"""

ADD_DATA_ROWS_TO_BATCH_ASYNC: Final = """
mutation addDataRowsToBatchAsyncPyApi($projectId: ID!, $input: AddDataRowsToBatchInput!) {
  project(where: {id: $projectId}) { addDataRowsToBatchAsync(input: $input) { taskId } }
}
"""

CREATE_BATCHES_FROM_DATASET: Final = """
mutation createBatchesFromDatasetPyApi($projectId: ID!, $input: CreateBatchesFromDatasetInput!) {
  project(where: {id: $projectId}) { createBatchesFromDataset(input: $input) { tasks { batchUuid taskId } } }
}
"""

GET_PROJECT_BATCHES: Final = f"""
query GetProjectBatchesPyApi($from: String, $first: PageSize, $projectId: ID!) {{
  project(where: {{id: $projectId}}) {{
    batches(after: $from, first: $first) {{ nodes {{ {BATCH_FIELDS} }} pageInfo {{ endCursor hasNextPage }} }}
  }}
}}
"""

GET_PROJECT_BATCH: Final = f"""
query getProjectBatchPyApi($projectId: ID!, $batchId: ID!) {{
  project(where: {{id: $projectId}}) {{ batches(where: {{id: $batchId}}) {{ nodes {{ {BATCH_FIELDS} }} }} }}
}}
"""

REMOVE_QUEUED_DATA_ROWS_FROM_BATCH: Final = """
mutation RemoveQueuedDataRowsFromBatchPyApi($projectId: ID!, $batchId: ID!) {
  project(where: {id: $projectId}) { removeQueuedDataRowsFromBatch(batchId: $batchId) { id } }
}
"""

DELETE_BATCH: Final = """
mutation DeleteBatchPyApi($projectId: ID!, $batchId: ID!) {
  project(where: {id: $projectId}) { deleteBatch(batchId: $batchId) { deletedBatchId } }
}
"""

DELETE_BATCH_LABELS: Final = """
mutation DeleteBatchLabelsPyApi($projectId: ID!, $batchId: ID!, $type: DeleteBatchLabelsType!) {
  project(where: {id: $projectId}) {
    deleteBatchLabels(batchId: $batchId, data: {type: $type}) { deletedLabelIds }
  }
}
"""
