"""Annotation import documents: the mutations that start an import (by file or by URL), the reads by name, the project
listings and the MAL delete. The fields are those the official SDK selects."""

from __future__ import annotations

from typing import Final

__all__ = [
    "CREATE_LABEL_IMPORT_BY_FILE",
    "CREATE_LABEL_IMPORT_BY_URL",
    "CREATE_MAL_IMPORT_BY_FILE",
    "CREATE_MAL_IMPORT_BY_URL",
    "CREATE_MEA_IMPORT_BY_FILE",
    "CREATE_MEA_IMPORT_BY_URL",
    "CREATE_MEA_TO_MAL_IMPORT",
    "DELETE_MAL_IMPORT",
    "IMPORT_FIELDS",
    "LIST_LABEL_IMPORTS",
    "LIST_MAL_IMPORTS",
    "RETRIEVE_LABEL_IMPORT",
    "RETRIEVE_MAL_IMPORT",
    "RETRIEVE_MEA_IMPORT",
    "RETRIEVE_MEA_TO_MAL_IMPORT",
]

#: What every import selects (the SDK's ``AnnotationImport`` fields).
IMPORT_FIELDS: Final = "id name state progress inputFileUrl errorFileUrl statusFileUrl"

CREATE_LABEL_IMPORT_BY_FILE: Final = f"""
mutation CreateLabelImportByFile($projectId: ID!, $name: String!, $file: Upload!, $contentLength: Int!) {{
  createLabelImport(data: {{projectId: $projectId, name: $name,
    filePayload: {{file: $file, contentLength: $contentLength}}}}) {{ {IMPORT_FIELDS} }}
}}
"""

CREATE_LABEL_IMPORT_BY_URL: Final = f"""
mutation CreateLabelImportByUrl($projectId: ID!, $name: String!, $fileUrl: String!) {{
  createLabelImport(data: {{projectId: $projectId, name: $name, fileUrl: $fileUrl}}) {{ {IMPORT_FIELDS} }}
}}
"""

CREATE_MAL_IMPORT_BY_FILE: Final = f"""
mutation CreateMalImportByFile($projectId: ID!, $name: String!, $file: Upload!, $contentLength: Int!) {{
  createModelAssistedLabelingPredictionImport(data: {{projectId: $projectId, name: $name,
    filePayload: {{file: $file, contentLength: $contentLength}}}}) {{ {IMPORT_FIELDS} }}
}}
"""

CREATE_MAL_IMPORT_BY_URL: Final = f"""
mutation CreateMalImportByUrl($projectId: ID!, $name: String!, $fileUrl: String!) {{
  createModelAssistedLabelingPredictionImport(data: {{projectId: $projectId, name: $name, fileUrl: $fileUrl}}) {{
    {IMPORT_FIELDS} }}
}}
"""

CREATE_MEA_IMPORT_BY_FILE: Final = f"""
mutation CreateMeaImportByFile($modelRunId: ID!, $name: String!, $file: Upload!, $contentLength: Int!) {{
  createModelErrorAnalysisPredictionImport(data: {{modelRunId: $modelRunId, name: $name,
    filePayload: {{file: $file, contentLength: $contentLength}}}}) {{ {IMPORT_FIELDS} modelRunId }}
}}
"""

CREATE_MEA_IMPORT_BY_URL: Final = f"""
mutation CreateMeaImportByUrl($modelRunId: ID!, $name: String!, $fileUrl: String!) {{
  createModelErrorAnalysisPredictionImport(data: {{modelRunId: $modelRunId, name: $name, fileUrl: $fileUrl}}) {{
    {IMPORT_FIELDS} modelRunId }}
}}
"""

CREATE_MEA_TO_MAL_IMPORT: Final = f"""
mutation CreateMeaToMalImport($dataRowIds: [ID!]!, $name: String!, $modelRunId: ID!, $projectId: ID!) {{
  createMalPredictionImportForModelRunDataRows(data: {{name: $name, modelRunId: $modelRunId,
    dataRowIds: $dataRowIds, projectId: $projectId}}) {{ {IMPORT_FIELDS} }}
}}
"""

RETRIEVE_LABEL_IMPORT: Final = f"""
query RetrieveLabelImport($projectId: ID!, $name: String!) {{
  labelImport(where: {{projectId: $projectId, name: $name}}) {{ {IMPORT_FIELDS} }}
}}
"""

RETRIEVE_MAL_IMPORT: Final = f"""
query RetrieveMalImport($projectId: ID!, $name: String!) {{
  modelAssistedLabelingPredictionImport(where: {{projectId: $projectId, name: $name}}) {{ {IMPORT_FIELDS} }}
}}
"""

RETRIEVE_MEA_IMPORT: Final = f"""
query RetrieveMeaImport($modelRunId: ID!, $name: String!) {{
  modelErrorAnalysisPredictionImport(where: {{modelRunId: $modelRunId, name: $name}}) {{ {IMPORT_FIELDS} modelRunId }}
}}
"""

RETRIEVE_MEA_TO_MAL_IMPORT: Final = f"""
query RetrieveMeaToMalImport($projectId: ID!, $name: String!) {{
  meaToMalPredictionImport(where: {{projectId: $projectId, name: $name}}) {{ {IMPORT_FIELDS} }}
}}
"""

LIST_LABEL_IMPORTS: Final = f"""
query ListLabelImports($projectId: ID!, $skip: Int, $first: PageSize) {{
  labelImports(skip: $skip, first: $first, where: {{projectId: $projectId}}) {{ {IMPORT_FIELDS} }}
}}
"""

LIST_MAL_IMPORTS: Final = f"""
query ListMalImports($projectId: ID!, $skip: Int, $first: PageSize) {{
  modelAssistedLabelingPredictionImports(skip: $skip, first: $first, where: {{projectId: $projectId}}) {{
    {IMPORT_FIELDS} }}
}}
"""

DELETE_MAL_IMPORT: Final = """
mutation DeleteMalImport($id: ID!) {
  deleteModelAssistedLabelingPredictionImport(where: {id: $id}) { id }
}
"""
