"""Label queries and mutations."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Final, Literal

__all__ = [
    "BULK_DELETE_LABELS",
    "DEFAULT_LABEL_SELECTION",
    "DEFAULT_RETRIEVE_SELECTION",
    "DELETE_LABELS",
    "LABEL_FIELDS",
    "LABEL_SELECTIONS",
    "LIST_DATA_ROW_LABELS",
    "LIST_PROJECT_LABELS",
    "RETRIEVE_LABEL",
    "LabelSelection",
    "label_fields",
    "list_data_row_labels",
    "list_project_labels",
    "retrieve_label",
]

#: The scalar fields of a label: the SDK's ``GetProjectLabelsPyApi`` selection plus the seed's timing metrics.
LABEL_FIELDS: Final = (
    "id label agreement benchmarkAgreement createdAt updatedAt isBenchmarkReference "
    "secondsToLabel secondsToReview secondsToCreate"
)

LabelSelection = Literal["created_by", "type", "data_row", "reviews", "project"]

#: The related objects a label query can select, by name.
LABEL_SELECTIONS: Final[dict[str, str]] = {
    "created_by": "createdBy { id email name }",
    "type": "type { id name }",
    "data_row": "dataRow { id rowData externalId globalKey }",
    "reviews": "reviews { id score createdAt updatedAt createdBy { id email } }",
    "project": "project { id name }",
}

DEFAULT_LABEL_SELECTION: Final[frozenset[str]] = frozenset({"created_by", "type", "data_row"})
#: What a label retrieved by id selects by default: the listing's default and the label's project (a listing is of one
#: project, which its caller knows).
DEFAULT_RETRIEVE_SELECTION: Final[frozenset[str]] = DEFAULT_LABEL_SELECTION | {"project"}


def label_fields(include: Iterable[str]) -> str:
    """The selection set of a label: the scalars plus the named related objects, in a fixed order."""
    wanted = set(include)
    return " ".join([LABEL_FIELDS, *(text for name, text in LABEL_SELECTIONS.items() if name in wanted)])


@lru_cache(maxsize=32)
def list_project_labels(include: frozenset[str]) -> str:
    """``query ListProjectLabels`` selecting ``include``; one text per selection, so it is parsed once."""
    return f"""
query ListProjectLabels($projectId: ID!, $where: LabelWhereInput, $skip: Int, $first: PageSize,
                        $orderBy: LabelOrderByInput) {{
  project(where: {{id: $projectId}}) {{
    labels(where: $where, skip: $skip, first: $first, orderBy: $orderBy) {{ {label_fields(include)} }}
  }}
}}
"""


@lru_cache(maxsize=32)
def retrieve_label(include: frozenset[str]) -> str:
    """``query RetrieveLabel`` selecting ``include``."""
    return f"""
query RetrieveLabel($id: ID!) {{
  label(where: {{id: $id}}) {{ {label_fields(include)} }}
}}
"""


@lru_cache(maxsize=32)
def list_data_row_labels(include: frozenset[str]) -> str:
    """``query ListDataRowLabels`` selecting ``include``: a data row's labels in every project (``DataRow.labels``)."""
    return f"""
query ListDataRowLabels($dataRowId: ID!, $skip: Int, $first: PageSize) {{
  dataRow(where: {{id: $dataRowId}}) {{ labels(skip: $skip, first: $first) {{ {label_fields(include)} }} }}
}}
"""


LIST_PROJECT_LABELS: Final = list_project_labels(DEFAULT_LABEL_SELECTION)
LIST_DATA_ROW_LABELS: Final = list_data_row_labels(DEFAULT_RETRIEVE_SELECTION)
RETRIEVE_LABEL: Final = retrieve_label(DEFAULT_RETRIEVE_SELECTION)

#: ``deleteLabels``: the asset is re-enqueued. Ids travel as a variable, not inlined as the SDK does.
DELETE_LABELS: Final = """
mutation DeleteLabels($labelIds: [ID!]!) {
  deleteLabels(labelIds: $labelIds) { id deleted }
}
"""

#: ``bulkDeleteLabels``, as in the API docs (see docs/wire.md); ``makeTemplates`` keeps the deleted labels as templates.
BULK_DELETE_LABELS: Final = """
mutation BulkDeleteLabels($projectId: ID!, $makeTemplates: Boolean = true, $labelsWhere: WhereBulkLabelDelete,
                          $first: PageSize, $skip: Int) {
  project(where: {id: $projectId}) {
    bulkDeleteLabels(where: $labelsWhere, makeTemplates: $makeTemplates, waitForQueue: true, first: $first,
                     skip: $skip) { count }
  }
}
"""
