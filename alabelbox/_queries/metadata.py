"""Data-row metadata: the ontology (reserved and custom schemas) and values, as the official SDK 7.17 sends them."""

from __future__ import annotations

from typing import Final

__all__ = [
    "DELETE_METADATA",
    "DELETE_METADATA_SCHEMA",
    "EXPORT_METADATA",
    "METADATA_ONTOLOGY",
    "UPSERT_METADATA",
    "UPSERT_METADATA_SCHEMA",
]

METADATA_ONTOLOGY: Final = """
query MetadataOntology {
  customMetadataOntology { id name kind reserved options { id name kind reserved } }
}
"""

UPSERT_METADATA_SCHEMA: Final = """
mutation UpsertMetadataSchema($data: UpsertCustomMetadataSchemaInput!) {
  upsertCustomMetadataSchema(data: $data) { id name kind reserved options { id name kind reserved } }
}
"""

DELETE_METADATA_SCHEMA: Final = """
mutation DeleteMetadataSchema($where: WhereUniqueIdInput!) {
  deleteCustomMetadataSchema(schema: $where) { success }
}
"""

UPSERT_METADATA: Final = """
mutation UpsertMetadata($metadata: [DataRowCustomMetadataBatchUpsertInput!]!) {
  upsertDataRowCustomMetadata(data: $metadata) { globalKey dataRowId error fields { value schemaId } }
}
"""

DELETE_METADATA: Final = """
mutation DeleteMetadata($deletes: [DataRowIdentifierCustomMetadataBatchDeleteInput!]) {
  deleteDataRowCustomMetadata(dataRowIdentifiers: $deletes) { dataRowId error fields { value schemaId } }
}
"""

EXPORT_METADATA: Final = """
query ExportMetadata($identifiers: DataRowCustomMetadataDataRowIdentifiersInput) {
  dataRowCustomMetadata(where: {dataRowIdentifiers: $identifiers}) { dataRowId globalKey fields { value schemaId } }
}
"""
