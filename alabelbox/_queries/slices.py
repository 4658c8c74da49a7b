"""Slice (saved query) documents, with the SDK's operation names and texts.

``getDataRowIdenfifiers...`` keeps the SDK's spelling of its operation names, so the server sees what it knows.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "EXPORT_DATA_ROWS_IN_SLICE",
    "GET_CATALOG_SAVED_QUERIES",
    "GET_DATA_ROW_IDENFIFIERS_BY_SAVED_MODEL_QUERY",
    "GET_DATA_ROW_IDENFIFIERS_BY_SAVED_QUERY",
    "GET_SAVED_QUERY",
    "SAVED_QUERY_FIELDS",
]

SAVED_QUERY_FIELDS: Final = "id name description filter createdAt updatedAt"

GET_SAVED_QUERY: Final = f"query getSavedQueryPyApi($id: ID!) {{ getSavedQuery(id: $id) {{ {SAVED_QUERY_FIELDS} }} }}"
GET_CATALOG_SAVED_QUERIES: Final = (
    f"query GetCatalogSavedQueriesPyApi {{ catalogSavedQueries {{ {SAVED_QUERY_FIELDS} }} }}"
)

GET_DATA_ROW_IDENFIFIERS_BY_SAVED_QUERY: Final = (
    "query getDataRowIdenfifiersBySavedQueryPyApi($id: ID!, $from: String, $first: Int!) {"
    " getDataRowIdentifiersBySavedQuery(input: { savedQueryId: $id, after: $from first: $first }) {"
    " totalCount nodes { id globalKey } pageInfo { endCursor hasNextPage } } }"
)
GET_DATA_ROW_IDENFIFIERS_BY_SAVED_MODEL_QUERY: Final = (
    "query getDataRowIdenfifiersBySavedModelQueryPyApi($id: ID!, $modelRunId: ID,"
    " $from: DataRowIdentifierCursorInput, $first: Int!) {"
    " getDataRowIdentifiersBySavedModelQuery(input: { savedQueryId: $id, modelRunId: $modelRunId,"
    " after: $from first: $first }) {"
    " totalCount nodes { id globalKey } pageInfo { endCursor { dataRowId globalKey } hasNextPage } } }"
)

EXPORT_DATA_ROWS_IN_SLICE: Final = (
    "mutation exportDataRowsInSlicePyApi($input: ExportDataRowsInSliceInput!)"
    "{exportDataRowsInSlice(input: $input){taskId isStreamable}}"
)
