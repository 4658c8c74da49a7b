"""Read one export on a Dask cluster: :func:`read_export` gives a ``dask.bag.Bag``, one partition per shard.

Install the extra: ``pip install "alabelbox[dask]"``.

The driver lists the export's shards (a few GraphQL round trips) and builds a graph of one task per shard. Each
task holds a :class:`~alabelbox.ClientSpec` (the endpoint, the configuration and the *name* of the key's source)
and an :class:`~alabelbox.ExportShard` (its ranges): no API key and no signed URL is ever in the graph, so neither
reaches the scheduler, its logs, or a pickle. Each worker makes its own client (looking the key up in its own
environment), signs its shard, and reads it, resuming a failed body at the exact byte; a shard that still fails is
read again whole, and its rows are handed to Dask only when complete, so every row arrives exactly once.

Example:
    >>> import alabelbox.dask
    >>> bag = alabelbox.dask.read_export(task, client=client.spec())  # dict rows
    >>> bag.npartitions == len(await client.exports.shards(task))
    True
    >>> ids = bag.map(lambda row: row["data_row"]["id"]).compute(scheduler="sync")
    >>> len(ids)
    12
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

try:
    import dask.bag
    from dask.base import tokenize
    from dask.highlevelgraph import HighLevelGraph
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError('alabelbox.dask needs Dask: pip install "alabelbox[dask]"') from exc

from alabelbox._cluster import DEFAULT_ATTEMPTS, plan, read_shard, spec_of, task_id_of
from alabelbox._credentials import ClientSpec
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import ExportTask, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["read_export"]


def read_export(
    task: ExportTask | str,
    model: Any = None,
    *,
    client: Client | ClientSpec | None = None,
    stream_type: StreamType = StreamType.RESULT,
    shards: Sequence[ExportShard] | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    transform: Callable[[Any], Any] | None = None,
) -> dask.bag.Bag:
    """A finished export task's rows as a Dask bag: one partition per shard, in stream order.

    Task keys are deterministic: the same task, shards, model and client spec give the same keys, so Dask can
    reuse what it computed. ``bag.to_dataframe()`` works on dict rows (``model=None``).

    Args:
        task: The task (COMPLETE) or its id.
        model: What each row becomes: None for plain dicts (the default), or a pydantic model or ``TypeAdapter``
            (e.g. :class:`~alabelbox.types.ExportRow`), importable on the workers.
        client: Where workers get their client: a :class:`~alabelbox.ClientSpec`, or a client whose
            :meth:`~alabelbox.Client.spec` is taken (it must have been given its key by name, e.g.
            ``ApiKey.from_env``); by default ``LABELBOX_API_KEY`` on each worker and the endpoint this process
            sees.
        stream_type: ``StreamType.RESULT`` or ``StreamType.ERRORS``.
        shards: The shards to read, from ``await client.exports.shards(task)`` (by default they are listed now,
            on a private event loop). Signed URLs are dropped: workers sign for themselves.
        attempts: Whole reads of one shard before its error is raised (a failed body is resumed in place first).
        transform: A function applied to each row on the worker (e.g. to keep a few fields); it must pickle.

    Returns:
        The bag. An empty export (or a stream that does not exist) gives a bag with no items.

    Raises:
        TypeError: ``client`` was given its key as a string (see :meth:`~alabelbox.Client.spec`).
        InvalidArgumentError: A shard of another task or stream.
        ExportStreamNotFoundError, ExportDownloadError: While listing the shards.

    Example:
        >>> bag = alabelbox.dask.read_export(task, client=client.spec())
        >>> frame = bag.map(lambda r: {"id": r["data_row"]["id"]}).to_dataframe()
        >>> len(frame.compute(scheduler="sync"))
        12
    """
    spec = spec_of(client)
    stream_type = StreamType(stream_type)
    planned = plan(spec, task, stream_type, shards)
    if not planned:
        empty: dask.bag.Bag = dask.bag.from_sequence([], npartitions=1)  # type: ignore[no-untyped-call]
        return empty
    token = tokenize(
        task_id_of(task),
        stream_type.value,
        _model_token(model),
        _model_token(transform),
        [shard.ranges() for shard in planned],
        spec,
        attempts,
    )
    name = f"alabelbox-read-export-{token}"
    graph: dict[Any, Any] = {
        (name, i): (read_shard, spec, shard, model, attempts, transform) for i, shard in enumerate(planned)
    }
    return dask.bag.Bag(HighLevelGraph.from_collections(name, graph, dependencies=[]), name, len(planned))


def _model_token(value: Any) -> str:
    """A stable name for a model, a TypeAdapter or a function (the default hash of an object changes per run)."""
    if value is None:
        return "None"
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if module and qualname:
        return f"{module}.{qualname}"
    return tokenize(value)
