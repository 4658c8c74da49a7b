"""Batch, workflow and project-member documents, with the selections and variables the official SDK 7.17 sends."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADD_DATA_ROWS_TO_BATCH_ASYNC",
    "ADD_DATA_ROWS_TO_TASK_QUEUE_ASYNC",
    "BATCH_FIELDS",
    "CREATE_BATCHES_FROM_DATASET",
    "CREATE_BATCH_V2",
    "CREATE_EMPTY_BATCH",
    "CREATE_QUEUE_PRIORITY_UPDATE_TASK",
    "DELETE_BATCH",
    "DELETE_BATCH_LABELS",
    "GET_AVAILABLE_USER_ROLES",
    "GET_PROJECT_BATCH",
    "GET_PROJECT_BATCHES",
    "GET_PROJECT_TASK_QUEUES",
    "LIST_LABELING_PARAMETER_OVERRIDES",
    "PROJECT_GET_OVERVIEW",
    "PROJECT_MEMBER_OVERVIEW",
    "REMOVE_QUEUED_DATA_ROWS_FROM_BATCH",
    "SET_LABELING_PARAMETER_OVERRIDES",
    "SET_PROJECT_MEMBERSHIP",
    "UNSET_LABELING_PARAMETER_OVERRIDES",
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

# ---------------------------------------------------------------- workflow

GET_PROJECT_TASK_QUEUES: Final = """
query GetProjectTaskQueuesPyApi($projectId: ID!) {
  project(where: {id: $projectId}) { taskQueues { id name description queueType dataRowCount } }
}
"""

ADD_DATA_ROWS_TO_TASK_QUEUE_ASYNC: Final = """
mutation AddDataRowsToTaskQueueAsyncPyApi(
  $projectId: ID!, $queueId: ID, $dataRowIdentifiers: AddRowsToTaskQueueViaDataRowIdentifiersInput!
) {
  project(where: {id: $projectId}) {
    createBulkAddRowsToQueueTask(data: {queueId: $queueId, dataRowIdentifiers: $dataRowIdentifiers}) { taskId }
  }
}
"""

SET_LABELING_PARAMETER_OVERRIDES: Final = """
mutation SetLabelingParameterOverridesPyApi(
  $projectId: ID!, $data: [LabelingParameterOverrideWithDataRowIdentifierInput!]!
) {
  project(where: {id: $projectId}) { setLabelingParameterOverrides(dataWithDataRowIdentifiers: $data) { success } }
}
"""

UNSET_LABELING_PARAMETER_OVERRIDES: Final = """
mutation UnsetLabelingParameterOverridesPyApi($projectId: ID!, $data: [UnsetLabelingParameterOverrideInput!]!) {
  project(where: {id: $projectId}) { unsetLabelingParameterOverrides(data: $data) { success } }
}
"""

CREATE_QUEUE_PRIORITY_UPDATE_TASK: Final = """
mutation createQueuePriorityUpdateTaskPyApi(
  $priority: Int!, $projectId: ID!, $dataRowIdentifiers: QueuePriorityUpdateDataRowIdentifiersInput
) {
  project(where: {id: $projectId}) {
    createQueuePriorityUpdateTask(data: {priority: $priority, dataRowIdentifiers: $dataRowIdentifiers}) { taskId }
  }
}
"""

LIST_LABELING_PARAMETER_OVERRIDES: Final = """
query ListLabelingParameterOverrides($projectId: ID!, $skip: Int, $first: PageSize) {
  project(where: {id: $projectId}) {
    labelingParameterOverrides(skip: $skip, first: $first) { id priority numberOfLabels dataRow { id globalKey } }
  }
}
"""

PROJECT_GET_OVERVIEW: Final = """
query ProjectGetOverviewPyApi($projectId: ID!, $batchIds: [String!], $countInput: DataRowCountQueryInput,
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

PROJECT_MEMBER_OVERVIEW: Final = """
query ProjectMemberOverviewPyApi($projectId: ID!, $skip: Int, $first: PageSize) {
  project(where: {id: $projectId}) {
    id members(skip: $skip, first: $first) { id user { id email name } role { id name } accessFrom }
  }
}
"""

GET_AVAILABLE_USER_ROLES: Final = """
query GetAvailableUserRolesPyApi { roles { id name } }
"""

SET_PROJECT_MEMBERSHIP: Final = """
mutation SetProjectMembershipPyApi($userId: ID!, $roleId: ID!, $projectId: ID!) {
  setProjectMembership(data: {userId: $userId, roleId: $roleId, projectId: $projectId}) { id }
}
"""
