"""Credentials that travel as a name, not a value: :class:`ApiKey` and :class:`ClientSpec`.

A :class:`~alabelbox.Client` holds open connections and its API key, so it does not pickle (it raises a
``TypeError`` that says what to send instead). What a Dask or Ray worker needs is *how to make* a client: a
:class:`ClientSpec`, which holds the endpoint, the timeouts, limits and retry configuration, and an :class:`ApiKey`
that says where the key comes from (an environment variable name, or a zero-argument callable) without holding
the key. The key is looked up when the worker makes its client, on the worker.

Example:
    >>> import pickle
    >>> key = alabelbox.ApiKey.from_env("LABELBOX_API_KEY")
    >>> key
    ApiKey.from_env('LABELBOX_API_KEY')
    >>> spec = alabelbox.ClientSpec(endpoint="https://api.labelbox.com/graphql", api_key=key)
    >>> blob = pickle.dumps(spec)
    >>> pickle.loads(blob) == spec, os.environ["LABELBOX_API_KEY"].encode() in blob  # the name, never the key
    (True, False)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alabelbox import _constants as c
from alabelbox._config import Limits, RetryConfig, Timeout
from alabelbox._exceptions import AuthenticationError, InvalidArgumentError

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["ApiKey", "ClientSpec"]


class ApiKey:
    """Where an API key comes from: an environment variable or a zero-argument callable, looked up when needed.

    An ``ApiKey`` never holds the key. It pickles as the variable's name or as the callable (a module-level
    function pickles by reference), so it can be sent to a worker, which looks the key up in its own environment.
    Pass it as ``Client(api_key=...)``; a plain zero-argument callable is accepted there too.

    Example:
        >>> source = alabelbox.ApiKey.from_env("LABELBOX_API_KEY")
        >>> async with alabelbox.Client(api_key=source, endpoint=client.endpoint) as keyed_by_name:
        ...     me = await keyed_by_name.users.me()
        >>> keyed_by_name.spec().api_key == source
        True
    """

    __slots__ = ("_env", "_factory")

    def __init__(self, *, env: str | None = None, factory: Callable[[], str] | None = None) -> None:
        if (env is None) == (factory is None):
            raise InvalidArgumentError("api_key", "an ApiKey takes exactly one of env= and factory=")
        if env is not None and (not isinstance(env, str) or not env):
            raise InvalidArgumentError("env", f"expected the name of an environment variable, got {env!r}")
        if factory is not None and not callable(factory):
            raise InvalidArgumentError("factory", f"expected a zero-argument callable, got {type(factory).__name__}")
        self._env = env
        self._factory = factory

    @classmethod
    def from_env(cls, name: str = c.API_KEY_ENV) -> ApiKey:
        """The key in the environment variable ``name``, read where the client is made.

        Example:
            >>> alabelbox.ApiKey.from_env().env
            'LABELBOX_API_KEY'
        """
        return cls(env=name)

    @classmethod
    def from_callable(cls, factory: Callable[[], str]) -> ApiKey:
        """The key that ``factory()`` returns (e.g. from a secrets manager), called where the client is made.

        ``factory`` is pickled with the ``ApiKey``: a module-level function travels by reference; a closure
        travels by value (with cloudpickle, as Dask and Ray send it), so it should not capture the key itself.

        Example:
            >>> alabelbox.ApiKey.from_callable(lambda: "lb-example-key-0001").resolve()
            'lb-example-key-0001'
        """
        return cls(factory=factory)

    @property
    def env(self) -> str | None:
        """The environment variable's name, or None for a callable source."""
        return self._env

    def resolve(self) -> str:
        """Look the key up now.

        Raises:
            AuthenticationError: The variable is unset or empty, or the callable returned no string (or raised).
        """
        if self._env is not None:
            key = os.environ.get(self._env)
            if not key:
                raise AuthenticationError(
                    f"Labelbox API key not found: the environment variable {self._env} is not set in this process "
                    f"(pid {os.getpid()}); set it where the client is made (on every worker)"
                )
            return key
        assert self._factory is not None
        try:
            key = self._factory()
        except Exception as exc:
            raise AuthenticationError(
                f"Labelbox API key not found: {self._describe()} raised {type(exc).__name__}"
            ) from None
        if not isinstance(key, str) or not key:
            raise AuthenticationError(
                f"Labelbox API key not found: {self._describe()} returned {type(key).__name__}, not a non-empty string"
            )
        return key

    def _describe(self) -> str:
        if self._env is not None:
            return f"ApiKey.from_env({self._env!r})"
        factory = self._factory
        name = getattr(factory, "__qualname__", None) or type(factory).__name__
        module = getattr(factory, "__module__", None)
        return f"ApiKey.from_callable({module}.{name})" if module else f"ApiKey.from_callable({name})"

    def __repr__(self) -> str:
        return self._describe()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiKey):
            return NotImplemented
        return self._env == other._env and self._factory == other._factory

    def __hash__(self) -> int:
        return hash((self._env, self._factory))

    def __reduce__(self) -> Any:
        return (_restore_api_key, (self._env, self._factory))

    def __dask_tokenize__(self) -> Any:
        # Dask names tasks by hashing their arguments: a stable name, never the key.
        return ("alabelbox.ApiKey", self._describe())


def _restore_api_key(env: str | None, factory: Callable[[], str] | None) -> ApiKey:
    return ApiKey(env=env, factory=factory)


def key_source(api_key: str | ApiKey | Callable[[], str] | None) -> tuple[str, ApiKey | None]:
    """The key to use now, and the source to make it again elsewhere (None for a key given as a string)."""
    if isinstance(api_key, ApiKey):
        return api_key.resolve(), api_key
    if isinstance(api_key, str) and api_key:
        return api_key, None
    if api_key is None or api_key == "":
        source = ApiKey.from_env(c.API_KEY_ENV)
        key = os.environ.get(c.API_KEY_ENV)
        if not key:
            raise AuthenticationError(
                "Labelbox API key not provided: pass Client(api_key=...) or set the "
                f"{c.API_KEY_ENV} environment variable (create a key at https://app.labelbox.com/account/api-keys)"
            )
        return key, source
    if callable(api_key):
        source = ApiKey.from_callable(api_key)
        return source.resolve(), source
    raise InvalidArgumentError(
        "api_key", f"expected a key string, an ApiKey or a zero-argument callable, got {type(api_key).__name__}"
    )


@dataclass(frozen=True, slots=True)
class ClientSpec:
    """How to make a :class:`~alabelbox.Client` elsewhere: a picklable value that holds no key.

    Get one from a client with :meth:`~alabelbox.Client.spec`, send it to a worker, and call
    :meth:`client` there. The key is looked up then, on the worker, from :attr:`api_key`.

    Example:
        >>> import pickle
        >>> spec = alabelbox.ClientSpec(endpoint=client.endpoint)  # the key: LABELBOX_API_KEY, where it is used
        >>> blob = pickle.dumps(spec)
        >>> os.environ["LABELBOX_API_KEY"].encode() in blob
        False
        >>> async with pickle.loads(blob).client() as worker_client:
        ...     me = await worker_client.users.me()
    """

    endpoint: str
    """The GraphQL endpoint."""
    api_key: ApiKey = field(default_factory=ApiKey.from_env)
    """Where the key comes from."""
    timeout: Timeout = field(default_factory=Timeout)
    limits: Limits = field(default_factory=Limits)
    retry: RetryConfig = field(default_factory=RetryConfig)

    def client(self) -> Client:
        """A new client made from this spec, its key looked up now (open it with ``async with``).

        Raises:
            AuthenticationError: The key cannot be found here (e.g. the variable is not set on this worker).
        """
        from alabelbox._client import Client

        return Client(
            api_key=self.api_key, endpoint=self.endpoint, timeout=self.timeout, limits=self.limits, retry=self.retry
        )

    def __dask_tokenize__(self) -> Any:
        return ("alabelbox.ClientSpec", self.endpoint, repr(self.api_key), self.timeout, self.limits, self.retry)
