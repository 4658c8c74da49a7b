"""The documents of data-row ingestion, as the official SDK 7.17 sends them (``Client.upload_data``,
``Dataset._exec_upsert_data_rows``, ``DataUpsertTask``'s result and error pages)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "FAILED_DATA_ROW_IMPORTS",
    "METADATA_ONTOLOGY",
    "SUCCESSFUL_DATA_ROW_IMPORTS",
    "UPLOAD_FILE",
    "UPSERT_DATA_ROWS",
]

UPLOAD_FILE: Final = """mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean) {
  uploadFile(file: $file, contentLength: $contentLength, sign: $sign) {url filename}
}"""

UPSERT_DATA_ROWS: Final = """mutation UpsertDataRows($manifestUri: String!) {
  upsertDataRows(data: { manifestUri: $manifestUri }) {
    id createdAt updatedAt name status completionPercentage result errors type metadata
  }
}"""

FAILED_DATA_ROW_IMPORTS: Final = """query FailedDataRowImports($taskId: ID!, $first: Int, $from: String) {
  failedDataRowImports(data: { taskId: $taskId, first: $first, from: $from }) {
    after total results { message spec { externalId globalKey rowData } }
  }
}"""

SUCCESSFUL_DATA_ROW_IMPORTS: Final = """query SuccessfulDataRowImports($taskId: ID!, $first: Int, $from: String) {
  successesfulDataRowImports(data: { taskId: $taskId, first: $first, from: $from }) {
    after total nodes { id externalId globalKey rowData }
  }
}"""

METADATA_ONTOLOGY: Final = """query MetadataOntology {
  customMetadataOntology { id name kind options { id name } }
}"""
