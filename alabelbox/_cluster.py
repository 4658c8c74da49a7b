"""What the Dask and Ray readers share: planning an export's shards on the driver, reading one shard on a worker.

The driver lists the shards (:meth:`~alabelbox.resources.exports.Exports.shards`, unsigned) and sends each worker a
:class:`~alabelbox.ClientSpec` (the endpoint, the configuration and *where* the key is, never the key) and one
:class:`~alabelbox.ExportShard` (ranges, no URL). The worker makes its own client, signs the shard for itself, and
reads it with the bounded stream (``client.exports.stream(task, shard=shard)``), which resumes a failed body at the
exact byte. A shard whose read still fails with an error that may pass (a download that gave up, a lost connection,
a 5xx) is read again *whole*, up to ``attempts`` times, and its rows are handed to the engine only once complete:
so a shard is never delivered twice or in part, whichever engine runs it.

Both engines call synchronous functions on their workers, so the worker side runs its own event loop
(:func:`run_sync`), in a fresh thread when the calling thread already runs one (a notebook, an async Ray actor).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from alabelbox._credentials import ClientSpec
from alabelbox._exceptions import ExportDownloadError, InvalidArgumentError, LabelboxError, ShardReadError
from alabelbox._validation import check_positive_int
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import ExportTask, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["DEFAULT_ATTEMPTS", "plan", "read_shard", "read_shard_async", "run_sync", "spec_of"]

logger = logging.getLogger("alabelbox.cluster")

T = TypeVar("T")

#: Whole-shard reads per shard before the error is raised to the engine.
DEFAULT_ATTEMPTS = 3
_BACKOFF = 0.5


def run_sync(fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """``await fn(*args)`` on a private event loop, from synchronous code (in a new thread if this one runs a loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return anyio.run(fn, *args)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="alabelbox") as pool:
        return pool.submit(anyio.run, fn, *args).result()


def spec_of(client: Client | ClientSpec | None) -> ClientSpec:
    """The spec to send to workers: a spec as given, a client's :meth:`~alabelbox.Client.spec`, or the default
    (``LABELBOX_API_KEY``, and ``LABELBOX_ENDPOINT`` or the public endpoint, read here)."""
    if isinstance(client, ClientSpec):
        return client
    if client is None:
        from alabelbox._client import Client

        # Made to read the endpoint and check the key exists here; never opened.
        client = Client()
    from alabelbox._client import Client

    if not isinstance(client, Client):
        raise InvalidArgumentError("client", f"expected a Client, a ClientSpec or None, got {type(client).__name__}")
    return client.spec()


def task_id_of(task: ExportTask | str) -> str:
    """The id of a task given as a task or an id."""
    if isinstance(task, ExportTask):
        return task.id
    if isinstance(task, str) and task:
        return task
    raise InvalidArgumentError("task", f"expected an ExportTask or a task id, got {task!r}")


def plan(
    spec: ClientSpec,
    task: ExportTask | str,
    stream_type: StreamType,
    shards: Sequence[ExportShard] | None,
) -> list[ExportShard]:
    """The shards to read: the given ones (checked to belong to ``task``, without URLs), or listed now."""
    task_id = task_id_of(task)
    if shards is None:

        async def listing() -> list[ExportShard]:
            async with spec.client() as client:
                return await client.exports.shards(task_id, stream_type=stream_type, missing_ok=True)

        shards = run_sync(listing)
    checked: list[ExportShard] = []
    for i, shard in enumerate(shards):
        if not isinstance(shard, ExportShard):
            raise InvalidArgumentError(f"shards[{i}]", f"expected an ExportShard, got {type(shard).__name__}")
        if shard.task_id != task_id or shard.stream_type is not stream_type:
            raise InvalidArgumentError(
                f"shards[{i}]",
                f"belongs to the {shard.stream_type.value} stream of export task {shard.task_id}, not to the "
                f"{stream_type.value} stream of {task_id}",
            )
        # Never send a signed URL to a worker that signs for itself: it would sit in the engine's task graph.
        checked.append(shard.unsigned())
    return checked


def _may_pass(error: LabelboxError) -> bool:
    """Whether reading the shard again may succeed: a download that gave up, or anything retryable."""
    return error.retryable or type(error) is ExportDownloadError


async def read_shard_async(
    spec: ClientSpec,
    shard: ExportShard,
    model: Any,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    transform: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """Every row of ``shard``, in order, read whole (again, up to ``attempts`` times) with a client made from
    ``spec``: the rows of one complete read, or an error."""
    check_positive_int("attempts", attempts)
    last: LabelboxError | None = None
    for attempt in range(1, attempts + 1):
        try:
            async with spec.client() as client:
                stream = client.exports.stream(
                    shard.task_id, stream_type=shard.stream_type, model=model, shard=shard, concurrency=1
                )
                async with stream as rows:
                    if transform is None:
                        return [row.value async for row in rows]
                    return [transform(row.value) async for row in rows]
        except LabelboxError as error:
            if not _may_pass(error) or attempt == attempts:
                last = error
                break
            logger.warning(
                "export task %s shard %d: read %d of %d failed (%s); reading the whole shard again",
                shard.task_id,
                shard.index,
                attempt,
                attempts,
                type(error).__name__,
            )
            await anyio.sleep(_BACKOFF * attempt * (0.5 + random.random()))
    assert last is not None
    if not _may_pass(last):
        raise last
    raise ShardReadError(
        f"export task {shard.task_id} shard {shard.index} (lines {shard.line_start}-{shard.line_end}): "
        f"{attempts} whole reads failed; the last: {last}"
    ) from last


def read_shard(
    spec: ClientSpec,
    shard: ExportShard,
    model: Any = None,
    attempts: int = DEFAULT_ATTEMPTS,
    transform: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """Every row of one shard, read exactly once, from synchronous code: what a worker of any engine runs.

    Dask and Ray call it for you (:mod:`alabelbox.dask`, :mod:`alabelbox.ray`); call it yourself from another engine
    (a Spark ``flatMap``, a Beam ``FlatMap``). It makes a client from ``spec`` (the key looked up here), signs the
    shard, and reads it on a private event loop (in a new thread if this one runs a loop), resuming a failed body at
    the exact byte; a read that still fails with an error that may pass is done again whole, up to ``attempts``
    times. It returns only a complete shard, so an engine that retries a failed task never gets a row twice. It
    blocks the calling thread until then: from async code, run it in a worker thread.

    Args:
        spec: How to make the client (no key inside): :meth:`~alabelbox.Client.spec`.
        shard: The shard, from ``client.exports.shards(task)``.
        model: None for dict rows, or a pydantic model or ``TypeAdapter``.
        attempts: Whole reads before the error is raised.
        transform: Applied to each row as it is read.

    Returns:
        The shard's rows (``record.value``), in stream order.

    Raises:
        ShardReadError: Every whole read failed; it chains the last error.
        LabelboxError: An error that another read would not fix (a wrong key, a row that does not fit ``model``).

    Example:
        >>> shards = await client.exports.shards(task)
        >>> spec = alabelbox.ClientSpec(endpoint=client.endpoint)  # the key: LABELBOX_API_KEY, looked up here
        >>> import anyio  # it blocks its thread: from async code, run it in a worker thread
        >>> rows = await anyio.to_thread.run_sync(alabelbox.read_shard, spec, shards[0])
        >>> len(rows) == shards[0].lines
        True
    """
    started = time.perf_counter()
    rows = run_sync(_read, spec, shard, model, attempts, transform)
    logger.debug(
        "export task %s shard %d: %d rows in %.3f s",
        shard.task_id,
        shard.index,
        len(rows),
        time.perf_counter() - started,
    )
    return rows


async def _read(
    spec: ClientSpec, shard: ExportShard, model: Any, attempts: int, transform: Callable[[Any], Any] | None
) -> list[Any]:
    return await read_shard_async(spec, shard, model, attempts=attempts, transform=transform)
