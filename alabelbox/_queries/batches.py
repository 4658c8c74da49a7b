"""Batch, workflow and project-member documents, with the selections and variables the official SDK 7.17 sends."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADD_DATA_ROWS_TO_BATCH",
    "BATCH_FIELDS",
    "CREATE_BATCH",
    "CREATE_BATCHES",
    "CREATE_BATCHES_FROM_DATASET",
    "CREATE_EMPTY_BATCH",
    "DELETE_BATCH",
    "DELETE_BATCH_LABELS",
    "LIST_LABELING_PRIORITIES",
    "LIST_PROJECT_BATCHES",
    "LIST_PROJECT_MEMBERS",
    "LIST_ROLES",
    "MOVE_DATA_ROWS_TO_TASK_QUEUE",
    "PROJECT_OVERVIEW",
    "PROJECT_TASK_QUEUES",
    "REMOVE_QUEUED_DATA_ROWS",
    "RETRIEVE_BATCH",
    "SET_LABELING_PRIORITIES",
    "SET_PROJECT_MEMBERSHIP",
    "UNSET_LABELING_PRIORITIES",
    "UPDATE_LABELING_PRIORITY",
]

#: The fields of the SDK's ``Batch``.
BATCH_FIELDS: Final = "id name createdAt updatedAt size consensusSettingsJson"

CREATE_BATCH: Final = f"""
mutation CreateBatchV2($projectId: ID!, $batchInput: CreateBatchInput!) {{
  project(where: {{id: $projectId}}) {{
    createBatchV2(input: $batchInput) {{ batch {{ {BATCH_FIELDS} }} failedDataRowIds }}
  }}
}}
"""

CREATE_EMPTY_BATCH: Final = """
mutation CreateEmptyBatch($projectId: ID!, $input: CreateEmptyBatchInput!) {
  project(where: {id: $projectId}) { createEmptyBatch(input: $input) { id } }
}
"""

ADD_DATA_ROWS_TO_BATCH: Final = """
mutation AddDataRowsToBatchAsync($projectId: ID!, $input: AddDataRowsToBatchInput!) {
  project(where: {id: $projectId}) { addDataRowsToBatchAsync(input: $input) { taskId } }
}
"""

CREATE_BATCHES: Final = """
mutation CreateBatches($projectId: ID!, $input: CreateBatchesInput!) {
  project(where: {id: $projectId}) { createBatches(input: $input) { tasks { batchUuid taskId } } }
}
"""

CREATE_BATCHES_FROM_DATASET: Final = """
mutation CreateBatchesFromDataset($projectId: ID!, $input: CreateBatchesFromDatasetInput!) {
  project(where: {id: $projectId}) { createBatchesFromDataset(input: $input) { tasks { batchUuid taskId } } }
}
"""

LIST_PROJECT_BATCHES: Final = f"""
query GetProjectBatches($from: String, $first: PageSize, $projectId: ID!) {{
  project(where: {{id: $projectId}}) {{
    batches(after: $from, first: $first) {{ nodes {{ {BATCH_FIELDS} }} pageInfo {{ endCursor hasNextPage }} }}
  }}
}}
"""

RETRIEVE_BATCH: Final = f"""
query GetProjectBatch($projectId: ID!, $batchId: ID!) {{
  project(where: {{id: $projectId}}) {{ batches(where: {{id: $batchId}}) {{ nodes {{ {BATCH_FIELDS} }} }} }}
}}
"""

REMOVE_QUEUED_DATA_ROWS: Final = """
mutation RemoveQueuedDataRowsFromBatch($projectId: ID!, $batchId: ID!) {
  project(where: {id: $projectId}) { removeQueuedDataRowsFromBatch(batchId: $batchId) { id } }
}
"""

DELETE_BATCH: Final = """
mutation DeleteBatch($projectId: ID!, $batchId: ID!) {
  project(where: {id: $projectId}) { deleteBatch(batchId: $batchId) { deletedBatchId } }
}
"""

DELETE_BATCH_LABELS: Final = """
mutation DeleteBatchLabels($projectId: ID!, $batchId: ID!, $type: DeleteBatchLabelsType!) {
  project(where: {id: $projectId}) {
    deleteBatchLabels(batchId: $batchId, data: {type: $type}) { deletedLabelIds }
  }
}
"""

# ---------------------------------------------------------------- workflow

PROJECT_TASK_QUEUES: Final = """
query GetProjectTaskQueues($projectId: ID!) {
  project(where: {id: $projectId}) { taskQueues { id name description queueType dataRowCount } }
}
"""

MOVE_DATA_ROWS_TO_TASK_QUEUE: Final = """
mutation AddDataRowsToTaskQueueAsync(
  $projectId: ID!, $queueId: ID, $dataRowIdentifiers: AddRowsToTaskQueueViaDataRowIdentifiersInput!
) {
  project(where: {id: $projectId}) {
    createBulkAddRowsToQueueTask(data: {queueId: $queueId, dataRowIdentifiers: $dataRowIdentifiers}) { taskId }
  }
}
"""

SET_LABELING_PRIORITIES: Final = """
mutation SetLabelingParameterOverrides(
  $projectId: ID!, $data: [LabelingParameterOverrideWithDataRowIdentifierInput!]!
) {
  project(where: {id: $projectId}) { setLabelingParameterOverrides(dataWithDataRowIdentifiers: $data) { success } }
}
"""

UNSET_LABELING_PRIORITIES: Final = """
mutation UnsetLabelingParameterOverrides($projectId: ID!, $data: [UnsetLabelingParameterOverrideInput!]!) {
  project(where: {id: $projectId}) { unsetLabelingParameterOverrides(data: $data) { success } }
}
"""

UPDATE_LABELING_PRIORITY: Final = """
mutation CreateQueuePriorityUpdateTask(
  $priority: Int!, $projectId: ID!, $dataRowIdentifiers: QueuePriorityUpdateDataRowIdentifiersInput
) {
  project(where: {id: $projectId}) {
    createQueuePriorityUpdateTask(data: {priority: $priority, dataRowIdentifiers: $dataRowIdentifiers}) { taskId }
  }
}
"""

LIST_LABELING_PRIORITIES: Final = """
query ListLabelingParameterOverrides($projectId: ID!, $skip: Int, $first: PageSize) {
  project(where: {id: $projectId}) {
    labelingParameterOverrides(skip: $skip, first: $first) { id priority numberOfLabels dataRow { id globalKey } }
  }
}
"""

PROJECT_OVERVIEW: Final = """
query ProjectGetOverview($projectId: ID!, $batchIds: [String!], $countInput: DataRowCountQueryInput,
  $includeIssues: Boolean!) {
  project(where: {id: $projectId}) {
    workstreamStateCounts(batchIds: $batchIds) { state count }
    taskQueues { queueType name dataRowCount(input: $countInput) }
    issues @include(if: $includeIssues) { totalCount }
    completedDataRowCount
  }
}
"""

# ---------------------------------------------------------------- members

LIST_PROJECT_MEMBERS: Final = """
query ProjectMemberOverview($projectId: ID!, $skip: Int, $first: PageSize) {
  project(where: {id: $projectId}) {
    id members(skip: $skip, first: $first) { id user { id email name } role { id name } accessFrom }
  }
}
"""

LIST_ROLES: Final = """
query GetAvailableUserRoles { roles { id name } }
"""

SET_PROJECT_MEMBERSHIP: Final = """
mutation SetProjectMembership($userId: ID!, $roleId: ID!, $projectId: ID!) {
  setProjectMembership(data: {userId: $userId, roleId: $roleId, projectId: $projectId}) { id }
}
"""
