"""The one place where HTTP answers and aiohttp errors become alabelbox errors.

``map_response`` follows the official SDK's mapping (docs/wire.md, "Errors"), with three deliberate differences:
resource-not-found raises instead of returning None, 429 is an :class:`ApiLimitError` carrying ``Retry-After``
(and is retried), and an INTERNAL_SERVER_ERROR keeps the status the server reported, so that the retry policy can
tell a 503 from a 400.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn
from urllib.parse import urlsplit

import aiohttp
from pydantic_core import from_json

from alabelbox._constants import BODY_EXCERPT_BYTES
from alabelbox._exceptions import (
    ApiLimitError,
    AuthenticationError,
    AuthorizationError,
    EndpointError,
    InternalServerError,
    InvalidQueryError,
    LabelboxError,
    MalformedRequestError,
    NetworkError,
    OperationNotAllowedError,
    RequestTimeoutError,
    ResourceConflictError,
    ResourceNotFoundError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    ValidationFailedError,
)
from alabelbox._retry import parse_retry_after
from alabelbox._secrets import cut, redact_text

__all__ = [
    "Redactor",
    "excerpt",
    "iter_body",
    "loads",
    "map_client_error",
    "map_client_errors",
    "map_graphql_errors",
    "map_response",
    "map_rest_response",
    "one_line",
    "raise_mapped",
]

Redactor = Callable[[str], str]

_RESET_MARKER = "upstream connect error or disconnect/reset before headers"

_CODE_TO_ERROR: dict[str, type[LabelboxError]] = {
    "AUTHENTICATION_ERROR": AuthenticationError,
    "AUTHORIZATION_ERROR": AuthorizationError,
    "GRAPHQL_PARSE_FAILED": InvalidQueryError,
    "GRAPHQL_VALIDATION_FAILED": InvalidQueryError,
    "RESOURCE_NOT_FOUND": ResourceNotFoundError,
    "RESOURCE_CONFLICT": ResourceConflictError,
    "MALFORMED_REQUEST": MalformedRequestError,
    "OPERATION_NOT_ALLOWED": OperationNotAllowedError,
}

# INTERNAL_SERVER_ERROR carries the real status in extensions.exception.status.
_INTERNAL_STATUS_TO_ERROR: dict[int, type[LabelboxError]] = {
    400: InvalidQueryError,
    422: UnprocessableEntityError,
    426: OperationNotAllowedError,
}


def excerpt(
    body: bytes, limit: int = BODY_EXCERPT_BYTES, *, redact: Redactor | None = None, truncated: bool = False
) -> str:
    """The start of ``body``, decoded leniently, redacted *then* cut to ``limit`` characters, for an error message.

    Redacting before cutting matters: a key across the cut would otherwise leave its prefix in the excerpt.
    ``truncated`` says ``body`` is itself only the head of the body (a key cut at its end is blanked too).
    """
    text = body.decode("utf-8", errors="replace")
    if redact is not None:
        text = redact(text)
    return cut(text, limit, truncated=truncated)


def one_line(body: bytes | str, limit: int = 80) -> str:
    """The start of ``body`` as one short line (whitespace runs collapsed), for a message that must stay one line."""
    text = body[: limit * 4].decode("utf-8", errors="replace") if isinstance(body, bytes) else body[: limit * 4]
    flat = " ".join(text.split())
    return flat[:limit] + ("…" if len(flat) > limit or len(body) > limit * 4 else "")


def _endpoint_hint(url: str | None) -> str:
    if not url:
        return ""
    path = urlsplit(url).path
    if not path.rstrip("/").endswith("graphql"):
        return f"; {url} lacks the /graphql path of a Labelbox endpoint (https://api.labelbox.com/graphql)"
    return f"; is {url} a Labelbox endpoint?"


def loads(body: bytes) -> Any:
    """``json.loads(body)``'s value, parsed by pydantic-core (three to four times faster on a page of labels, whose
    legacy ``label`` strings are long and full of escapes).

    What pydantic-core refuses goes to ``json.loads``, so the answer is always ``json.loads``': it refuses what
    ``json.loads`` refuses, and some bodies ``json.loads`` reads (a byte order mark, UTF-16 or UTF-32, a lone
    surrogate escape, nesting deeper than its limit). Numbers, ``NaN``/``Infinity`` and repeated keys come out the
    same.

    Raises:
        ValueError: The body is not JSON (``json.JSONDecodeError``), or not UTF-8, 16 or 32
            (``UnicodeDecodeError``).
    """
    try:
        return from_json(body, cache_strings="keys")
    except ValueError:
        return json.loads(body)


def _no_redaction(text: str) -> str:
    return redact_text(text)


def map_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    operation: str,
    redact: Redactor = _no_redaction,
    url: str | None = None,
) -> dict[str, Any]:
    """Return the ``data`` of a GraphQL answer, or raise the typed error it stands for.

    ``url`` (the endpoint) lets an answer that is not Labelbox's say what to check, such as a missing ``/graphql``.
    """
    try:
        payload = loads(body)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        _raise_for_non_json(status, headers, body, operation=operation, redact=redact, url=url)

    errors = payload.get("errors")
    if errors:
        raise map_graphql_errors(errors, status=status, headers=headers, operation=operation, redact=redact)

    message = payload.get("message")
    if status == 429 or (isinstance(message, str) and message.startswith("You have exceeded")):
        raise ApiLimitError(
            redact(str(message or "Too Many Requests")),
            retry_after=parse_retry_after(headers.get("Retry-After")),
            operation=operation,
            status=status,
        )
    if status >= 500:
        raise InternalServerError(
            redact(str(message or f"Internal server error {status}")), operation=operation, status=status
        )
    if status == 401:
        raise AuthenticationError("Invalid API key", operation=operation, status=status)
    if status == 403:
        raise AuthorizationError(redact(str(message or "Forbidden")), operation=operation, status=status)
    if status >= 400:
        raise UnexpectedResponseError(
            redact(f"unexpected HTTP {status} answer" + (f": {one_line(str(message))}" if message else ""))
            + _endpoint_hint(url),
            body_excerpt=excerpt(body, redact=redact),
            operation=operation,
            status=status,
        )
    data = payload.get("data")
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            "the answer has neither data nor errors" + _endpoint_hint(url),
            body_excerpt=excerpt(body, redact=redact),
            operation=operation,
            status=status,
        )
    return data


_REST_STATUS_TO_ERROR: dict[int, type[LabelboxError]] = {
    400: MalformedRequestError,
    404: ResourceNotFoundError,
    409: ResourceConflictError,
    422: UnprocessableEntityError,
    426: OperationNotAllowedError,
}


def map_rest_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    operation: str,
    redact: Redactor = _no_redaction,
) -> Any:
    """Return the parsed JSON of a REST answer (None for an empty body), or raise the typed error it stands for.

    The REST API answers errors as ``{"message": ..., "code": ...}`` with the status as the HTTP status: 400 is a
    :class:`MalformedRequestError`, 404 a :class:`ResourceNotFoundError`, 409 a :class:`ResourceConflictError`
    (deleting a feature schema or an ontology that is still used), 429 and 5xx as for GraphQL.
    """
    try:
        payload = loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        if status < 400:
            raise UnexpectedResponseError(
                f"the REST answer is not JSON (HTTP {status}); it begins: "
                f"{one_line(redact(body.decode('utf-8', 'replace')))!r}",
                body_excerpt=excerpt(body, redact=redact),
                operation=operation,
                status=status,
            ) from None
        _raise_for_non_json(status, headers, body, operation=operation, redact=redact)
    if status < 400:
        return payload
    message = payload.get("message") if isinstance(payload, dict) else None
    code = payload.get("code") if isinstance(payload, dict) else None
    text = redact(str(message or f"HTTP {status}"))
    common: dict[str, Any] = {"operation": operation, "status": status, "code": code if isinstance(code, str) else None}
    if status == 429:
        raise ApiLimitError(text, retry_after=parse_retry_after(headers.get("Retry-After")), **common)
    if status >= 500:
        raise InternalServerError(text, **common)
    if status == 401:
        raise AuthenticationError("Invalid API key", **common)
    if status == 403:
        raise AuthorizationError(text, **common)
    error = _REST_STATUS_TO_ERROR.get(status)
    if error is not None:
        raise error(text, **common)
    raise UnexpectedResponseError(
        f"unexpected HTTP {status} answer: {one_line(text)}", body_excerpt=excerpt(body, redact=redact), **common
    )


def _raise_for_non_json(
    status: int, headers: Mapping[str, str], body: bytes, *, operation: str, redact: Redactor, url: str | None = None
) -> Any:
    text = excerpt(body, redact=redact)
    line = one_line(redact(body.decode("utf-8", errors="replace")))
    if status == 429:
        raise ApiLimitError(
            "Too Many Requests",
            retry_after=parse_retry_after(headers.get("Retry-After")),
            operation=operation,
            status=status,
        )
    if status >= 500:
        reason = "Connection reset" if _RESET_MARKER in text else f"Internal server http error {status}"
        raise InternalServerError(f"{reason}: {line}", operation=operation, status=status)
    if status == 401:
        raise AuthenticationError("Invalid API key", operation=operation, status=status)
    kind = headers.get("Content-Type", "").split(";")[0].strip() or "no content type"
    raise UnexpectedResponseError(
        f"the answer is not JSON (HTTP {status}, {kind}), not what Labelbox sends{_endpoint_hint(url)}; "
        f"it begins: {line!r}",
        body_excerpt=text,
        operation=operation,
        status=status,
    )


def map_graphql_errors(
    errors: Any,
    *,
    status: int,
    headers: Mapping[str, str],
    operation: str,
    redact: Redactor = _no_redaction,
) -> LabelboxError:
    """The typed error for a GraphQL ``errors`` list (the first error decides, as in the SDK)."""
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        return UnexpectedResponseError(
            f"malformed errors member: {cut(redact(repr(errors)), BODY_EXCERPT_BYTES)}",
            operation=operation,
            status=status,
        )
    first: dict[str, Any] = errors[0]
    extensions = first.get("extensions") if isinstance(first.get("extensions"), dict) else {}
    assert isinstance(extensions, dict)
    code = extensions.get("code")
    message = redact(str(first.get("message") or code or "unknown error"))
    # The raw errors are kept for diagnosis, redacted deeply (a server may quote the request's headers in them).
    common: dict[str, Any] = {"operation": operation, "code": code, "errors": _redact_deep(errors, redact)}

    if code == "MALFORMED_REQUEST" and first.get("errors"):
        # Export mutations put their details in an ``errors`` member, not in ``message``.
        message = redact(str(first["errors"]))
    if code == "AUTHENTICATION_ERROR":
        return AuthenticationError("Invalid API key", status=status, **common)
    if code == "GRAPHQL_VALIDATION_FAILED" and "Query complexity limit exceeded" in message:
        return ValidationFailedError(message, status=status, **common)
    if code == "INTERNAL_SERVER_ERROR":
        exception = extensions.get("exception")
        inner = exception.get("status") if isinstance(exception, dict) else None
        inner_status = inner if isinstance(inner, int) else None
        if inner_status in _INTERNAL_STATUS_TO_ERROR:
            return _INTERNAL_STATUS_TO_ERROR[inner_status](message, status=inner_status, **common)
        return InternalServerError(message, status=inner_status or status, **common)
    if message.startswith("You have exceeded"):
        return ApiLimitError(
            message, retry_after=parse_retry_after(headers.get("Retry-After")), status=status, **common
        )
    error_type = _CODE_TO_ERROR.get(str(code))
    if error_type is not None:
        return error_type(message, status=status, **common)
    return UnexpectedResponseError(f"Unknown error: {message}", status=status, **common)


def _endpoint_error(exc: aiohttp.ClientConnectorError, operation: str, url: str | None) -> EndpointError | None:
    """An :class:`EndpointError` for a connection failure that retrying cannot fix, else None."""
    where = f"{exc.host}:{exc.port}"
    target = url or where
    os_error = exc.os_error
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return EndpointError(
            f"the TLS certificate of {where} is not trusted ({one_line(str(exc.certificate_error), 120)}); check the "
            f"endpoint {target}",
            operation=operation,
        )
    if isinstance(exc, aiohttp.ClientSSLError) or isinstance(os_error, ssl.SSLError):
        plain = urlsplit(url).scheme == "https" if url else False
        hint = f"; if the server speaks plain HTTP use {'http' + target[5:]}" if plain else ""
        return EndpointError(
            f"the TLS handshake with {where} failed ({one_line(str(os_error or exc), 120)}){hint}",
            operation=operation,
        )
    if isinstance(os_error, socket.gaierror):
        return EndpointError(
            f"the host {exc.host} of the endpoint {target} does not resolve ({os_error.strerror or os_error}); check "
            "its spelling (LABELBOX_ENDPOINT or endpoint=)",
            operation=operation,
        )
    if isinstance(os_error, ConnectionRefusedError):
        # Labelbox's API sits behind load balancers that accept connections even while a server restarts: a
        # refusal means nothing listens at this address, which another attempt a second later will not change.
        return EndpointError(
            f"nothing listens on {where} (connection refused); check the endpoint {target} and its port",
            operation=operation,
        )
    return None


def _redact_deep(value: Any, redact: Redactor) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_deep(item, redact) for item in value]
    if isinstance(value, dict):
        return {_redact_deep(k, redact): _redact_deep(v, redact) for k, v in value.items()}
    return value


def map_client_error(
    exc: BaseException, operation: str, *, redact: Redactor = _no_redaction, url: str | None = None
) -> LabelboxError | None:
    """The alabelbox error for an aiohttp or timeout error, or None if ``exc`` is not one (re-raise it as is).

    A plain function rather than only a context manager, so the hot path can use it in an ``except`` clause.
    ``url`` is given for API requests: a wrong endpoint (unresolvable host, closed port, TLS against plain HTTP)
    becomes an :class:`EndpointError` that names it and is not retried.
    """
    if isinstance(exc, LabelboxError):
        return None
    if isinstance(exc, asyncio.TimeoutError):  # aiohttp's ServerTimeoutError and ConnectionTimeoutError too
        return RequestTimeoutError(f"request timed out: {redact(str(exc)) or type(exc).__name__}", operation=operation)
    if isinstance(exc, aiohttp.ClientConnectorError) and url is not None:
        endpoint_error = _endpoint_error(exc, operation, redact(url))
        if endpoint_error is not None:
            return endpoint_error
    if isinstance(exc, aiohttp.ClientConnectorError):
        # The connection was never established, so the request was never sent.
        return NetworkError(f"could not connect: {redact(str(exc))}", operation=operation, request_sent=False)
    if isinstance(exc, (aiohttp.ClientError, OSError)):
        return NetworkError(f"connection failed: {redact(str(exc)) or type(exc).__name__}", operation=operation)
    return None


def _carries_secret(exc: BaseException, redact: Redactor) -> bool:
    """Whether a foreign error would show a secret if chained: a signed URL or the key in its text, or the
    request's headers (aiohttp's ``request_info``)."""
    text = str(exc)
    return redact(text) != text or getattr(exc, "request_info", None) is not None


def raise_mapped(mapped: LabelboxError, exc: BaseException, redact: Redactor = _no_redaction) -> NoReturn:
    """Raise ``mapped`` chained to the foreign ``exc``, unless ``exc`` would show a secret (then not chained).

    Call it *outside* the ``except`` block that caught ``exc``: Python sets ``__context__`` to the exception being
    handled, and a traceback prints it. The foreign error keeps its type and message but not its traceback: its
    frames are aiohttp's, whose locals hold the request's headers (the key) and a traceback that shows locals
    (``pytest --showlocals``, rich, Sentry) would print them.
    """
    if _carries_secret(exc, redact):
        mapped.__cause__ = None
        mapped.__suppress_context__ = True
        raise mapped
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    raise mapped from exc


async def iter_body(
    response: aiohttp.ClientResponse, operation: str, *, redact: Redactor = _no_redaction
) -> AsyncGenerator[bytes, None]:
    """A streaming body's chunks as they arrive; an error while reading it becomes an alabelbox error."""
    try:
        async for data in response.content.iter_any():
            yield data
        return
    except Exception as exc:
        mapped = map_client_error(exc, operation, redact=redact)
        if mapped is None:
            raise
        failure: BaseException = exc
    raise_mapped(mapped, failure, redact)


@contextmanager
def map_client_errors(operation: str, *, redact: Redactor = _no_redaction) -> Iterator[None]:
    """Map aiohttp and timeout errors raised inside the block to alabelbox errors.

    Errors already typed pass through; cancellation is never touched.
    """
    try:
        yield
        return
    except Exception as exc:
        mapped = map_client_error(exc, operation, redact=redact)
        if mapped is None:
            raise
        failure: BaseException = exc
    raise_mapped(mapped, failure, redact)
