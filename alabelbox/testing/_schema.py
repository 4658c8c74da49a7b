"""The SDL schema the emulator serves, modelled on the operations in docs/wire.md."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLScalarType, GraphQLSchema, build_schema
from graphql.language import ast

SDL = """
scalar DateTime
scalar Json
scalar UInt64
scalar PageSize

enum MediaType { AUDIO CONVERSATIONAL PDF TMS_GEO HTML IMAGE TMS_SIMPLE TEXT UNKNOWN UNSUPPORTED VIDEO
  POINT_CLOUD LLM DOCUMENT }
enum TaskStreamType { RESULT ERRORS }
enum DeleteBatchLabelsType { RequeueData RequeueDataWithLabelAsTemplate }
enum LabelOrderByInput { id_ASC id_DESC createdAt_ASC createdAt_DESC updatedAt_ASC updatedAt_DESC
  agreement_ASC agreement_DESC benchmarkAgreement_ASC benchmarkAgreement_DESC
  secondsToLabel_ASC secondsToLabel_DESC }
enum ProjectOrderByInput { id_ASC id_DESC name_ASC name_DESC createdAt_ASC createdAt_DESC
  updatedAt_ASC updatedAt_DESC }
enum DatasetOrderByInput { id_ASC id_DESC name_ASC name_DESC createdAt_ASC createdAt_DESC
  updatedAt_ASC updatedAt_DESC }

input WhereUniqueIdInput { id: ID! }
input UserWhereInput { id: ID email: String }
input ProjectWhereInput { id: ID id_in: [ID!] name: String name_contains: String deleted: Boolean
  AND: [ProjectWhereInput!] OR: [ProjectWhereInput!] }
input DatasetWhereInput { id: ID id_in: [ID!] name: String name_contains: String deleted: Boolean
  AND: [DatasetWhereInput!] OR: [DatasetWhereInput!] }
input LabelDatasetWhereInput { id: ID id_in: [ID!] }
input LabelDataRowWhereInput { id: ID id_in: [ID!] dataset: LabelDatasetWhereInput }
input LabelTypeWhereInput { id: ID name: String }
input LabelWhereInput { id: ID id_in: [ID!] createdBy: UserWhereInput createdAt_lt: DateTime
  createdAt_gt: DateTime createdAt_lte: DateTime createdAt_gte: DateTime type: LabelTypeWhereInput
  agreement_gt: Float agreement_lt: Float dataRow: LabelDataRowWhereInput
  AND: [LabelWhereInput!] }
input WhereBulkLabelDelete { id: ID id_in: [ID!] createdBy: UserWhereInput createdAt_lt: DateTime
  createdAt_gt: DateTime type: LabelTypeWhereInput agreement_gt: Float agreement_lt: Float
  dataRow: LabelDataRowWhereInput }
input DatasetDataRowWhereInput { id: ID externalId: String globalKey: String
  id_in: [ID!] externalId_in: [String!] globalKey_in: [String!] }
input TaskWhereInput { id: ID }
input DeleteBatchLabelsInput { type: DeleteBatchLabelsType! }
input DateRange { start: String end: String }
input ExportLabelsFilters { labelCreatedAt: DateRange lastActivityAt: DateRange }
input ExportLabelsInput { projectId: ID! filters: ExportLabelsFilters }
input SearchQueryInput { scope: Json query: [Json!] }
input ProjectExportFilters { projectId: ID! searchQuery: SearchQueryInput }
input CatalogExportFilters { searchQuery: SearchQueryInput }
input ExportParams { mediaTypeOverride: MediaType includeAttachments: Boolean
  includeEmbeddings: Boolean includeMetadata: Boolean includeDataRowDetails: Boolean
  includeProjectDetails: Boolean includePerformanceDetails: Boolean includeLabelDetails: Boolean
  includeInterpolatedFrames: Boolean includePredictions: Boolean projectIds: [ID!]
  modelRunIds: [ID!] allProjects: Boolean allModelRuns: Boolean includeModelRunDetails: Boolean }
input ExportDataRowsInProjectInput { taskName: String isStreamableReady: Boolean
  filters: ProjectExportFilters! params: ExportParams streamable: Boolean }
input ExportDataRowsInCatalogInput { taskName: String isStreamableReady: Boolean
  filters: CatalogExportFilters params: ExportParams streamable: Boolean }

type Organization { id: ID! name: String! createdAt: DateTime updatedAt: DateTime
  users(skip: Int, first: PageSize): [User!]!
  projects(where: ProjectWhereInput, skip: Int, first: PageSize): [Project!]! }

type User { id: ID! email: String! name: String nickname: String picture: String
  isExternalUser: Boolean isViewer: Boolean createdAt: DateTime updatedAt: DateTime
  lastLoginAt: DateTime timezone: String
  organization: Organization!
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]!
  createdTasks(where: TaskWhereInput, skip: Int, first: PageSize): [Task!]! }

type Project { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  setupComplete: DateTime lastActivityTime: DateTime autoAuditNumberOfLabels: Int
  autoAuditPercentage: Float dataRowCount: Int editorTaskType: String allowedMediaType: MediaType
  mediaType: MediaType modelSetupComplete: Boolean uploadType: String isBenchmarkEnabled: Boolean
  isConsensusEnabled: Boolean queueMode: String deleted: Boolean
  createdBy: User organization: Organization
  labels(where: LabelWhereInput, skip: Int, first: PageSize, orderBy: LabelOrderByInput): [Label!]!
  labelCount: Int
  bulkDeleteLabels(where: WhereBulkLabelDelete, makeTemplates: Boolean, waitForQueue: Boolean,
    first: PageSize, skip: Int): BulkDeleteLabelsResult!
  deleteBatchLabels(batchId: ID!, data: DeleteBatchLabelsInput!): DeleteBatchLabelsResult!
  batches(after: String, first: PageSize): BatchConnection!
  datasets(skip: Int, first: PageSize): [Dataset!]! }

type Dataset { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  rowCount: Int deleted: Boolean createdBy: User organization: Organization
  dataRows(skip: Int, first: PageSize): [DataRow!]!
  projects(skip: Int, first: PageSize): [Project!]! }

type CustomMetadata { schemaId: ID! value: Json }
type MetadataField { schemaId: ID! name: String value: Json kind: String }

type DataRow { id: ID! externalId: String globalKey: String rowData: String!
  mediaAttributes: Json createdAt: DateTime updatedAt: DateTime
  customMetadata: [CustomMetadata!]! metadataFields: [MetadataField!]!
  dataset: Dataset! createdBy: User }

type PageInfo { hasNextPage: Boolean! startCursor: String endCursor: String }
type DataRowConnection { nodes: [DataRow!]! pageInfo: PageInfo! totalCount: Int }

type LabelType { id: ID! name: String! }

type Review { id: ID! score: Float createdAt: DateTime updatedAt: DateTime createdBy: User }

type Label { id: ID! label: String createdAt: DateTime updatedAt: DateTime agreement: Float
  benchmarkAgreement: Float isBenchmarkReference: Boolean secondsToLabel: Float
  secondsToReview: Float secondsToCreate: Float deleted: Boolean
  createdBy: User! type: LabelType! dataRow: DataRow! project: Project! reviews: [Review!]! }

type Batch { id: ID! name: String! size: Int createdAt: DateTime updatedAt: DateTime
  consensusSettingsJson: Json }
type BatchConnection { nodes: [Batch!]! pageInfo: PageInfo! }

type BulkDeleteLabelsResult { count: Int! }
type DeleteBatchLabelsResult { deletedLabelIds: [ID!]! }
type DeletedLabel { id: ID! deleted: Boolean }

type Range { start: UInt64! end: UInt64! }
type ExportMetadataHeader { totalSize: UInt64! totalLines: UInt64! }
type ExportFileInfo { offsets: Range! lines: Range! file: String! }

type Task { id: ID! name: String type: String status: String completionPercentage: Float
  createdAt: DateTime updatedAt: DateTime errors: Json result: Json metadata: Json
  createdBy: User
  exportMetadataHeader(streamType: TaskStreamType!): ExportMetadataHeader
  exportFileFromOffset(streamType: TaskStreamType!, offset: UInt64!): ExportFileInfo
  exportFileFromLine(streamType: TaskStreamType!, line: UInt64!): ExportFileInfo }

type ExportTaskResult { taskId: ID! isStreamable: Boolean! }
type LegacyExport { downloadUrl: String createdAt: String shouldPoll: Boolean! }

type MetadataOption { id: ID! name: String! kind: String! reserved: Boolean! }
type MetadataSchema { id: ID! name: String! kind: String! reserved: Boolean!
  options: [MetadataOption!] }

type Query {
  user(where: UserWhereInput): User
  organization: Organization
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]!
  project(where: WhereUniqueIdInput!): Project
  datasets(where: DatasetWhereInput, skip: Int, first: PageSize, orderBy: DatasetOrderByInput): [Dataset!]!
  dataset(where: WhereUniqueIdInput!): Dataset
  datasetDataRows(id: ID!, from: ID, first: Int, where: DatasetDataRowWhereInput): DataRowConnection!
  dataRow(where: WhereUniqueIdInput!): DataRow
  label(where: WhereUniqueIdInput!): Label
  task(where: WhereUniqueIdInput): Task
  customMetadataOntology: [MetadataSchema!]!
}

type Mutation {
  project(where: WhereUniqueIdInput!): Project
  deleteLabels(labelIds: [ID!]!): [DeletedLabel!]!
  exportLabels(data: ExportLabelsInput!): LegacyExport!
  exportDataRowsInProject(input: ExportDataRowsInProjectInput!): ExportTaskResult!
  exportDataRowsInCatalog(input: ExportDataRowsInCatalogInput!): ExportTaskResult!
}
"""


def _parse_uint64(value: Any) -> int:
    if isinstance(value, bool):
        raise GraphQLError("UInt64 cannot represent a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        raise GraphQLError(f"UInt64 cannot represent value: {value!r}")
    if number < 0 or number >= 1 << 64:
        raise GraphQLError(f"UInt64 out of range: {value!r}")
    return number


def _parse_uint64_literal(node: ast.ValueNode, _variables: Any = None) -> int:
    if isinstance(node, (ast.IntValueNode, ast.StringValueNode)):
        return _parse_uint64(node.value)
    raise GraphQLError("UInt64 must be an int or a string of digits")


def _parse_page_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GraphQLError(f"PageSize cannot represent value: {value!r}")
    return value


def _parse_page_size_literal(node: ast.ValueNode, _variables: Any = None) -> int:
    if isinstance(node, ast.IntValueNode):
        return _parse_page_size(int(node.value))
    raise GraphQLError("PageSize must be an int")


def _json_literal(node: ast.ValueNode, variables: Any = None) -> Any:
    from graphql import value_from_ast_untyped

    return value_from_ast_untyped(node, variables)


def _identity(value: Any) -> Any:
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime must be a string: {value!r}")
    return value


def _string_literal(node: ast.ValueNode, _variables: Any = None) -> str:
    if isinstance(node, ast.StringValueNode):
        return node.value
    raise GraphQLError("DateTime must be a string")


def build() -> GraphQLSchema:
    """Build the executable schema with its custom scalars."""
    schema = build_schema(SDL)
    scalars: dict[str, dict[str, Any]] = {
        # UInt64 is serialised as a string, as the real API does; inputs may be strings or ints.
        "UInt64": {
            "serialize": lambda v: str(int(v)),
            "parse_value": _parse_uint64,
            "parse_literal": _parse_uint64_literal,
        },
        "PageSize": {
            "serialize": int,
            "parse_value": _parse_page_size,
            "parse_literal": _parse_page_size_literal,
        },
        "Json": {"serialize": _identity, "parse_value": _identity, "parse_literal": _json_literal},
        "DateTime": {
            "serialize": _identity,
            "parse_value": _string,
            "parse_literal": _string_literal,
        },
    }
    for name, funcs in scalars.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        # Set both the graphql-core 3.2 names and the 3.3 ``coerce_*`` names.
        setattr(scalar, "serialize", funcs["serialize"])  # noqa: B010
        setattr(scalar, "coerce_output_value", funcs["serialize"])  # noqa: B010
        setattr(scalar, "parse_value", funcs["parse_value"])  # noqa: B010
        setattr(scalar, "coerce_input_value", funcs["parse_value"])  # noqa: B010
        setattr(scalar, "parse_literal", funcs["parse_literal"])  # noqa: B010
        setattr(scalar, "coerce_input_literal", None)  # noqa: B010
    return schema
