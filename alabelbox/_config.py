"""Small frozen value objects that configure a Client: Timeout, Limits, RetryConfig."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypeAlias

from alabelbox import _constants as c


@dataclass(frozen=True, slots=True)
class Timeout:
    """Time limits for one request, in seconds. ``None`` means no limit.

    Attributes:
        total: The whole of one attempt: connecting, sending and reading the answer.
        connect: Getting a connection from the pool, including establishing a new one.
        pool: Waiting for a free slot under the client's concurrency limit.
    """

    total: float | None = c.DEFAULT_TIMEOUT
    connect: float | None = c.DEFAULT_CONNECT_TIMEOUT
    pool: float | None = None

    @classmethod
    def coerce(cls, value: float | Timeout | None) -> Timeout:
        """Turn a number of seconds (or None, for no limit) into a Timeout."""
        if isinstance(value, Timeout):
            return value
        if value is None:
            return cls(total=None, connect=None, pool=None)
        return cls(total=float(value), connect=min(float(value), c.DEFAULT_CONNECT_TIMEOUT))


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the client's pool.

    Attributes:
        max_connections: Open TCP connections across all hosts (API and downloads share them).
        max_connections_per_host: Open TCP connections to one host; 0 for no per-host limit.
        max_concurrent_requests: GraphQL operations in flight at once; the rest queue.
        keepalive_timeout: Seconds an idle connection stays open for reuse.
    """

    max_connections: int = c.DEFAULT_MAX_CONNECTIONS
    max_connections_per_host: int = 0
    max_concurrent_requests: int = c.DEFAULT_MAX_CONCURRENT_REQUESTS
    keepalive_timeout: float = c.DEFAULT_KEEPALIVE_TIMEOUT

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        if self.max_concurrent_requests < 1:
            raise ValueError("max_concurrent_requests must be at least 1")


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """How failed requests are retried.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        initial_delay: The backoff ceiling of the first retry; it doubles on each retry.
        max_delay: The cap of the backoff ceiling.
        max_retry_after: The longest ``Retry-After`` that is honoured; longer asks are cut to this.
        deadline: Seconds from the first attempt after which no retry is started.
    """

    max_retries: int = c.DEFAULT_MAX_RETRIES
    initial_delay: float = c.DEFAULT_INITIAL_RETRY_DELAY
    max_delay: float = c.DEFAULT_MAX_RETRY_DELAY
    max_retry_after: float = c.DEFAULT_MAX_RETRY_AFTER
    deadline: float | None = c.DEFAULT_RETRY_DEADLINE

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")


class UseClientDefault(enum.Enum):
    """The type of :data:`USE_CLIENT_DEFAULT`."""

    TOKEN = "use-client-default"


#: A per-call ``timeout=`` default meaning "the client's timeout" (None already means "no limit").
USE_CLIENT_DEFAULT = UseClientDefault.TOKEN

#: What every network call accepts as ``timeout``: seconds, a Timeout, None for no limit, or the client's default.
TimeoutArg: TypeAlias = float | Timeout | UseClientDefault | None
