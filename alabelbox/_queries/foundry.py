"""Foundry app queries: the official SDK's requests of ``client.run_foundry_app`` and of its ``FoundryClient``
(create, look up and delete an app)."""

from __future__ import annotations

from typing import Final

__all__ = ["APP_FIELDS", "CREATE_FOUNDRY_APP", "CREATE_MODEL_JOB", "DELETE_FOUNDRY_APP", "GET_FOUNDRY_APP_BY_ID"]

#: The fields the SDK reads of an app (``APP_FIELD_NAMES``).
APP_FIELDS: Final = "id modelId name description inferenceParams classToSchemaId ontologyId createdBy"

GET_FOUNDRY_APP_BY_ID: Final = f"""query GetFoundryAppByIdPyApi($id: ID!) {{
  findModelFoundryApp(where: {{id: $id}}) {{ {APP_FIELDS} }}
}}"""

CREATE_FOUNDRY_APP: Final = f"""mutation CreateFoundryAppPyApi(
  $name: String!, $modelId: ID!, $ontologyId: ID!, $description: String, $inferenceParams: Json!,
  $classToSchemaId: Json!
) {{
  createModelFoundryApp(input: {{
    name: $name modelId: $modelId ontologyId: $ontologyId description: $description
    inferenceParams: $inferenceParams classToSchemaId: $classToSchemaId
  }}) {{ {APP_FIELDS} }}
}}"""

DELETE_FOUNDRY_APP: Final = """mutation DeleteFoundryAppPyApi($id: ID!) {
  deleteModelFoundryApp(id: $id) { success }
}"""

CREATE_MODEL_JOB: Final = """mutation CreateModelJobPyApi($input: CreateModelJobForDataRowsInput!) {
  createModelJobForDataRows(input: $input) { taskId __typename }
}"""
