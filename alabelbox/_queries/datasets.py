"""Dataset queries."""

from __future__ import annotations

from typing import Final

__all__ = ["DATASET_FIELDS", "LIST_DATASETS", "RETRIEVE_DATASET"]

#: The fields of the SDK's ``GetDatasetsPyApi``.
DATASET_FIELDS: Final = "id name description createdAt updatedAt rowCount"

LIST_DATASETS: Final = f"""
query ListDatasets($where: DatasetWhereInput, $skip: Int, $first: PageSize) {{
  datasets(where: $where, skip: $skip, first: $first) {{ {DATASET_FIELDS} }}
}}
"""

RETRIEVE_DATASET: Final = f"""
query RetrieveDataset($id: ID!) {{
  dataset(where: {{id: $id}}) {{ {DATASET_FIELDS} }}
}}
"""
