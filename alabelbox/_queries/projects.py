"""Project queries."""

from __future__ import annotations

from typing import Final

__all__ = ["LIST_PROJECTS", "LIST_USER_PROJECTS", "PROJECT_FIELDS", "PROJECT_LABEL_COUNT", "RETRIEVE_PROJECT"]

#: The fields of the SDK's ``GetProjectsPyApi``.
PROJECT_FIELDS: Final = (
    "id name description createdAt updatedAt setupComplete lastActivityTime autoAuditNumberOfLabels "
    "autoAuditPercentage dataRowCount editorTaskType allowedMediaType modelSetupComplete uploadType "
    "isBenchmarkEnabled isConsensusEnabled"
)

LIST_PROJECTS: Final = f"""
query ListProjects($where: ProjectWhereInput, $skip: Int, $first: PageSize) {{
  projects(where: $where, skip: $skip, first: $first) {{ {PROJECT_FIELDS} }}
}}
"""

RETRIEVE_PROJECT: Final = f"""
query RetrieveProject($id: ID!) {{
  project(where: {{id: $id}}) {{ {PROJECT_FIELDS} }}
}}
"""

#: The current user's projects, as in the "label by label" guide: ``user { projects { id name } }``.
LIST_USER_PROJECTS: Final = f"""
query ListUserProjects($where: ProjectWhereInput, $skip: Int, $first: PageSize) {{
  user {{ projects(where: $where, skip: $skip, first: $first) {{ {PROJECT_FIELDS} }} }}
}}
"""

PROJECT_LABEL_COUNT: Final = """
query ProjectLabelCount($id: ID!) {
  project(where: {id: $id}) { labelCount }
}
"""
