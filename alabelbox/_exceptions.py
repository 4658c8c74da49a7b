"""The alabelbox error tree.

Every error alabelbox raises derives from :class:`LabelboxError`. Foreign errors (aiohttp, gql, pydantic) are
mapped to these once, at the edge that sees them, and chained with ``raise ... from``.

No error carries a secret: every attribute given to an error (its message, the raw GraphQL ``errors``, a body
excerpt, ...) is redacted deeply of the API key and of signed-URL queries as it is set (see
:mod:`alabelbox._secrets`), so ``str``, ``repr``, the attributes and the pickle are clean whatever a server echoed.

Names follow the official SDK's ``labelbox.exceptions`` where it has one, so a migrating user's ``except``
clauses read the same; where the SDK's name does not end in ``Error`` the SDK spelling is kept as an alias.

Errors come in groups, so that an ``except`` clause can say what kind of failure it handles:

- :class:`ApiStatusError`: the server answered, with an error (it carries ``status`` and the GraphQL ``code``);
- :class:`ApiConnectionError`: the request did not get through (the connection failed, or it timed out);
- :class:`UnexpectedResponseError`: the server answered, but not as the protocol says (not JSON, an unknown code,
  an answer that does not fit the model: :class:`ResponseModelError`);
- :class:`StateError`: an object was used in a state that does not allow it (a closed client, a stream entered
  twice); :class:`InvalidArgumentError`: an argument was rejected before any request was sent.

Whether an error may be retried follows from its class: :attr:`LabelboxError.retryable` says so, and
:attr:`LabelboxError.request_not_run` says whether the server surely did not run the request (what makes retrying
a mutation safe). :mod:`alabelbox._retry` and the command line read these two properties and list no classes.

::

    LabelboxError
    ├── ApiStatusError ................. the server answered with an error (``status``, ``code``)
    │   ├── AuthenticationError ........ no key, a wrong key: AUTHENTICATION_ERROR, HTTP 401
    │   ├── AuthorizationError ......... AUTHORIZATION_ERROR, HTTP 403
    │   ├── InvalidQueryError .......... GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
    │   │                                INTERNAL_SERVER_ERROR with status 400
    │   ├── ValidationFailedError ...... GRAPHQL_VALIDATION_FAILED "Query complexity limit exceeded"
    │   ├── ApiLimitError .............. HTTP 429 (carries ``retry_after``)                     retryable, not run
    │   ├── ResourceNotFoundError ...... RESOURCE_NOT_FOUND (raised, never returned as None as the SDK does)
    │   ├── ResourceConflictError ...... RESOURCE_CONFLICT, HTTP 409            (alias ResourceConflict)
    │   ├── MalformedRequestError ...... MALFORMED_REQUEST                      (alias MalformedQueryException)
    │   ├── UnprocessableEntityError ... INTERNAL_SERVER_ERROR with status 422
    │   ├── OperationNotAllowedError ... OPERATION_NOT_ALLOWED, status 426      (alias OperationNotAllowedException)
    │   └── InternalServerError ........ HTTP 5xx, INTERNAL_SERVER_ERROR                  retryable when 5xx
    ├── ApiConnectionError ............. the request did not get through                          retryable
    │   ├── NetworkError ............... the connection failed or was reset          not run if not request_sent
    │   │   └── EndpointError .......... the host does not resolve, nothing listens, TLS fails     not retryable
    │   └── RequestTimeoutError ........ a request ran out of time (also LabelboxTimeoutError)
    ├── UnexpectedResponseError ........ a body that is not JSON, an unknown error code, another 4xx (404 too)
    │   └── ResponseModelError ......... the answer does not fit the model the client expects
    ├── LabelboxTimeoutError ........... something ran out of time (also the builtin TimeoutError;
    │   │                                exported as ``alabelbox.TimeoutError``, the SDK's name)
    │   ├── RequestTimeoutError ........ (above)
    │   └── WaitTimeoutError ........... a wait for a task ran out of its ``wait_timeout``          not retryable
    │       └── ExportTimeoutError ..... waiting for an export task ran out of time (also ExportError)
    ├── StateError ..................... an object used in a state that forbids it (also a RuntimeError)
    │   ├── ClientStateError ........... a closed client was used, or a client was entered twice
    │   └── StreamStateError ........... a stream entered twice, or iterated without ``async with``
    ├── InvalidArgumentError ........... an argument was rejected before any request (also a ValueError)
    │   └── AnnotationValidationError .. an annotation import record does not fit (``index``, ``field``)
    ├── PaginationError ................ the server said "more" but the cursor did not move
    ├── TaskFailedError ................ a server-side task ended FAILED or was canceled (``task_id``, ``errors``)
    │   └── ImportFailedError .......... an annotation import failed, or some of its annotations did
    ├── IngestError .................... a data-row ingestion stopped before the end of its input (``result``)
    ├── WebhookSignatureError .......... a webhook delivery's signature is missing or wrong (also a ValueError)
    └── ExportError .................... anything about an export task or its stream
        ├── ExportTaskFailedError ...... the task ended FAILED (also TaskFailedError)
        ├── ExportStreamNotFoundError .. the task has no stream of that type
        ├── ExportDownloadError ........ a shard could not be downloaded, or its length was wrong
        │   ├── SignedUrlExpiredError .. a key-less reader's signed URL was refused: sign it again, re-plan
        │   └── ShardReadError ......... a cluster worker's shard failed every whole read
        └── ExportDataError ............ the bytes of an export are not what they should be
            ├── ExportParseError ....... malformed JSON (byte offset, line, excerpt)
            ├── IncompleteExportError .. the stream ended inside a record
            └── RecordValidationError .. a record does not fit its model (position, field path)
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from alabelbox._secrets import redact_text, redact_value

__all__ = [
    "AnnotationValidationError",
    "ApiConnectionError",
    "ApiLimitError",
    "ApiStatusError",
    "AuthenticationError",
    "AuthorizationError",
    "ClientStateError",
    "EndpointError",
    "ExportDataError",
    "ExportDownloadError",
    "ExportError",
    "ExportParseError",
    "ExportStreamNotFoundError",
    "ExportTaskFailedError",
    "ExportTimeoutError",
    "ImportFailedError",
    "IncompleteExportError",
    "IngestError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidQueryError",
    "LabelboxError",
    "LabelboxTimeoutError",
    "MalformedQueryException",
    "MalformedRequestError",
    "NetworkError",
    "OperationNotAllowedError",
    "OperationNotAllowedException",
    "PaginationError",
    "RecordValidationError",
    "RequestTimeoutError",
    "ResourceConflict",
    "ResourceConflictError",
    "ResourceNotFoundError",
    "ResponseModelError",
    "ShardReadError",
    "SignedUrlExpiredError",
    "StateError",
    "StreamStateError",
    "TaskFailedError",
    "TimeoutError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "ValidationFailedError",
    "WaitTimeoutError",
    "WebhookSignatureError",
]


class LabelboxError(Exception):
    """Base class of every error alabelbox raises.

    Attributes:
        message: What went wrong, in the server's words where there are any.
        operation: The GraphQL operation name (or HTTP method and path) that failed, if known.
        status: The HTTP status of the response, if there was one. For a GraphQL INTERNAL_SERVER_ERROR, the
            status the server reported in ``extensions.exception.status``, when it did.
        code: The GraphQL ``extensions.code`` of the first error, if there was one.
        errors: The raw ``errors`` payload of the response, if there was one (redacted of secrets).
    """

    _retryable: ClassVar[bool] = False
    _request_not_run: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status: int | None = None,
        code: str | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        message = redact_text(message)
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.code = code
        self.errors: list[Mapping[str, Any]] = list(errors) if errors else []

    def __setattr__(self, name: str, value: Any) -> None:
        # Every attribute, including those subclasses and callers add later, is kept free of secrets.
        super().__setattr__(name, redact_value(value))

    def __str__(self) -> str:
        context = [
            part
            for part in (
                self.operation and f"operation {self.operation}",
                self.status is not None and f"HTTP {self.status}",
                self.code,
            )
            if part
        ]
        return f"{self.message} ({', '.join(context)})" if context else self.message

    @property
    def retryable(self) -> bool:
        """Whether running the request again may succeed (a rate limit, a lost connection, a 5xx, a timeout)."""
        return self._retryable

    @property
    def request_not_run(self) -> bool:
        """Whether the server surely did not run the request, so that even a mutation may be sent again."""
        return self._request_not_run

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, operation={self.operation!r}, "
            f"status={self.status!r}, code={self.code!r})"
        )

    def __reduce__(self) -> Any:
        # The default rebuilds an exception as ``cls(*args)``, which fails for keyword-only attributes; rebuild it
        # from its (already redacted) attributes instead, so it crosses a process boundary (Dask, Ray) whole.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class ApiStatusError(LabelboxError):
    """Base class of the errors the server answered with: ``status`` and ``code`` say which."""


class ApiConnectionError(LabelboxError):
    """Base class of the errors where the request did not get through: the connection failed or timed out."""

    _retryable = True


class AuthenticationError(ApiStatusError):
    """Raised when no API key is configured or the server rejects the key."""


class AuthorizationError(ApiStatusError):
    """Raised when the key is valid but may not do what was asked."""


class InvalidQueryError(ApiStatusError):
    """Raised when the server rejects the GraphQL document or its arguments as invalid."""


class ValidationFailedError(ApiStatusError):
    """Raised when a query fails the server's cost checks ("Query complexity limit exceeded")."""


class ApiLimitError(ApiStatusError):
    """Raised when the API rate limit is exceeded (HTTP 429).

    Attributes:
        retry_after: Seconds the server asked us to wait, from ``Retry-After``; None if it did not say.
    """

    _retryable = True
    _request_not_run = True  # the server did not run a rate-limited request, mutation or not

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ResourceNotFoundError(ApiStatusError):
    """Raised when the requested resource does not exist (the SDK returns None here; alabelbox raises)."""


class ResourceConflictError(ApiStatusError):
    """Raised when a resource conflicts with another one."""


class MalformedRequestError(ApiStatusError):
    """Raised when the server answers MALFORMED_REQUEST."""


class UnprocessableEntityError(ApiStatusError):
    """Raised when the server understood the request but cannot process it (status 422)."""


class OperationNotAllowedError(ApiStatusError):
    """Raised when the operation is not allowed, e.g. a plan limit was reached (status 426)."""


class InternalServerError(ApiStatusError):
    """Raised when the server failed (HTTP 5xx, or INTERNAL_SERVER_ERROR with a 5xx status). Retried."""

    @property
    def retryable(self) -> bool:
        """A 5xx (or no status) may pass on a second try; a 4xx reported as INTERNAL_SERVER_ERROR will not."""
        return self.status is None or self.status >= 500


class UnexpectedResponseError(LabelboxError):
    """Raised when the response is not what the protocol says: not JSON, an unknown error code, another 4xx.

    Attributes:
        body_excerpt: The first bytes of the body, decoded leniently, for diagnosis.
    """

    def __init__(self, message: str, *, body_excerpt: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.body_excerpt = body_excerpt


class ResponseModelError(UnexpectedResponseError):
    """Raised when an answer lacks a field the client reads, or does not fit the model the client expects."""


class NetworkError(ApiConnectionError):
    """Raised when the connection could not be made or was lost.

    Attributes:
        request_sent: False when the connection failed before the request went out, so the server surely did not
            run it (what makes retrying a mutation safe).
    """

    def __init__(self, message: str, *, request_sent: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.request_sent = request_sent

    @property
    def request_not_run(self) -> bool:
        """True when the connection failed before the request went out."""
        return not self.request_sent


class EndpointError(NetworkError):
    """Raised when the endpoint is wrong in a way retrying cannot fix: its host does not resolve, nothing listens on
    its port, or the TLS handshake fails (an ``https://`` URL for a plain-HTTP server). Not retried."""

    _retryable = False

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("request_sent", False)
        super().__init__(message, **kwargs)


class LabelboxTimeoutError(LabelboxError, builtins.TimeoutError):
    """Raised when something ran out of time. Also catchable as the builtin ``TimeoutError``.

    Exported as ``alabelbox.TimeoutError``, the official SDK's name. Raised as such it is a request's timeout
    (retryable); :class:`RequestTimeoutError` and :class:`WaitTimeoutError` say which kind it was.
    """

    _retryable = True


class RequestTimeoutError(ApiConnectionError, LabelboxTimeoutError):
    """Raised when a request ran out of its ``timeout`` (connecting, or reading the answer). Retried."""


class WaitTimeoutError(LabelboxTimeoutError):
    """Raised when waiting for a task ran out of its ``wait_timeout``. The task goes on on the server.

    Not retried: the wait is the caller's budget, not a failed request.
    """

    _retryable = False


class StateError(LabelboxError, RuntimeError):
    """Base class of the errors raised when an object is used in a state that does not allow it."""


class ClientStateError(StateError):
    """Raised when a client is used after ``aclose()`` or entered twice."""


class StreamStateError(StateError):
    """Raised when an export stream is entered twice, or iterated outside its ``async with`` block."""


class InvalidArgumentError(LabelboxError, ValueError):
    """Raised when an argument is rejected before any request is sent.

    Attributes:
        argument: The name of the offending argument.
    """

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument


class AnnotationValidationError(InvalidArgumentError):
    """Raised when an annotation import record does not fit the import format, before anything is sent.

    Attributes:
        index: The record's 0-based position in the import.
        field: The path of the offending member inside the record (``bbox.left``, ``classifications[0].answer``),
            empty when the record as a whole is wrong.
    """

    def __init__(self, index: int, field: str, message: str) -> None:
        where = f"records[{index}]" + (f".{field}" if field else "")
        super().__init__(where, message)
        self.index = index
        self.field = field


class PaginationError(LabelboxError):
    """Raised when a cursor listing cannot make progress (the server says "more" but the cursor did not move)."""


class IngestError(LabelboxError):
    """Raised when a data-row ingestion stops before the end of its input; ``result`` says what was sent and applied.

    Attributes:
        result: The ``IngestResult`` so far: every spec before ``result.next_index`` was sent exactly once (resume
            from there), and ``result.failed`` lists the rows the server refused.
    """

    def __init__(self, message: str, result: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.result = result


class WebhookSignatureError(LabelboxError, ValueError):
    """Raised when a webhook delivery's signature is missing or does not match its body and secret."""


class ExportError(LabelboxError):
    """Base class of errors about an export task or its stream."""


class TaskFailedError(LabelboxError):
    """Raised when a server-side task ends FAILED or is canceled.

    Attributes:
        task_id: The task's id.
        errors: What the server reported as the task's errors (a list of objects).
    """

    def __init__(
        self,
        message: str,
        *,
        task_id: str | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation, errors=errors)
        self.task_id = task_id


class ImportFailedError(TaskFailedError):
    """Raised by a wait on an annotation import that failed as a whole, or in which some annotations failed.

    Attributes:
        import_ids: The ids of the imports (one per part of a split import) that failed or hold failures;
            ``task_id`` is the first of them.
        failed: How many annotations failed (counted over the error files).
        first_errors: The first few failure statuses (``uuid``, ``dataRow``, ``errors``), as the API wrote them.
    """

    def __init__(self, message: str, *, import_ids: Sequence[str], failed: int, first_errors: Sequence[Any]) -> None:
        super().__init__(message, task_id=import_ids[0] if import_ids else None, errors=list(first_errors))
        self.import_ids = list(import_ids)
        self.failed = failed
        self.first_errors = list(first_errors)


class ExportTaskFailedError(ExportError, TaskFailedError):
    """Raised when an export task ends FAILED. ``errors`` holds what the server reported."""


class ExportTimeoutError(ExportError, WaitTimeoutError):
    """Raised when waiting for an export task runs out of time. The task goes on on the server."""


class ExportStreamNotFoundError(ExportError):
    """Raised when the task has no stream of the requested type (its metadata header is null)."""


class ExportDownloadError(ExportError):
    """Raised when a shard cannot be downloaded after retries, or its length does not match its range."""


class SignedUrlExpiredError(ExportDownloadError):
    """Raised when the storage refuses a signed shard URL (expired) that the reader cannot sign again itself.

    A reader without a key (:class:`~alabelbox.SignedShardReader`) cannot get a fresh URL: the shard must be signed
    again where a client is (``client.exports.sign(shard)``) and read anew. A retry with the same URL would fail
    the same way, so this is not retried; any other :class:`ExportDownloadError` already was.
    """


class ShardReadError(ExportDownloadError):
    """Raised on a Dask or Ray worker when one shard failed each of its whole reads; it chains the last error."""


class ExportDataError(ExportError):
    """Base class of errors about the bytes of an export.

    Attributes:
        offset: Byte offset in the stream where the problem is (or the last good position).
        line: Line number (0-based, NDJSON) where the problem is, if known.
        excerpt: A short excerpt of the bytes around the problem.
    """

    def __init__(
        self,
        message: str,
        *,
        offset: int | None = None,
        line: int | None = None,
        excerpt: str = "",
        **kwargs: Any,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                f"byte offset {offset}" if offset is not None else "",
                f"line {line}" if line is not None else "",
            )
            if part
        )
        full = f"{message} at {where}" if where else message
        if excerpt:
            full = f"{full}: {excerpt!r}"
        super().__init__(full, **kwargs)
        self.offset = offset
        self.line = line
        self.excerpt = excerpt


class ExportParseError(ExportDataError):
    """Raised when an export holds malformed JSON."""


class IncompleteExportError(ExportDataError):
    """Raised when a stream ends inside a record.

    ``offset`` and ``line`` are those just after the last complete record: resume from there.
    """


class RecordValidationError(ExportDataError):
    """Raised when a record does not fit its model.

    Attributes:
        field_path: The dotted path of the first failing field, e.g. ``projects.<id>.labels.0.id``.
        validation_errors: pydantic's list of errors.
    """

    def __init__(
        self,
        message: str,
        *,
        field_path: str = "",
        validation_errors: Sequence[Mapping[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.field_path = field_path
        self.validation_errors = list(validation_errors)


def _rebuild(cls: type[LabelboxError], args: tuple[Any, ...], state: dict[str, Any]) -> LabelboxError:
    """An unpickled error: its arguments and attributes set again (and redacted again, by ``__setattr__``)."""
    error = cls.__new__(cls)
    error.args = args
    for name, value in state.items():
        setattr(error, name, value)
    return error


ResourceConflict = ResourceConflictError
MalformedQueryException = MalformedRequestError
OperationNotAllowedException = OperationNotAllowedError
TimeoutError = LabelboxTimeoutError  # the official SDK's name, for ``except`` clauses that migrate
