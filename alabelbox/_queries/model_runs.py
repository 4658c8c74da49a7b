"""Model-run queries: the official SDK's requests for ``Model.create_model_run``, ``get_model_run``,
``Model.model_runs`` and the ``ModelRun`` methods (config, data rows, labels, data splits, send to annotate)."""

from __future__ import annotations

from typing import Final

from alabelbox._queries.data_rows import DATA_ROW_FIELDS

__all__ = [
    "ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS",
    "ASSIGN_DATA_SPLIT",
    "CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK",
    "CREATE_MEA_MODEL_RUN_LABEL_REGISTRATION_TASK",
    "CREATE_MEA_MODEL_RUN_PROJECT_LABEL_REGISTRATION_TASK",
    "CREATE_MODEL_RUN",
    "DELETE_MODEL_RUN",
    "DELETE_MODEL_RUN_DATA_ROWS",
    "GET_MODEL_MODEL_RUNS",
    "GET_MODEL_RUN",
    "MEA_DATA_ROW_REGISTRATION_TASK_STATUS",
    "MEA_LABEL_REGISTRATION_TASK_STATUS",
    "MODEL_RUN",
    "MODEL_RUN_DATA_ROW_FIELDS",
    "MODEL_RUN_FIELDS",
    "RESET_MODEL_RUN_CONFIG",
    "SEND_TO_ANNOTATE_FROM_MEA",
    "SET_PIPELINE_STATUS",
    "UPDATE_MODEL_RUN_CONFIG",
]

#: The fields the SDK reads of a model run.
MODEL_RUN_FIELDS: Final = "createdAt createdBy modelAppId modelId name trainingMetadata id updatedAt"

#: The fields the SDK reads of a model run's data row (its data row included).
MODEL_RUN_DATA_ROW_FIELDS: Final = f"dataSplit labelId modelRunId id dataRow{{ {DATA_ROW_FIELDS} }}"

CREATE_MODEL_RUN: Final = f"""mutation CreateModelRunPyApi($name: String!, $config: Json, $modelId: ID!) {{
  createModelRun(data: {{name: $name, trainingMetadata: $config, modelId: $modelId}}) {{ {MODEL_RUN_FIELDS} }}}}"""

GET_MODEL_RUN: Final = f"query GetModelRunPyApi($id: ID!){{modelRun(where: {{id: $id}}){{ {MODEL_RUN_FIELDS} }}}}"

#: A model's runs, by offset pages (the SDK inlines ``skip``/``first``).
GET_MODEL_MODEL_RUNS: Final = (
    "query GetModelModelRunsPyApi($id: ID!, $skip: Int, $first: PageSize)"
    f"{{model(where: {{id: $id}}){{modelRuns(skip: $skip first: $first){{ {MODEL_RUN_FIELDS} }}}}}}"
)

DELETE_MODEL_RUN: Final = "mutation DeleteModelRunPyApi($ids: ID!) {deleteModelRuns(where: {ids: [$ids]})}"

UPDATE_MODEL_RUN_CONFIG: Final = """mutation updateModelRunConfigPyApi($modelRunId: ID!,
  $data: UpdateModelRunConfigInput!){
  updateModelRunConfig(modelRun: {id : $modelRunId}, data: $data){trainingMetadata}
}"""

RESET_MODEL_RUN_CONFIG: Final = """mutation resetModelRunConfigPyApi($modelRunId: ID!){
  resetModelRunConfig(modelRun: {id : $modelRunId}){trainingMetadata}
}"""

#: On the experimental endpoint, as the SDK sends it (``ModelRun.update_status``).
SET_PIPELINE_STATUS: Final = """mutation setPipelineStatusPyApi($modelRunId: ID!, $data: UpdateTrainingPipelineInput!){
  updateTrainingPipeline(modelRun: {id : $modelRunId}, data: $data){status}
}"""

CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK: Final = """mutation createMEAModelRunDataRowRegistrationTaskPyApi(
  $modelRunId: ID!, $dataRowIds: [ID!], $globalKeys: [ID!]) {
  createMEAModelRunDataRowRegistrationTask(where : { id : $modelRunId},
    data : {dataRowIds: $dataRowIds, globalKeys: $globalKeys})}"""

MEA_DATA_ROW_REGISTRATION_TASK_STATUS: Final = """query MEADataRowRegistrationTaskStatusPyApi(
  $where: WhereUniqueIdInput!){
  MEADataRowRegistrationTaskStatus(where: $where) {status errorMessage}
}"""

CREATE_MEA_MODEL_RUN_LABEL_REGISTRATION_TASK: Final = """mutation createMEAModelRunLabelRegistrationTaskPyApi(
  $modelRunId: ID!, $labelIds : [ID!]!) {
  createMEAModelRunLabelRegistrationTask(where : { id : $modelRunId}, data : {labelIds: $labelIds})}"""

CREATE_MEA_MODEL_RUN_PROJECT_LABEL_REGISTRATION_TASK: Final = """mutation \
createMEAModelRunProjectLabelRegistrationTaskPyApi($modelRunId: ID!, $projectId : ID!) {
  createMEAModelRunProjectLabelRegistrationTask(where : { modelRunId : $modelRunId, projectId: $projectId})}"""

MEA_LABEL_REGISTRATION_TASK_STATUS: Final = """query MEALabelRegistrationTaskStatusPyApi($where: WhereUniqueIdInput!){
  MEALabelRegistrationTaskStatus(where: $where) {status errorMessage}
}"""

#: On the experimental endpoint, as the SDK sends it.
ASSIGN_DATA_SPLIT: Final = """mutation assignDataSplitPyApi($modelRunId: ID!,
  $data: CreateAssignDataRowsToDataSplitTaskInput!){
  createAssignDataRowsToDataSplitTask(modelRun : {id: $modelRunId}, data: $data)}"""

#: On the experimental endpoint, as the SDK sends it.
ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS: Final = """query assignDataRowsToDataSplitTaskStatusPyApi($id: ID!){
  assignDataRowsToDataSplitTaskStatus(where: {id : $id}){status errorMessage}}"""

#: A run's data rows by cursor (the SDK names this operation ``modelRunPyApi``).
MODEL_RUN: Final = f"""query modelRunPyApi($modelRunId: ID!, $from : String, $first: Int){{
  annotationGroups(where: {{modelRunId: {{id: $modelRunId}}}}, after: $from, first: $first)
  {{nodes{{ {MODEL_RUN_DATA_ROW_FIELDS} }},pageInfo{{endCursor}}}}
}}"""

DELETE_MODEL_RUN_DATA_ROWS: Final = """mutation DeleteModelRunDataRowsPyApi($modelRunId: ID!, $dataRowIds: [ID!]!) {
  deleteModelRunDataRows(where: {modelRunId: $modelRunId, dataRowIds: $dataRowIds})}"""

SEND_TO_ANNOTATE_FROM_MEA: Final = """mutation SendToAnnotateFromMeaPyApi($input: SendToAnnotateFromMeaInput!) {
  sendToAnnotateFromMea(input: $input) { taskId }
}"""
