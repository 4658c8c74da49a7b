"""Workflow documents (task queues, queue moves, priorities, the overview), as the official SDK 7.17 sends them."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADD_DATA_ROWS_TO_TASK_QUEUE_ASYNC",
    "CREATE_QUEUE_PRIORITY_UPDATE_TASK",
    "EXTEND_RESERVATIONS",
    "EXTEND_RESERVATIONS_BY_QUEUE",
    "GET_PROJECT_TASK_QUEUES",
    "LIST_LABELING_PARAMETER_OVERRIDES",
    "PROJECT_GET_OVERVIEW",
    "SET_LABELING_PARAMETER_OVERRIDES",
    "TOGGLE_MODEL_ASSISTED_LABELING",
    "UNSET_LABELING_PARAMETER_OVERRIDES",
]

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

EXTEND_RESERVATIONS: Final = """
mutation ExtendReservationsPyApi($projectId: ID!) { extendReservations(projectId: $projectId queueType: LabelingQueue) }
"""

# The queue type is an enum literal in the document (as the SDK writes it), so there is one document per queue.
EXTEND_RESERVATIONS_BY_QUEUE: Final = {
    "LabelingQueue": EXTEND_RESERVATIONS,
    "ReviewQueue": EXTEND_RESERVATIONS.replace("queueType: LabelingQueue", "queueType: ReviewQueue"),
}

TOGGLE_MODEL_ASSISTED_LABELING: Final = """
mutation ToggleModelAssistedLabelingPyApi($project_id: ID!, $show: Boolean!) {
  project(where: {id: $project_id}) { showPredictionsToLabelers(show: $show) { id showingPredictionsToLabelers } }
}
"""
