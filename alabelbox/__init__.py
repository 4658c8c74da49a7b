"""alabelbox: the asyncio-native client for the Labelbox API.

The public surface: :class:`Client` and its configuration, the error tree, :class:`Paginator`, the export task and
stream types, and the incremental reader :func:`read_records`. Models live in :mod:`alabelbox.types`, the emulator in
:mod:`alabelbox.testing`.
"""

from __future__ import annotations

from alabelbox._client import Client
from alabelbox._config import USE_CLIENT_DEFAULT, Limits, RetryConfig, Timeout
from alabelbox._exceptions import (
    ApiLimitError,
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
    IncompleteExportError,
    InternalServerError,
    InvalidArgumentError,
    InvalidQueryError,
    LabelboxError,
    MalformedQueryException,
    MalformedRequestError,
    NetworkError,
    OperationNotAllowedError,
    OperationNotAllowedException,
    PaginationError,
    RecordValidationError,
    ResourceConflict,
    ResourceConflictError,
    ResourceNotFoundError,
    TimeoutError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    ValidationFailedError,
)
from alabelbox._export_filters import ExportFilters, ExportParams
from alabelbox._filters import LabelFilter
from alabelbox._pagination import CursorPage, Page, PageIterator, Paginator
from alabelbox._streaming import Record, RecordReader, read_records
from alabelbox._transport import PoolStatistics
from alabelbox._version import __version__
from alabelbox.types.export_task import ExportTask, StreamType

__all__ = [
    "ApiLimitError",
    "AuthenticationError",
    "AuthorizationError",
    "Client",
    "ClientStateError",
    "CursorPage",
    "EndpointError",
    "ExportDataError",
    "ExportDownloadError",
    "ExportError",
    "ExportFilters",
    "ExportParams",
    "ExportParseError",
    "ExportStreamNotFoundError",
    "ExportTask",
    "ExportTaskFailedError",
    "ExportTimeoutError",
    "IncompleteExportError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidQueryError",
    "LabelFilter",
    "LabelboxError",
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
    "ResourceConflict",
    "ResourceConflictError",
    "ResourceNotFoundError",
    "RetryConfig",
    "StreamType",
    "Timeout",
    "TimeoutError",
    "USE_CLIENT_DEFAULT",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "ValidationFailedError",
    "__version__",
    "read_records",
]
