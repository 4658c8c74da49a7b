"""Project queries."""

from __future__ import annotations

from typing import Final

from alabelbox._queries.datasets import DATASET_FIELDS

__all__ = [
    "CLONE_PROJECT",
    "CONNECT_LABELING_FRONTEND",
    "CONNECT_ONTOLOGY",
    "CREATE_LABELING_FRONTEND_OPTIONS",
    "CREATE_PROJECT",
    "DELETE_PROJECT",
    "LIST_LABELING_FRONTENDS",
    "LIST_PROJECTS",
    "LIST_USER_PROJECTS",
    "PROJECT_DATASETS",
    "PROJECT_FIELDS",
    "PROJECT_LABELING_FRONTEND_OPTIONS",
    "PROJECT_LABEL_COUNT",
    "PROJECT_ONTOLOGY",
    "PROJECT_ONTOLOGY_SETUP",
    "PROJECT_RELATIONS",
    "RETRIEVE_PROJECT",
    "SET_PROJECT_INSTRUCTIONS",
    "UPDATE_PROJECT",
]

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

#: The relationships a retrieved project carries as fields: who created it, its organization, its editor and the
#: id and name of its ontology (the whole ontology is ``PROJECT_ONTOLOGY``).
PROJECT_RELATIONS: Final = (
    "createdBy { id email name } organization { id name } "
    "labelingFrontend { id name description iframeUrlPath } ontology { id name }"
)


RETRIEVE_PROJECT: Final = f"""
query RetrieveProject($id: ID!) {{
  project(where: {{id: $id}}) {{ {PROJECT_FIELDS} queueMode {PROJECT_RELATIONS} }}
}}
"""

#: ``createProject`` with one input object (the SDK spells each field as its own variable; the input is the same).
CREATE_PROJECT: Final = f"""
mutation CreateProject($data: ProjectCreateInput!) {{
  createProject(data: $data) {{ {PROJECT_FIELDS} }}
}}
"""

UPDATE_PROJECT: Final = f"""
mutation UpdateProject($id: ID!, $data: ProjectUpdateInput!) {{
  updateProject(where: {{id: $id}}, data: $data) {{ {PROJECT_FIELDS} }}
}}
"""

#: As the SDK's ``Project.delete``: ``updateProject`` with ``deleted: true``.
DELETE_PROJECT: Final = """
mutation DeleteProject($id: ID!) {
  updateProject(where: {id: $id}, data: {deleted: true}) { id }
}
"""

CLONE_PROJECT: Final = """
mutation CloneProject($projectId: ID!) {
  cloneProject(data: {projectId: $projectId}) { id }
}
"""

#: What ``connect_ontology`` checks first, in one request: both exist, their media types, the project's editor.
PROJECT_ONTOLOGY_SETUP: Final = """
query ProjectOntologySetup($projectId: ID!, $ontologyId: ID!) {
  project(where: {id: $projectId}) { id allowedMediaType labelingFrontend { id } }
  ontology(where: {id: $ontologyId}) { id mediaType }
}
"""

LIST_LABELING_FRONTENDS: Final = """
query ListLabelingFrontends($name: String!) {
  labelingFrontends(where: {AND: [{name: $name}, {deleted: false}]}, skip: 0, first: 100) {
    id name description iframeUrlPath
  }
}
"""

CONNECT_LABELING_FRONTEND: Final = """
mutation ConnectLabelingFrontend($projectId: ID!, $labelingFrontendId: ID!) {
  updateProject(where: {id: $projectId}, data: {labelingFrontend: {connect: {id: $labelingFrontendId}}}) { id }
}
"""

CREATE_LABELING_FRONTEND_OPTIONS: Final = """
mutation CreateLabelingFrontendOptions($project: ID!, $labelingFrontend: ID!, $customizationOptions: String!) {
  createLabelingFrontendOptions(data: {project: {connect: {id: $project}},
    labelingFrontend: {connect: {id: $labelingFrontend}}, customizationOptions: $customizationOptions}) { id }
}
"""

CONNECT_ONTOLOGY: Final = f"""
mutation ConnectOntology($projectId: ID!, $ontologyId: ID!) {{
  project(where: {{id: $projectId}}) {{ connectOntology(ontologyId: $ontologyId) {{ {PROJECT_FIELDS} }} }}
}}
"""

PROJECT_ONTOLOGY: Final = """
query ProjectOntology($id: ID!) {
  project(where: {id: $id}) {
    ontology { id name description createdAt updatedAt mediaType normalized objectSchemaCount
      classificationSchemaCount }
  }
}
"""

PROJECT_DATASETS: Final = f"""
query ProjectDatasets($id: ID!, $skip: Int, $first: PageSize) {{
  project(where: {{id: $id}}) {{ datasets(skip: $skip, first: $first) {{ {DATASET_FIELDS} }} }}
}}
"""

SET_PROJECT_INSTRUCTIONS: Final = """
mutation SetProjectInstructionsPyApi($projectId: ID!, $instructions_url: String!) {
  setProjectInstructions(where: {id: $projectId}, data: {instructionsUrl: $instructions_url}) {
    id ontology { id options }
  }
}
"""

PROJECT_LABELING_FRONTEND_OPTIONS: Final = """
query ProjectLabelingFrontendOptionsPyApi($projectId: ID!) {
  project(where: {id: $projectId}) { labelingFrontendOptions(skip: 0, first: 1) { id customizationOptions } }
}
"""
