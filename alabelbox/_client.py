"""The Client: configuration, the session pool, and the lifecycle around them."""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import anyio

from alabelbox import _constants as c
from alabelbox._config import USE_CLIENT_DEFAULT, Limits, RetryConfig, Timeout, TimeoutArg
from alabelbox._credentials import ApiKey, ClientSpec, key_source
from alabelbox._download_retry import DownloadRetry
from alabelbox._exceptions import ClientStateError, InvalidArgumentError, LabelboxError
from alabelbox._transport import PoolStatistics, SessionPool, prepare
from alabelbox._transport._multipart import Multipart
from alabelbox.resources import (
    Attachments,
    Batches,
    DataRows,
    Datasets,
    Exports,
    FeatureSchemas,
    Foundry,
    GlobalKeys,
    Imports,
    Invites,
    Labels,
    Metadata,
    ModelRuns,
    Models,
    Ontologies,
    OrganizationResource,
    ProjectMembers,
    Projects,
    Quality,
    ResourceTags,
    Slices,
    Tasks,
    Users,
    Webhooks,
    Workflow,
)

__all__ = ["Client"]


class ClientState(enum.Enum):
    """Where a client is in its life: it opens once and closes once."""

    UNOPENED = "unopened"
    OPENED = "opened"
    CLOSED = "closed"


class Client:
    """An asyncio client for the Labelbox API.

    One client owns one connection pool. Share it across tasks; open it once, close it once.
    The pool opens on first use if the client is not entered with ``async with``; then call :meth:`aclose`.

    Args:
        api_key: The Labelbox API key; or where to find it, looked up now: an :class:`~alabelbox.ApiKey`
            (``ApiKey.from_env("NAME")``) or a zero-argument callable. Defaults to the ``LABELBOX_API_KEY``
            environment variable. A client made from a source (or from the default) can give a :meth:`spec`
            for workers; one given the key as a string cannot, since the spec would have to carry the key.
        endpoint: The GraphQL endpoint. Defaults to ``LABELBOX_ENDPOINT``, then ``https://api.labelbox.com/graphql``.
        timeout: Per-request limits: seconds, a :class:`Timeout`, or None for none. Every call can override it.
        limits: Connection and concurrency bounds.
        max_retries: Retries after a failed attempt (a shortcut for ``retry=RetryConfig(max_retries=...)``).
        retry: The full retry configuration; wins over ``max_retries``.
        connector: An aiohttp connector to use instead of building one. The caller keeps ownership and closes it.

    Raises:
        AuthenticationError: No API key was given or found in the environment.

    Example:
        >>> async with alabelbox.Client() as client:  # the key from LABELBOX_API_KEY
        ...     me = await client.users.me()
    """

    def __init__(
        self,
        api_key: str | ApiKey | Callable[[], str] | None = None,
        *,
        endpoint: str | None = None,
        timeout: float | Timeout | None = Timeout(),  # noqa: B008 - frozen value object
        limits: Limits = Limits(),  # noqa: B008 - frozen value object
        max_retries: int = c.DEFAULT_MAX_RETRIES,
        retry: RetryConfig | None = None,
        connector: aiohttp.BaseConnector | None = None,
    ) -> None:
        key, self._key_source = key_source(api_key)
        endpoint = endpoint or os.environ.get(c.ENDPOINT_ENV) or c.DEFAULT_ENDPOINT
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidArgumentError("endpoint", f"must be an http(s) URL, got {endpoint!r}")
        self._endpoint = endpoint
        self._timeout = Timeout.coerce(timeout)
        self._limits = limits
        self._retry = retry or RetryConfig(max_retries=max_retries)
        self._pool = SessionPool(
            endpoint=endpoint,
            api_key=key,
            timeout=self._timeout,
            limits=limits,
            retry=self._retry,
            connector=connector,
        )
        self._state = ClientState.UNOPENED
        self._entered = False
        self._open_lock = anyio.Lock()

    # -- lifecycle ---------------------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint this client posts to."""
        return self._endpoint

    @property
    def retry(self) -> RetryConfig:
        """How this client retries; streams and downloads built on it retry the same way."""
        return self._retry

    @property
    def timeout(self) -> Timeout:
        """The client's default per-request limits."""
        return self._timeout

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`aclose` has been called."""
        return self._state is ClientState.CLOSED

    async def __aenter__(self) -> Client:
        if self._state is ClientState.CLOSED:
            raise ClientStateError("this Client is closed; create a new Client")
        if self._entered:
            raise ClientStateError("this Client has already been entered; enter a Client only once")
        self._entered = True
        await self._ensure_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection and session the client opened. Calling it again does nothing."""
        if self._state is ClientState.CLOSED:
            return
        self._state = ClientState.CLOSED
        await self._pool.aclose()

    async def _ensure_open(self) -> SessionPool:
        if self._state is ClientState.OPENED:
            return self._pool
        if self._state is ClientState.CLOSED:
            raise ClientStateError("this Client is closed; create a new Client")
        async with self._open_lock:
            if self._state is ClientState.UNOPENED:
                await self._pool.open()
                self._state = ClientState.OPENED
        if self._state is ClientState.CLOSED:
            raise ClientStateError("this Client is closed; create a new Client")
        return self._pool

    # -- resources (lazy namespaces: client.projects, client.labels, client.exports, ...) ----------------------

    @functools.cached_property
    def projects(self) -> Projects:
        """Projects: create, update, delete, clone, connect an ontology; list, retrieve, label counts."""
        return Projects(self)

    @functools.cached_property
    def datasets(self) -> Datasets:
        """Datasets: list, retrieve."""
        return Datasets(self)

    @functools.cached_property
    def data_rows(self) -> DataRows:
        """Data rows: retrieve one, list a dataset's by cursor."""
        return DataRows(self)

    @functools.cached_property
    def labels(self) -> Labels:
        """Labels: retrieve, list with filters, delete."""
        return Labels(self)

    @functools.cached_property
    def users(self) -> Users:
        """Users: the current user, a user by id, the organization's users."""
        return Users(self)

    @functools.cached_property
    def ontologies(self) -> Ontologies:
        """Ontologies: create from a builder or from feature schemas, retrieve, list, delete the unused ones."""
        return Ontologies(self)

    @functools.cached_property
    def feature_schemas(self) -> FeatureSchemas:
        """Feature schemas: create, retrieve, list, update, insert into and remove from ontologies."""
        return FeatureSchemas(self)

    @functools.cached_property
    def tasks(self) -> Tasks:
        """Server-side tasks of every kind: retrieve one, wait for one to finish."""
        return Tasks(self)

    @functools.cached_property
    def batches(self) -> Batches:
        """Batches of a project: create (one, many, from a dataset), list, retrieve, remove queued rows, delete,
        delete their labels."""
        return Batches(self)

    @functools.cached_property
    def workflow(self) -> Workflow:
        """A project's workflow: task queues, moving rows between them, labeling priorities, counts by status."""
        return Workflow(self)

    @functools.cached_property
    def project_members(self) -> ProjectMembers:
        """Project members and roles: list, add, remove."""
        return ProjectMembers(self)

    @functools.cached_property
    def models(self) -> Models:
        """Models: create, retrieve, list, delete."""
        return Models(self)

    @functools.cached_property
    def model_runs(self) -> ModelRuns:
        """Model runs: create, config, data rows, labels, data splits, send to annotate."""
        return ModelRuns(self)

    @functools.cached_property
    def foundry(self) -> Foundry:
        """Foundry apps: retrieve, create, delete, run on data rows (a model run of predictions)."""
        return Foundry(self)

    @functools.cached_property
    def global_keys(self) -> GlobalKeys:
        """Global keys: assign, clear, look up data rows by key or by external id."""
        return GlobalKeys(self)

    @functools.cached_property
    def attachments(self) -> Attachments:
        """Data-row attachments: create, update, delete, list."""
        return Attachments(self)

    @functools.cached_property
    def metadata(self) -> Metadata:
        """Data-row metadata: the ontology and its custom schemas; bulk upsert, delete and export of values."""
        return Metadata(self)

    @functools.cached_property
    def organization(self) -> OrganizationResource:
        """The organization: retrieve it, its roles and IAM integrations; users' roles and removal."""
        return OrganizationResource(self)

    @functools.cached_property
    def invites(self) -> Invites:
        """Invitations to the organization: create one or many, list, cancel, the seat limit."""
        return Invites(self)

    @functools.cached_property
    def resource_tags(self) -> ResourceTags:
        """Resource tags: create, update, list; a project's tags."""
        return ResourceTags(self)

    @functools.cached_property
    def quality(self) -> Quality:
        """Label quality: reviews, benchmarks, review metrics, labeler performance, issues."""
        return Quality(self)

    @functools.cached_property
    def webhooks(self) -> Webhooks:
        """Webhooks of the organization and its projects: create, update, delete, list."""
        return Webhooks(self)

    @functools.cached_property
    def imports(self) -> Imports:
        """Annotation imports: ground truth and pre-labels into projects, predictions into model runs."""
        return Imports(self)

    @functools.cached_property
    def slices(self) -> Slices:
        """Slices (saved queries): list and retrieve; the data rows of a catalog or a model slice."""
        return Slices(self)

    @functools.cached_property
    def exports(self) -> Exports:
        """Export tasks: create, wait, stream, download to a file; the legacy bulk export."""
        return Exports(self)

    # -- GraphQL -----------------------------------------------------------------------------------------------

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        experimental: bool = False,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        idempotent: bool = False,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        """Run a GraphQL query or mutation and return its ``data``.

        Args:
            query: A GraphQL document. It is parsed once and cached; a syntax error raises before anything is sent.
            variables: The operation's variables.
            experimental: Post to the experimental ``/_gql`` endpoint, as the SDK does for beta operations.
            timeout: Limits for this call, overriding the client's.
            idempotent: The mutation may safely run twice, so it may be retried like a query.
            files: Send a GraphQL multipart request (file uploads, as the SDK's ``execute(data=, files=)``): each
                variable path (``"variables.file"``) maps to ``(filename, content, content type)``; the variable
                itself is sent as null, as the multipart request spec says.

        Returns:
            The ``data`` member of the answer.

        Raises:
            LabelboxError: A subclass saying what failed; see :mod:`alabelbox._exceptions`.

        Example:
            >>> data = await client.execute("query Me { user { id } }")
            >>> data["user"]["id"] == user_id
            True
        """
        operation = prepare(query)
        pool = await self._ensure_open()
        per_call = None if timeout is USE_CLIENT_DEFAULT else Timeout.coerce(timeout)
        return await pool.execute(
            operation,
            variables,
            experimental=experimental,
            timeout=per_call,
            idempotent=idempotent,
            multipart=None if files is None else Multipart.of_tuples(files),
        )

    async def _rest(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        idempotent: bool = False,
    ) -> Any:
        """One call of the REST API (``/api/v1`` on the endpoint's origin, as the SDK's ``rest_endpoint``), with
        the key and retries of :meth:`execute`; its parsed JSON answer (None for an empty one)."""
        pool = await self._ensure_open()
        per_call = None if timeout is USE_CLIENT_DEFAULT else Timeout.coerce(timeout)
        return await pool.rest(method, path, json=json, timeout=per_call, idempotent=idempotent)

    async def _upload(
        self,
        query: str,
        variables: dict[str, Any],
        files: Multipart,
        *,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        idempotent: bool = True,
    ) -> dict[str, Any]:
        """Run ``query`` as a GraphQL multipart request carrying ``files``; its ``data``.

        Files are streamed, and sent whole again by a retry. Retried like a query by default: an upload that
        runs twice leaves one more file, nothing else.
        """
        pool = await self._ensure_open()
        per_call = None if timeout is USE_CLIENT_DEFAULT else Timeout.coerce(timeout)
        return await pool.execute(prepare(query), variables, timeout=per_call, idempotent=idempotent, multipart=files)

    def download(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        """GET ``url``, streaming: ``async with client.download(url) as response: ...``.

        The API key is sent only when ``url`` is on the API's own origin; signed storage URLs never see it.
        Getting the response is retried like :meth:`execute` (5xx, 429, lost connections, timeouts; within
        ``RetryConfig.max_retries`` and ``deadline``). ``timeout.total`` bounds the whole GET, headers and body,
        including the time your code takes between reads: pass a larger one for a large file.

        Args:
            url: What to GET.
            headers: Extra headers (e.g. ``Range``); an ``Authorization`` header is dropped for other origins.
            timeout: Limits for this GET, overriding the client's.

        Raises:
            LabelboxError: The typed error of a status of 400 or more, or of a failure while the body is read
                inside the ``async with`` block (e.g. :class:`~alabelbox.TimeoutError`,
                :class:`~alabelbox.NetworkError`): never an aiohttp error.

        Example:
            >>> result = await client.exports.export_labels_url(project_id)
            >>> async with client.download(result.download_url) as response:
            ...     first_byte = await response.content.read(1)
            >>> response.status, first_byte
            (200, b'[')
        """
        per_call = None if timeout is USE_CLIENT_DEFAULT else Timeout.coerce(timeout)
        return self._open_download(url, headers, per_call)

    @asynccontextmanager
    async def _open_download(
        self, url: str, headers: dict[str, str] | None, timeout: Timeout | None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        pool = await self._ensure_open()
        policy = DownloadRetry(self.retry, f"GET {urlsplit(url).path}", wrap=False)
        async with AsyncExitStack() as stack:
            while True:
                try:
                    response = await stack.enter_async_context(pool.download(url, headers=headers, timeout=timeout))
                    break
                except LabelboxError as error:
                    await policy.after_failure(error, progressed=0)
            yield response

    @asynccontextmanager
    async def _download_attempt(
        self, url: str, *, headers: dict[str, str] | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """One GET, not retried, for the export readers: they resume and retry it themselves
        (:mod:`alabelbox._download_retry`) and bound its network time, leaving out the time of their consumer."""
        pool = await self._ensure_open()
        async with pool.download(url, headers=headers, whole_attempt=False) as response:
            yield response

    # -- other processes -----------------------------------------------------------------------------------------

    def spec(self) -> ClientSpec:
        """How to make this client again on a worker: a picklable :class:`~alabelbox.ClientSpec` without the key.

        Raises:
            TypeError: The client was given its key as a string; a spec would have to carry it. Make the client
                with ``api_key=alabelbox.ApiKey.from_env("NAME")`` (or a callable), or with no key so that it reads
                ``LABELBOX_API_KEY``, and make that variable available on the workers.

        Example:
            >>> keyed_by_env = alabelbox.Client(endpoint=client.endpoint)  # the key from LABELBOX_API_KEY
            >>> keyed_by_env.spec().api_key
            ApiKey.from_env('LABELBOX_API_KEY')
            >>> try:
            ...     alabelbox.Client(api_key="lb-a-key-given-as-a-string", endpoint=client.endpoint).spec()
            ... except TypeError as error:
            ...     print(str(error)[:45])
            this Client was given its API key as a string
        """
        if self._key_source is None:
            raise TypeError(
                "this Client was given its API key as a string, so it cannot describe itself to a worker without "
                "sending the key: make it with api_key=alabelbox.ApiKey.from_env('NAME') (or a zero-argument "
                "callable), or with no api_key to read LABELBOX_API_KEY, and set that variable on the workers"
            )
        return ClientSpec(
            endpoint=self._endpoint,
            api_key=self._key_source,
            timeout=self._timeout,
            limits=self._limits,
            retry=self._retry,
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError(
            "an alabelbox.Client cannot be pickled (it holds open connections and its API key): send "
            "client.spec(), a picklable ClientSpec without the key, and make a client on the worker with "
            "spec.client(); alabelbox.dask and alabelbox.ray do this for you"
        )

    def __reduce__(self) -> Any:
        return self.__reduce_ex__(2)

    # -- introspection -----------------------------------------------------------------------------------------

    def statistics(self) -> PoolStatistics:
        """In-flight, queued, completed, retried and failed counts of the client's pool."""
        return self._pool.statistics()

    def __repr__(self) -> str:
        stats = self._pool.statistics()
        return (
            f"<alabelbox.Client endpoint={self._endpoint!r} state={self._state.value} "
            f"in_flight={stats.in_flight} queued={stats.queued} retried={stats.retried} failed={stats.failed}>"
        )
