"""Global-key jobs (assign, clear, look up) and the external-id lookup, as the official SDK 7.17 sends them."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ASSIGN_GLOBAL_KEYS",
    "ASSIGN_GLOBAL_KEYS_RESULT",
    "CLEAR_GLOBAL_KEYS",
    "CLEAR_GLOBAL_KEYS_RESULT",
    "DATA_ROWS_FOR_GLOBAL_KEYS",
    "DATA_ROWS_FOR_GLOBAL_KEYS_RESULT",
    "EXTERNAL_IDS_TO_DATA_ROW_IDS",
]

ASSIGN_GLOBAL_KEYS: Final = """
mutation AssignGlobalKeys($links: [AssignGlobalKeyToDataRowInput!]!) {
  assignGlobalKeysToDataRows(data: {assignInputs: $links}) { jobId }
}
"""

_ASSIGNMENT = "{ dataRowId globalKey }"

ASSIGN_GLOBAL_KEYS_RESULT: Final = f"""
query AssignGlobalKeysResult($jobId: ID!) {{
  assignGlobalKeysToDataRowsResult(jobId: {{id: $jobId}}) {{
    jobStatus
    data {{
      sanitizedAssignments {_ASSIGNMENT}
      invalidGlobalKeyAssignments {_ASSIGNMENT}
      unmodifiedAssignments {_ASSIGNMENT}
      accessDeniedAssignments {_ASSIGNMENT}
    }}
  }}
}}
"""

CLEAR_GLOBAL_KEYS: Final = """
mutation ClearGlobalKeys($keys: [ID!]!) {
  clearGlobalKeys(where: {ids: $keys}) { jobId }
}
"""

CLEAR_GLOBAL_KEYS_RESULT: Final = """
query ClearGlobalKeysResult($jobId: ID!) {
  clearGlobalKeysResult(jobId: {id: $jobId}) {
    jobStatus
    data { clearedGlobalKeys failedToClearGlobalKeys notFoundGlobalKeys accessDeniedGlobalKeys }
  }
}
"""

DATA_ROWS_FOR_GLOBAL_KEYS: Final = """
query DataRowsForGlobalKeys($keys: [ID!]!) {
  dataRowsForGlobalKeys(where: {ids: $keys}) { jobId }
}
"""

DATA_ROWS_FOR_GLOBAL_KEYS_RESULT: Final = """
query DataRowsForGlobalKeysResult($jobId: ID!) {
  dataRowsForGlobalKeysResult(jobId: {id: $jobId}) {
    jobStatus
    data { fetchedDataRows { id } notFoundGlobalKeys accessDeniedGlobalKeys }
  }
}
"""

EXTERNAL_IDS_TO_DATA_ROW_IDS: Final = """
query ExternalIdsToDataRowIds($externalIds: [String!]!) {
  externalIdsToDataRowIds(externalId_in: $externalIds) { dataRowId externalId }
}
"""
