"""GraphQL documents for export tasks and the legacy bulk export (docs/wire.md, "Exports" and "The legacy bulk export").

The operation names keep the SDK's ``...PyApi`` spelling so the server sees the requests it knows.
"""

from __future__ import annotations

from typing import Final

EXPORT_DATA_ROWS_IN_PROJECT: Final = (
    "mutation exportDataRowsInProjectPyApi($input: ExportDataRowsInProjectInput!)"
    "{exportDataRowsInProject(input: $input){taskId isStreamable}}"
)
EXPORT_DATA_ROWS_IN_CATALOG: Final = (
    "mutation exportDataRowsInCatalogPyApi($input: ExportDataRowsInCatalogInput!)"
    "{exportDataRowsInCatalog(input: $input){taskId isStreamable}}"
)
EXPORT_DATA_ROWS_IN_MODEL_RUN: Final = (
    "mutation exportDataRowsInModelRunPyApi($input: ExportDataRowsInModelRunInput!)"
    "{exportDataRowsInModelRun(input: $input){taskId isStreamable}}"
)
CURRENT_USER_TIMEZONE: Final = "query CurrentUserPyApi { user { timezone } }"

GET_EXPORT_METADATA_HEADER: Final = (
    "query GetExportMetadataHeaderPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!)"
    "{task(where: $where){exportMetadataHeader(streamType: $streamType){totalSize totalLines}}}"
)
GET_EXPORT_FILE_FROM_OFFSET: Final = (
    "query GetExportFileFromOffsetPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $offset: UInt64!)"
    "{task(where: $where){exportFileFromOffset(streamType: $streamType, offset: $offset)"
    "{offsets {start end} lines {start end} file}}}"
)
GET_EXPORT_FILE_FROM_LINE: Final = (
    "query GetExportFileFromLinePyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $line: UInt64!)"
    "{task(where: $where){exportFileFromLine(streamType: $streamType, line: $line)"
    "{offsets {start end} lines {start end} file}}}"
)

#: Legacy (v1) bulk export. The SDK interpolates the filters into the text; they are variables here.
GET_LABEL_EXPORT_URL: Final = (
    "mutation GetLabelExportUrlPyApi($projectId: ID!, $filters: ExportLabelsFilters)"
    "{exportLabels(data:{projectId: $projectId, filters: $filters}) {downloadUrl createdAt shouldPoll}}"
)
