"""The session pool: one aiohttp connector, two gql sessions, a download session, a concurrency limiter.

* One ``TCPConnector`` is shared by the GraphQL sessions (``/graphql`` and ``/_gql``) and by plain downloads, so
  ``Limits.max_connections`` bounds everything the client opens.
* An anyio ``CapacityLimiter`` bounds the GraphQL operations in flight; the rest queue. A slot is held only during
  an attempt, never during a retry's backoff sleep, and is released even when the caller is cancelled.
* Downloads go through a session that has no ``Authorization`` header. The key is attached only when the URL's
  origin is the API's own (scheme, host and port), and such requests do not follow redirects, so the key cannot be
  carried to a storage host.
"""

from __future__ import annotations

import builtins
import platform
import sys
import weakref
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import anyio
from gql import Client as GqlClient
from gql.client import AsyncClientSession

from alabelbox._config import Limits, RetryConfig, Timeout
from alabelbox._constants import EXPERIMENTAL_PATH, REST_PATH
from alabelbox._exceptions import (
    ApiLimitError,
    AuthenticationError,
    AuthorizationError,
    ClientStateError,
    InternalServerError,
    LabelboxError,
    RequestTimeoutError,
    ResourceNotFoundError,
    UnexpectedResponseError,
)
from alabelbox._retry import parse_retry_after, retry_loop
from alabelbox._secrets import Secret, redact_text, register, unregister
from alabelbox._transport._gql import LabelboxTransport, OperationRequest
from alabelbox._transport._mapping import (
    excerpt,
    map_client_error,
    map_client_errors,
    map_rest_response,
    raise_mapped,
)
from alabelbox._transport._multipart import Multipart
from alabelbox._transport._operation import Operation
from alabelbox._version import __version__

__all__ = ["PoolStatistics", "SessionPool", "default_headers", "download_error", "origin_of", "rest_url"]


@dataclass(frozen=True, slots=True)
class PoolStatistics:
    """A snapshot of the pool.

    Attributes:
        in_flight: GraphQL attempts holding a slot right now.
        queued: GraphQL attempts waiting for a slot.
        completed: Operations that returned data.
        retried: Retries started (an operation retried twice counts two).
        failed: Operations that raised an error, after any retries.
        cancelled: Operations cancelled by their caller (e.g. a paginator's pages past the end, a ``break``).
        downloads_in_flight: Download responses open right now.
    """

    in_flight: int
    queued: int
    completed: int
    retried: int
    failed: int
    cancelled: int
    downloads_in_flight: int


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports filled in: what "same origin" compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def experimental_url(endpoint: str) -> str:
    """The ``/_gql`` URL for an endpoint, as the SDK derives it."""
    if "/graphql" in endpoint:
        return endpoint.replace("/graphql", EXPERIMENTAL_PATH)
    return endpoint.rstrip("/") + EXPERIMENTAL_PATH


def rest_url(endpoint: str) -> str:
    """The REST API's base URL for a GraphQL endpoint: the same origin, path ``/api/v1`` (the SDK's
    ``rest_endpoint``, ``https://api.labelbox.com/api/v1`` for the default endpoint)."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}{REST_PATH}"


def default_headers() -> dict[str, str]:
    """The identification headers sent with every API request (never the key)."""
    info = sys.version_info
    return {
        "X-User-Agent": f"alabelbox {__version__}",
        "X-Python-Version": f"{info.major}.{info.minor}.{info.micro}-{info.releaselevel}",
        "User-Agent": f"alabelbox/{__version__} python/{platform.python_version()}",
    }


class SessionPool:
    """Owns the connections and sessions of one :class:`alabelbox.Client`."""

    def __init__(
        self,
        *,
        endpoint: str,
        api_key: str,
        timeout: Timeout,
        limits: Limits,
        retry: RetryConfig,
        connector: aiohttp.BaseConnector | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.limits = limits
        self.retry = retry
        # A Secret, so that a traceback showing locals (``self``'s attributes) or a repr never shows the key; it is
        # registered so that every error and log text is redacted of it for as long as this pool lives.
        self._api_key = Secret(api_key)
        register(api_key)
        weakref.finalize(self, unregister, api_key)
        self._api_origin = origin_of(endpoint)
        self._user_connector = connector
        self._connector: aiohttp.BaseConnector | None = None
        self._gql_clients: list[GqlClient] = []
        self._sessions: dict[bool, AsyncClientSession] = {}
        self._download_session: aiohttp.ClientSession | None = None
        self._limiter = anyio.CapacityLimiter(limits.max_concurrent_requests)
        self._completed = 0
        self._retried = 0
        self._failed = 0
        self._cancelled = 0
        self._downloads = 0

    # -- lifecycle ---------------------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the sessions are open."""
        return bool(self._sessions)

    async def open(self) -> None:
        """Create the connector (unless the user gave one) and open the sessions."""
        if self._sessions:
            return
        connector = self._user_connector or aiohttp.TCPConnector(
            limit=self.limits.max_connections,
            limit_per_host=self.limits.max_connections_per_host,
            keepalive_timeout=self.limits.keepalive_timeout,
        )
        self._connector = connector
        try:
            for experimental in (False, True):
                url = experimental_url(self.endpoint) if experimental else self.endpoint
                transport = LabelboxTransport(url, headers=self._api_headers(), connector=connector, redact=self.redact)
                # execute_timeout=None: gql's own 10 s limit must not apply; the client's timeouts do.
                gql_client = GqlClient(transport=transport, execute_timeout=None)
                self._gql_clients.append(gql_client)
                session = await gql_client.connect_async(reconnecting=False)  # type: ignore[no-untyped-call]
                assert isinstance(session, AsyncClientSession)
                self._sessions[experimental] = session
            self._download_session = aiohttp.ClientSession(
                connector=connector,
                connector_owner=False,
                headers=default_headers(),
                timeout=aiohttp.ClientTimeout(total=None),
            )
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise

    async def aclose(self) -> None:
        """Close the sessions, and the connector if this pool created it. Safe to call twice."""
        with anyio.CancelScope(shield=True):
            self._sessions.clear()
            for gql_client in self._gql_clients:
                await gql_client.close_async()  # type: ignore[no-untyped-call]
            self._gql_clients.clear()
            if self._download_session is not None:
                await self._download_session.close()
                self._download_session = None
            if self._connector is not None and self._user_connector is None:
                await self._connector.close()
            self._connector = None

    # -- GraphQL -----------------------------------------------------------------------------------------------

    def _api_headers(self) -> dict[str, str]:
        return {**default_headers(), "Authorization": f"Bearer {self._api_key.reveal()}"}

    def redact(self, text: str) -> str:
        """``text`` without the API key or signed-URL queries, for anything that may reach a log or an error."""
        return redact_text(text, self._api_key.reveal())

    async def execute(
        self,
        operation: Operation,
        variables: dict[str, Any] | None,
        *,
        experimental: bool = False,
        timeout: Timeout | None = None,
        idempotent: bool = False,
        multipart: Multipart | None = None,
    ) -> dict[str, Any]:
        """Run one GraphQL operation with retries; return its ``data``.

        With ``multipart``, the request is a GraphQL multipart request carrying those files (the SDK's
        ``upload_data`` and annotation imports); every attempt sends every file whole.
        """
        session = self._sessions.get(experimental)
        if session is None:
            raise ClientStateError("the client's sessions are closed")
        # We call the session's transport directly. gql's AsyncClientSession.execute adds nothing we use (no schema,
        # no batching) but wraps every call in an anyio cancel scope for its execute_timeout, even when that is None:
        # about 20 us of CPU per call, a quarter of a whole loopback request (benchmarks/bench_transport.py).
        transport = session.transport
        assert isinstance(transport, LabelboxTransport)
        limits = timeout or self.timeout
        client_timeout = _client_timeout(limits)

        async def attempt() -> dict[str, Any]:
            borrower = object()
            try:
                # The fast path takes a free slot without a trip through the event loop; only a full pool waits.
                self._limiter.acquire_on_behalf_of_nowait(borrower)
            except anyio.WouldBlock:
                try:
                    with anyio.fail_after(limits.pool) if limits.pool is not None else nullcontext():
                        await self._limiter.acquire_on_behalf_of(borrower)
                except builtins.TimeoutError as exc:
                    raise RequestTimeoutError(
                        f"no free slot within {limits.pool} s ({self._limiter.total_tokens} in flight)",
                        operation=operation.label,
                    ) from exc
            try:
                # A fresh request object per call: gql keeps variables on the request.
                request = OperationRequest(operation, variables)
                result = await transport.execute(
                    request, extra_args={"timeout": client_timeout, "multipart": multipart}
                )
                assert result.data is not None  # the transport raises for anything else
                return result.data
            finally:
                self._limiter.release_on_behalf_of(borrower)

        def count_retry(error: LabelboxError, attempt_number: int, delay: float) -> None:
            self._retried += 1

        try:
            data = await retry_loop(
                attempt,
                self.retry,
                operation=operation.label,
                mutation=operation.is_mutation,
                idempotent=idempotent,
                on_retry=count_retry,
            )
        except anyio.get_cancelled_exc_class():
            self._cancelled += 1
            raise
        except BaseException:
            self._failed += 1
            raise
        self._completed += 1
        return data

    # -- REST --------------------------------------------------------------------------------------------------

    async def rest(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        timeout: Timeout | None = None,
        idempotent: bool = False,
    ) -> Any:
        """One REST call on the API's origin (``/api/v1`` + ``path``), with retries; its parsed JSON answer.

        It holds a slot of the same limiter as GraphQL operations while an attempt runs. A GET (and an
        ``idempotent`` call) is retried like a query; any other method like a mutation, only when the server surely
        did not run it.
        """
        session = self._download_session
        if session is None:
            raise ClientStateError("the client's sessions are closed")
        url = rest_url(self.endpoint) + path
        label = f"{method} {REST_PATH}{path}"
        limits = timeout or self.timeout
        client_timeout = _client_timeout(limits)

        async def attempt() -> Any:
            borrower = object()
            try:
                with anyio.fail_after(limits.pool) if limits.pool is not None else nullcontext():
                    await self._limiter.acquire_on_behalf_of(borrower)
            except builtins.TimeoutError as exc:
                raise RequestTimeoutError(
                    f"no free slot within {limits.pool} s ({self._limiter.total_tokens} in flight)", operation=label
                ) from exc
            try:
                with map_client_errors(label, redact=self.redact):
                    async with session.request(
                        method,
                        url,
                        json=json,
                        headers=self._api_headers(),
                        timeout=client_timeout,
                        allow_redirects=False,
                    ) as response:
                        body = await response.read()
                        status, headers = response.status, response.headers
                return map_rest_response(status, headers, body, operation=label, redact=self.redact)
            finally:
                self._limiter.release_on_behalf_of(borrower)

        def count_retry(error: LabelboxError, attempt_number: int, delay: float) -> None:
            self._retried += 1

        try:
            result = await retry_loop(
                attempt,
                self.retry,
                operation=label,
                mutation=method.upper() != "GET",
                idempotent=idempotent,
                on_retry=count_retry,
            )
        except anyio.get_cancelled_exc_class():
            self._cancelled += 1
            raise
        except BaseException:
            self._failed += 1
            raise
        self._completed += 1
        return result

    # -- downloads ---------------------------------------------------------------------------------------------

    def is_api_origin(self, url: str) -> bool:
        """Whether ``url`` is on the API's own origin (the only place the key may go)."""
        return origin_of(url) == self._api_origin

    def _download_headers(self, url: str, headers: Mapping[str, str] | None) -> dict[str, str]:
        sent = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
        if self.is_api_origin(url):
            sent["Authorization"] = f"Bearer {self._api_key.reveal()}"
        return sent

    @asynccontextmanager
    async def download(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
        whole_attempt: bool = True,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """One GET of ``url``, yielding the response, streaming; released on exit.

        Authorization is attached only for the API's own origin; any Authorization in ``headers`` is dropped for
        other origins. A status of 400 or more raises the typed error it stands for. An aiohttp or timeout error
        raised inside the ``async with`` block (reading the body) is mapped to the alabelbox error too.

        Args:
            url: What to GET.
            headers: Extra headers (e.g. ``Range``).
            timeout: Limits for this GET; the pool's by default.
            whole_attempt: ``timeout.total`` bounds the whole GET, headers and body, including the time the caller
                takes between reads. With False only the connection and each read are bounded (``sock_read``);
                the caller bounds the attempt as a whole itself, leaving out the time its consumer takes
                (:mod:`alabelbox._download_retry`).
        """
        session = self._download_session
        if session is None:
            raise ClientStateError("the client's sessions are closed")
        limits = timeout or self.timeout
        client_timeout = (
            _client_timeout(limits)
            if whole_attempt
            else aiohttp.ClientTimeout(total=None, connect=limits.connect, sock_read=limits.total)
        )
        label = f"GET {urlsplit(url).path}"
        same_origin = self.is_api_origin(url)
        opened: tuple[LabelboxError, BaseException] | None = None
        try:
            # The headers are built in the call, so no local of this long-lived frame holds the key.
            response = await session.get(
                url,
                headers=self._download_headers(url, headers),
                timeout=client_timeout,
                allow_redirects=not same_origin,
            )
        except Exception as exc:
            mapped_open = map_client_error(exc, label, redact=self.redact)
            if mapped_open is None:
                raise
            opened = (mapped_open, exc)
        if opened is not None:
            # Outside the except block: aiohttp's connect-timeout message quotes the whole signed URL, and it
            # must not stay attached as the context.
            raise_mapped(*opened, self.redact)
        self._downloads += 1
        failure: tuple[LabelboxError, BaseException] | None = None
        try:
            if response.status >= 400:
                with map_client_errors(label, redact=self.redact):
                    body = await response.content.read(_ERROR_BODY_BYTES)
                truncated = len(body) == _ERROR_BODY_BYTES
                raise download_error(
                    response.status,
                    response.headers,
                    excerpt(body, redact=self.redact, truncated=truncated),
                    label,
                )
            try:
                yield response
            except Exception as exc:  # reading the body in the caller's block
                mapped = map_client_error(exc, label, redact=self.redact)
                if mapped is None:
                    raise
                failure = (mapped, exc)
        finally:
            self._downloads -= 1
            response.release()
        if failure is not None:
            raise_mapped(*failure, self.redact)

    # -- introspection -----------------------------------------------------------------------------------------

    def statistics(self) -> PoolStatistics:
        """A snapshot of the pool's counters."""
        limiter = self._limiter.statistics()
        return PoolStatistics(
            in_flight=limiter.borrowed_tokens,
            queued=limiter.tasks_waiting,
            completed=self._completed,
            retried=self._retried,
            failed=self._failed,
            cancelled=self._cancelled,
            downloads_in_flight=self._downloads,
        )


#: Bytes of a failed download's body read for its error's excerpt (more than the excerpt, so that the redaction
#: sees a whole key before the cut).
_ERROR_BODY_BYTES = 4096


@lru_cache(maxsize=64)
def _client_timeout(limits: Timeout) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=limits.total, connect=limits.connect)


def download_error(status: int, headers: Mapping[str, str], text: str, operation: str) -> LabelboxError:
    """The typed error of a failed download's status (``text``: the body's redacted excerpt)."""
    common: dict[str, Any] = {"operation": operation, "status": status}
    if status == 429:
        return ApiLimitError("Too Many Requests", retry_after=parse_retry_after(headers.get("Retry-After")), **common)
    if status >= 500:
        return InternalServerError(f"download failed: {text}", **common)
    if status == 401:
        return AuthenticationError("download refused: not authenticated", **common)
    if status == 403:
        return AuthorizationError(f"download refused (an expired signed URL?): {text}", **common)
    if status == 404:
        return ResourceNotFoundError(f"download not found: {text}", **common)
    return UnexpectedResponseError(f"download failed with HTTP {status}", body_excerpt=text, **common)
