"""Dataset queries."""

from __future__ import annotations

from typing import Final

__all__ = [
    "CREATE_DATASET",
    "DATASET_FIELDS",
    "DATASET_RELATIONS",
    "DELETE_DATASET",
    "LIST_DATASETS",
    "RETRIEVE_DATASET",
    "SET_DATASET_SIGNER",
    "UPDATE_DATASET",
    "VALIDATE_DATASET",
]

#: The fields of the SDK's ``GetDatasetsPyApi``.
DATASET_FIELDS: Final = "id name description createdAt updatedAt rowCount"

LIST_DATASETS: Final = f"""
query ListDatasets($where: DatasetWhereInput, $skip: Int, $first: PageSize) {{
  datasets(where: $where, skip: $skip, first: $first) {{ {DATASET_FIELDS} }}
}}
"""

#: The relationships a retrieved dataset carries as fields: who created it and its organization.
DATASET_RELATIONS: Final = "createdBy { id email name } organization { id name }"

RETRIEVE_DATASET: Final = f"""
query RetrieveDataset($id: ID!) {{
  dataset(where: {{id: $id}}) {{ {DATASET_FIELDS} {DATASET_RELATIONS} }}
}}
"""

CREATE_DATASET: Final = f"""
mutation CreateDataset($data: DatasetCreateInput!) {{
  createDataset(data: $data) {{ {DATASET_FIELDS} }}
}}
"""

UPDATE_DATASET: Final = f"""
mutation UpdateDataset($id: ID!, $data: DatasetUpdateInput!) {{
  updateDataset(where: {{id: $id}}, data: $data) {{ {DATASET_FIELDS} }}
}}
"""

#: The SDK deletes a dataset by setting ``deleted``.
DELETE_DATASET: Final = """
mutation DeleteDataset($id: ID!) {
  updateDataset(where: {id: $id}, data: {deleted: true}) { id }
}
"""

SET_DATASET_SIGNER: Final = """
mutation SetDatasetSigner($signerId: ID!, $datasetId: ID!) {
  setSignerForDataset(data: { signerId: $signerId }, where: { id: $datasetId }) { id }
}
"""

VALIDATE_DATASET: Final = """
mutation ValidateDataset($id: ID!) {
  validateDataset(where: { id: $id }) { valid checks { name success } }
}
"""
