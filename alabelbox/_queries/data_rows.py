"""Data row queries."""

from __future__ import annotations

from typing import Final

__all__ = [
    "DATA_ROW_FIELDS",
    "DATA_ROW_RELATIONS",
    "DELETE_DATA_ROWS",
    "LIST_DATASET_DATA_ROWS",
    "RETRIEVE_DATA_ROW",
    "SEND_TO_ANNOTATE_FROM_CATALOG",
    "UPDATE_DATA_ROW",
]

#: The fields of the SDK's ``DatasetDataRowsPyApi``.
DATA_ROW_FIELDS: Final = (
    "id rowData externalId globalKey mediaAttributes createdAt updatedAt "
    "customMetadata { schemaId value } metadataFields { schemaId name value kind }"
)

#: Cursor pages, newest first. The next page's cursor comes back in ``pageInfo.startCursor`` (sic), as the SDK
#: reads it; ``hasNextPage`` is selected too, so a cursor that does not move can be told from the end.
LIST_DATASET_DATA_ROWS: Final = f"""
query ListDatasetDataRows($id: ID!, $from: ID, $first: Int, $where: DatasetDataRowWhereInput) {{
  datasetDataRows(id: $id, from: $from, first: $first, where: $where) {{
    nodes {{ {DATA_ROW_FIELDS} }}
    pageInfo {{ hasNextPage startCursor }}
  }}
}}
"""

#: The relationships a retrieved data row carries as fields: its dataset, who created it, its organization.
DATA_ROW_RELATIONS: Final = "dataset { id name } createdBy { id email name } organization { id name }"

RETRIEVE_DATA_ROW: Final = f"""
query RetrieveDataRow($id: ID!) {{
  dataRow(where: {{id: $id}}) {{ {DATA_ROW_FIELDS} {DATA_ROW_RELATIONS} }}
}}
"""

#: As the SDK's ``DataRow.update`` sends it (the ORM's ``updateDataRow``).
UPDATE_DATA_ROW: Final = f"""
mutation UpdateDataRow($id: ID!, $data: DataRowUpdateInput!) {{
  updateDataRow(where: {{id: $id}}, data: $data) {{ {DATA_ROW_FIELDS} }}
}}
"""

#: As the SDK's ``DataRow.bulk_delete`` sends it, with the ids as a variable.
DELETE_DATA_ROWS: Final = """
mutation DeleteDataRows($ids: [ID!]!) {
  deleteDataRows(where: {dataRowIds: $ids}) { id }
}
"""

#: The SDK's ``send_to_annotate_from_catalog``: the rows go to a project's queue as a batch (a task).
SEND_TO_ANNOTATE_FROM_CATALOG: Final = """
mutation SendToAnnotateFromCatalogPyApi($input: SendToAnnotateFromCatalogInput!) {
  sendToAnnotateFromCatalog(input: $input) { taskId }
}
"""
