"""Public pydantic models of Labelbox data.

Annotation imports: the typed import format (:class:`ImportBoundingBox` and the other ``Import*`` lines,
:func:`validate_import_record`) and the import job models (:class:`ImportJob`, :class:`AnnotationImport`,
:class:`AnnotationStatus`).

Export records: :class:`ExportRow` (one export v2 NDJSON line), :class:`ExportLabel`, the annotation
union :data:`ExportAnnotation`, classifications, and :class:`LegacyLabelRow` for legacy (v1) JSON exports.

The policy: a record that Labelbox wrote is never rejected and never altered
--------------------------------------------------------------------------------
The typed models are for reading conveniently, not a gate. Held by ``tests/reader/test_models.py`` and
``tests/reader/test_real_samples.py`` (every real export in ``tests/reader/samples/real/``, in many chunkings).

* **Every field accepts every JSON shape Labelbox has used for it.** Where a field has more than one, its type lists
  them and its docstring names the sample that showed each (``Agreement`` is a number or ``""``; ``Label`` is an
  object, ``"Skip"`` or a list of video frames; ``exif_rotation`` a string or an integer...).
* **A shape nobody has seen yet is kept, not raised**: every field is :data:`Lenient`, so a value that is not of its
  type is stored as an :class:`Unrecognized` holding the raw JSON value (the typed member is tried first; only the
  unknown shape pays for the failed attempt). A key no model declares is kept as an extra field
  (``model_extra``), an annotation of an unknown kind as :class:`GenericAnnotation`, and an annotation of a known
  kind never fails its model (its fields are optional and lenient too). The only fields a record must have are
  the ids that make it a record: ``data_row.id`` of an :class:`ExportRow`, ``id`` of an :class:`ExportLabel`,
  ``ID`` of a :class:`LegacyLabelRow`; a record without them is not what the model describes (the wrong model was
  picked) and is reported as a :class:`~alabelbox.RecordValidationError`.
* **The types say so**: a field ``x: Lenient[int | None]`` is typed ``int | None | Unrecognized``, so code that
  type-checks narrows it (``if isinstance(row.media_attributes, MediaAttributes): ...``) instead of trusting
  that Labelbox never changes a shape.
* **Nothing is altered**: validation is strict (nothing is coerced: ``"5.249"`` stays that string, ``1`` is not
  ``True``, ``1`` is not ``1.0``; timestamps stay strings), so ``model_dump(mode="json", by_alias=True,
  exclude_unset=True)`` gives back the value that was read, with the same JSON types. Keys absent from the input
  stay absent (``exclude_unset``); ``null`` stays ``null``.
* **Key order**: a dump lists a model's declared fields in declaration order, then its extra keys in input order.
  The fields are declared in the order most real exports write them, so most rows dump with their keys in the same
  order (the roof-wear, radar_tracker and okavango exports do). Labelbox has not always used one order (legacy
  objects put ``color`` before or after ``title``; one export v2 fixture has ``external_id`` before
  ``global_key``): such rows dump equal as JSON, not key for key. Keeping each input's order would cost a record of
  the order on every instance, on the per-record path; it is not done.

Annotations are validated on first access
-----------------------------------------
Creating a model instance for every object and classification of every label is most of what typed reading costs.
So :attr:`ExportLabel.annotations` is read as the parsed JSON and validated the first time it is read (then kept on
the label): a pipeline that reads rows for their data rows, projects or label details does not pay for annotations
nobody looks at, and one that reads them pays once, for the same typed value, with the same policy (the schema is
the same; the JSON values are the same). A label never looked into dumps back exactly the JSON it was read from,
keys in input order; :func:`drift` reads the typed value. See ``alabelbox/types/_deferred.py``.

No strict mode
--------------
There is no strict validation mode, on purpose: a schema that rejects unknown shapes would reject exactly the records
this package promises to read, and would stop at the first difference. To detect drift, read leniently and ask
:func:`drift` (``drift(row)`` lists every :class:`Unrecognized` value, unknown key and unknown annotation kind, with
its path); a pipeline that wants a gate raises when it is not empty. This costs nothing on the reading path.
"""

from __future__ import annotations

from alabelbox.types._base import Lenient, Unrecognized
from alabelbox.types._drift import Drift, drift
from alabelbox.types.annotation_import import (
    AnnotationError,
    AnnotationImport,
    AnnotationStatus,
    ImportJob,
    ImportKind,
    ImportState,
)
from alabelbox.types.annotations import (
    BoundingBox,
    ConversationalLocation,
    ConversationalTextEntity,
    Coordinate,
    DICOMGroup,
    DICOMPolyline,
    DICOMSegmentationMask,
    DocumentBoundingBox,
    DocumentEntity,
    DocumentEntityToken,
    DocumentLocation,
    DocumentTokenGroup,
    ExportAnnotation,
    ExportRelationship,
    GenericAnnotation,
    GeoBoundingBox,
    GeoJsonGeometry,
    GeoPoint,
    GeoPolygon,
    GeoPolyline,
    GeospatialAnnotation,
    ImageBoundingBox,
    ImagePoint,
    ImagePolygon,
    ImagePolyline,
    ImageSegmentationMask,
    KnownAnnotation,
    LabelAnnotations,
    MaskRef,
    RelationshipEnds,
    TextEntity,
    TextLocation,
    VideoBoundingBox,
    VideoFrame,
    VideoPoint,
    VideoPolyline,
    VideoSegmentationMask,
)
from alabelbox.types.attachments import Attachment, AttachmentType
from alabelbox.types.batch import Batch, BatchCreation, BatchCreations, BatchSpec
from alabelbox.types.classifications import ClassificationAnswer, ExportClassification, TextAnswer
from alabelbox.types.data_row import CustomMetadataValue, DataRowDataset, DataRowMetadataField, DatasetDataRow
from alabelbox.types.dataset import Dataset
from alabelbox.types.deletion import BatchLabelDeletion, BulkLabelDeletion, LabelDeletion
from alabelbox.types.export_label import ExportLabel, LabelDetails, LabelReview, PerformanceDetails
from alabelbox.types.export_row import (
    DataRow,
    DataRowAttachment,
    DataRowDetails,
    DataRowEmbedding,
    EmbeddingValue,
    ExportExperiment,
    ExportModelRun,
    ExportProject,
    ExportRow,
    MediaAttributes,
    MetadataField,
    ProjectDetails,
    WorkflowHistoryEntry,
)
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import DownloadProgress, ExportMetadata, ExportTask, StreamType
from alabelbox.types.foundry_app import FoundryApp
from alabelbox.types.global_keys import (
    AssignedGlobalKey,
    AssignGlobalKeysResult,
    ClearGlobalKeysResult,
    GlobalKeyAssignment,
    GlobalKeyError,
    GlobalKeyLookup,
    JobStatus,
)
from alabelbox.types.import_annotations import (
    ImportAnnotation,
    ImportAnswer,
    ImportBoundingBox,
    ImportBox,
    ImportChecklist,
    ImportConversationEntity,
    ImportDataRow,
    ImportDocumentEntity,
    ImportFrameRange,
    ImportKeyframe,
    ImportMask,
    ImportMaskData,
    ImportNestedChecklist,
    ImportNestedClassification,
    ImportNestedRadio,
    ImportNestedText,
    ImportPoint,
    ImportPolygon,
    ImportPolyline,
    ImportRadio,
    ImportRelationship,
    ImportRelationshipEnds,
    ImportSegment,
    ImportSpan,
    ImportText,
    ImportTextEntity,
    ImportTextSelection,
    ImportVideoObject,
    ImportXY,
    validate_import_record,
)
from alabelbox.types.ingestion import (
    AttachmentSpec,
    DataRowKey,
    DataRowSpec,
    FailedDataRow,
    IngestProgress,
    IngestResult,
    MetadataFieldSpec,
    RowData,
)
from alabelbox.types.label import Label, LabelDataRow, LabelOrder, LabelProject, LabelType, LabelTypeName, Review
from alabelbox.types.legacy import (
    LegacyAnswer,
    LegacyBoundingBox,
    LegacyClassification,
    LegacyExportResult,
    LegacyLabel,
    LegacyLabelRow,
    LegacyObject,
    LegacyPoint,
    LegacyReview,
    LegacyVideoFrame,
    LegacyWorkflowHistoryEntry,
    LegacyWorkflowInfo,
)
from alabelbox.types.member import ProjectMember
from alabelbox.types.metadata import (
    DataRowMetadata,
    MetadataDeletion,
    MetadataFailure,
    MetadataKind,
    MetadataOntology,
    MetadataSchema,
    MetadataValue,
)
from alabelbox.types.model import Model
from alabelbox.types.model_run import (
    ConflictResolutionStrategy,
    DataSplit,
    ModelRun,
    ModelRunDataRow,
    ModelRunStatus,
    ModelRunTask,
)
from alabelbox.types.ontology import (
    Classification,
    ClassificationType,
    FeatureSchema,
    FeatureSchemaRemoval,
    Ontology,
    OntologyBuilder,
    Option,
    Scope,
    Tool,
    ToolType,
    UIMode,
)
from alabelbox.types.organization import (
    IamIntegration,
    Invite,
    InviteLimit,
    InviteResult,
    InviteStatus,
    Organization,
    ProjectInvite,
    ResourceTag,
    Role,
)
from alabelbox.types.project import (
    EditorTaskType,
    LabelingFrontend,
    MediaType,
    OntologyRef,
    OrganizationRef,
    Project,
    QualityMode,
)
from alabelbox.types.quality import Benchmark, LabelerPerformance, NetScore
from alabelbox.types.send_to_annotate import PredictionsSentToProject, SendToAnnotateParams
from alabelbox.types.slice import Slice, SliceDataRow
from alabelbox.types.task import Task, TaskStatus
from alabelbox.types.user import User, UserRef
from alabelbox.types.webhook import Webhook, WebhookStatus, WebhookTopic
from alabelbox.types.workflow import LabelingPriority, ProjectOverview, TaskQueue

__all__ = [
    "AnnotationError",
    "AnnotationImport",
    "AnnotationStatus",
    "AssignGlobalKeysResult",
    "AssignedGlobalKey",
    "Attachment",
    "AttachmentSpec",
    "AttachmentType",
    "Batch",
    "BatchCreation",
    "BatchCreations",
    "BatchLabelDeletion",
    "BatchSpec",
    "Benchmark",
    "BoundingBox",
    "BulkLabelDeletion",
    "Classification",
    "ClassificationAnswer",
    "ClassificationType",
    "ClearGlobalKeysResult",
    "ConflictResolutionStrategy",
    "ConversationalLocation",
    "ConversationalTextEntity",
    "Coordinate",
    "CustomMetadataValue",
    "DICOMGroup",
    "DICOMPolyline",
    "DICOMSegmentationMask",
    "DataRow",
    "DataRowAttachment",
    "DataRowDataset",
    "DataRowDetails",
    "DataRowEmbedding",
    "DataRowKey",
    "DataRowMetadata",
    "DataRowMetadataField",
    "DataRowSpec",
    "DataSplit",
    "Dataset",
    "DatasetDataRow",
    "DocumentBoundingBox",
    "DocumentEntity",
    "DocumentEntityToken",
    "DocumentLocation",
    "DocumentTokenGroup",
    "DownloadProgress",
    "Drift",
    "EditorTaskType",
    "EmbeddingValue",
    "ExportAnnotation",
    "ExportClassification",
    "ExportExperiment",
    "ExportLabel",
    "ExportMetadata",
    "ExportModelRun",
    "ExportProject",
    "ExportRelationship",
    "ExportRow",
    "ExportShard",
    "ExportTask",
    "FailedDataRow",
    "FeatureSchema",
    "FeatureSchemaRemoval",
    "FoundryApp",
    "GenericAnnotation",
    "GeoBoundingBox",
    "GeoJsonGeometry",
    "GeoPoint",
    "GeoPolygon",
    "GeoPolyline",
    "GeospatialAnnotation",
    "GlobalKeyAssignment",
    "GlobalKeyError",
    "GlobalKeyLookup",
    "IamIntegration",
    "ImageBoundingBox",
    "ImagePoint",
    "ImagePolygon",
    "ImagePolyline",
    "ImageSegmentationMask",
    "ImportAnnotation",
    "ImportAnswer",
    "ImportBoundingBox",
    "ImportBox",
    "ImportChecklist",
    "ImportConversationEntity",
    "ImportDataRow",
    "ImportDocumentEntity",
    "ImportFrameRange",
    "ImportJob",
    "ImportKeyframe",
    "ImportKind",
    "ImportMask",
    "ImportMaskData",
    "ImportNestedChecklist",
    "ImportNestedClassification",
    "ImportNestedRadio",
    "ImportNestedText",
    "ImportPoint",
    "ImportPolygon",
    "ImportPolyline",
    "ImportRadio",
    "ImportRelationship",
    "ImportRelationshipEnds",
    "ImportSegment",
    "ImportSpan",
    "ImportState",
    "ImportText",
    "ImportTextEntity",
    "ImportTextSelection",
    "ImportVideoObject",
    "ImportXY",
    "IngestProgress",
    "IngestResult",
    "Invite",
    "InviteLimit",
    "InviteResult",
    "InviteStatus",
    "JobStatus",
    "KnownAnnotation",
    "Label",
    "LabelAnnotations",
    "LabelDataRow",
    "LabelDeletion",
    "LabelDetails",
    "LabelOrder",
    "LabelProject",
    "LabelReview",
    "LabelType",
    "LabelTypeName",
    "LabelerPerformance",
    "LabelingFrontend",
    "LabelingPriority",
    "LegacyAnswer",
    "LegacyBoundingBox",
    "LegacyClassification",
    "LegacyExportResult",
    "LegacyLabel",
    "LegacyLabelRow",
    "LegacyObject",
    "LegacyPoint",
    "LegacyReview",
    "LegacyVideoFrame",
    "LegacyWorkflowHistoryEntry",
    "LegacyWorkflowInfo",
    "Lenient",
    "MaskRef",
    "MediaAttributes",
    "MediaType",
    "MetadataDeletion",
    "MetadataFailure",
    "MetadataField",
    "MetadataFieldSpec",
    "MetadataKind",
    "MetadataOntology",
    "MetadataSchema",
    "MetadataValue",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "ModelRunStatus",
    "ModelRunTask",
    "NetScore",
    "Ontology",
    "OntologyBuilder",
    "OntologyRef",
    "Option",
    "Organization",
    "OrganizationRef",
    "PerformanceDetails",
    "PredictionsSentToProject",
    "Project",
    "ProjectDetails",
    "ProjectInvite",
    "ProjectMember",
    "ProjectOverview",
    "QualityMode",
    "RelationshipEnds",
    "ResourceTag",
    "Review",
    "Role",
    "RowData",
    "Scope",
    "SendToAnnotateParams",
    "Slice",
    "SliceDataRow",
    "StreamType",
    "Task",
    "TaskQueue",
    "TaskStatus",
    "TextAnswer",
    "TextEntity",
    "TextLocation",
    "Tool",
    "ToolType",
    "UIMode",
    "Unrecognized",
    "User",
    "UserRef",
    "VideoBoundingBox",
    "VideoFrame",
    "VideoPoint",
    "VideoPolyline",
    "VideoSegmentationMask",
    "Webhook",
    "WebhookStatus",
    "WebhookTopic",
    "WorkflowHistoryEntry",
    "drift",
    "validate_import_record",
]
