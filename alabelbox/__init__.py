"""alabelbox: the asyncio-native client for the Labelbox API.

The public surface: :class:`Client` and its configuration, the error tree, :class:`Paginator`, the export task and
stream types, the incremental reader :func:`read_records`, and the converters between export labels and annotation
import records (:func:`label_to_import_records`, :func:`import_records_to_annotations`). Models live in
:mod:`alabelbox.types`, the emulator in :mod:`alabelbox.testing`.
"""

from __future__ import annotations

from alabelbox._client import Client
from alabelbox._cluster import read_shard
from alabelbox._config import USE_CLIENT_DEFAULT, Limits, RetryConfig, Timeout
from alabelbox._credentials import ApiKey, ClientSpec
from alabelbox._exceptions import (
    AnnotationValidationError,
    ApiConnectionError,
    ApiLimitError,
    ApiStatusError,
    AuthenticationError,
    AuthorizationError,
    ClientStateError,
    EndpointError,
    ExportDataError,
    ExportDownloadError,
    ExportError,
    ExportParseError,
    ExportStreamNotFoundError,
    ExportTaskFailedError,
    ExportTimeoutError,
    ImportFailedError,
    IncompleteExportError,
    IngestError,
    InternalServerError,
    InvalidArgumentError,
    InvalidQueryError,
    LabelboxError,
    LabelboxTimeoutError,
    MalformedQueryException,
    MalformedRequestError,
    NetworkError,
    OperationNotAllowedError,
    OperationNotAllowedException,
    PaginationError,
    RecordValidationError,
    RequestTimeoutError,
    ResourceConflict,
    ResourceConflictError,
    ResourceNotFoundError,
    ResponseModelError,
    ShardReadError,
    SignedUrlExpiredError,
    StateError,
    StreamStateError,
    TaskFailedError,
    TimeoutError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    ValidationFailedError,
    WaitTimeoutError,
    WebhookSignatureError,
)
from alabelbox._exports.filters import ExportFilters, ExportParams
from alabelbox._filters import LabelFilter
from alabelbox._import_convert import import_records_to_annotations, label_to_import_records
from alabelbox._pagination import CursorPage, Page, PageIterator, Paginator
from alabelbox._signed_shard import SignedShardReader
from alabelbox._streaming import Record, RecordReader, read_records
from alabelbox._transport import PoolStatistics
from alabelbox._version import __version__
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import ExportTask, StreamType
from alabelbox.types.ingestion import DataRowKey, DataRowSpec, IngestResult
from alabelbox.types.task import Task, TaskStatus

__all__ = [
    "AnnotationValidationError",
    "ApiConnectionError",
    "ApiKey",
    "ApiLimitError",
    "ApiStatusError",
    "AuthenticationError",
    "AuthorizationError",
    "Client",
    "ClientSpec",
    "ClientStateError",
    "CursorPage",
    "DataRowKey",
    "DataRowSpec",
    "EndpointError",
    "ExportDataError",
    "ExportDownloadError",
    "ExportError",
    "ExportFilters",
    "ExportParams",
    "ExportParseError",
    "ExportShard",
    "ExportStreamNotFoundError",
    "ExportTask",
    "ExportTaskFailedError",
    "ExportTimeoutError",
    "ImportFailedError",
    "IncompleteExportError",
    "IngestError",
    "IngestResult",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidQueryError",
    "LabelFilter",
    "LabelboxError",
    "LabelboxTimeoutError",
    "Limits",
    "MalformedQueryException",
    "MalformedRequestError",
    "NetworkError",
    "OperationNotAllowedError",
    "OperationNotAllowedException",
    "Page",
    "PageIterator",
    "PaginationError",
    "Paginator",
    "PoolStatistics",
    "Record",
    "RecordReader",
    "RecordValidationError",
    "RequestTimeoutError",
    "ResourceConflict",
    "ResourceConflictError",
    "ResourceNotFoundError",
    "ResponseModelError",
    "RetryConfig",
    "ShardReadError",
    "SignedShardReader",
    "SignedUrlExpiredError",
    "StateError",
    "StreamStateError",
    "StreamType",
    "Task",
    "TaskFailedError",
    "TaskStatus",
    "Timeout",
    "TimeoutError",
    "USE_CLIENT_DEFAULT",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "ValidationFailedError",
    "WaitTimeoutError",
    "WebhookSignatureError",
    "__version__",
    "import_records_to_annotations",
    "label_to_import_records",
    "read_records",
    "read_shard",
]
