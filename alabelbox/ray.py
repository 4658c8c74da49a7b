"""Read one export on Ray: :func:`read_export` gives a ``ray.data.Dataset`` through :class:`ExportDatasource`.

Install the extra: ``pip install "alabelbox[ray]"``.

The driver lists the export's shards; the datasource makes one read task per shard. A read task holds a
:class:`~alabelbox.ClientSpec` (the endpoint, the configuration and the *name* of the key's source) and an
:class:`~alabelbox.ExportShard` (its ranges): no API key and no signed URL is in a task's arguments. Do not pass
the key in ``runtime_env`` either: Ray writes a runtime environment's variables to its logs in plain text. Give
the workers the variable the way the cluster gives them any environment (the shell that starts ``ray start``, the
cluster's launcher or secrets store): a local ``ray.init()`` passes the driver's environment on.

Each worker makes its own client, signs its shard, reads it (resuming a failed body at the exact byte) and, if it
still fails, reads it again whole, inside the task: Ray retries a task on a Python exception only when told to, and
its rows go to Ray only once complete, so every row arrives exactly once.

Rows: with ``model=None`` each row is the export row's own top-level fields (``data_row``, ``projects``, ...,
nested values as Python objects); with a model, one column ``row`` holding the typed object.

Example:
    >>> import alabelbox.ray
    >>> ds = alabelbox.ray.read_export(task, client=client.spec(), preserve_order=True)
    >>> [row["data_row"]["id"] for row in ds.take_all()][:1]
    ['...']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

try:
    import ray.data
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError('alabelbox.ray needs Ray Data: pip install "alabelbox[ray]"') from exc

from alabelbox._cluster import DEFAULT_ATTEMPTS, plan, read_shard, spec_of
from alabelbox._credentials import ClientSpec
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import ExportTask, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["ExportDatasource", "read_export"]


class ExportDatasource(Datasource):
    """A Ray datasource of one export stream: one read task per shard, each read exactly once.

    Args:
        spec: How workers make their client (no key inside).
        shards: The shards to read, unsigned (:func:`read_export` lists them).
        model: None for dict rows, or a pydantic model or ``TypeAdapter`` (a column ``row``).
        attempts: Whole reads of one shard before its error is raised.
        transform: A function applied to each row on the worker; it must pickle.

    Example:
        >>> shards = await client.exports.shards(task)
        >>> source = alabelbox.ray.ExportDatasource(client.spec(), shards)
        >>> source.estimate_inmemory_data_size() == sum(s.size for s in shards)
        True
    """

    def __init__(
        self,
        spec: ClientSpec,
        shards: Sequence[ExportShard],
        model: Any = None,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        transform: Callable[[Any], Any] | None = None,
    ) -> None:
        self._spec = spec
        self._shards = [shard.unsigned() for shard in shards]
        self._model = model
        self._attempts = attempts
        self._transform = transform

    def get_name(self) -> str:
        """The name Ray shows for the read."""
        return "LabelboxExport"

    def estimate_inmemory_data_size(self) -> int | None:
        """The export's bytes (the rows take about as much once parsed into dicts; more as models)."""
        return sum(shard.size for shard in self._shards)

    def get_read_tasks(
        self, parallelism: int, per_task_row_limit: int | None = None, data_context: Any = None
    ) -> list[ReadTask]:
        """One read task per shard, in stream order (``parallelism`` is not used: a shard is the unit)."""
        return [
            ReadTask(
                _reader(self._spec, shard, self._model, self._attempts, self._transform),
                BlockMetadata(num_rows=shard.lines, size_bytes=shard.size, exec_stats=None, input_files=None),
            )
            for shard in self._shards
        ]


def _reader(
    spec: ClientSpec, shard: ExportShard, model: Any, attempts: int, transform: Callable[[Any], Any] | None
) -> Callable[[], Iterable[Any]]:
    def read() -> Iterable[Any]:
        pandas = importlib.import_module("pandas")  # a dependency of Ray Data
        rows = read_shard(spec, shard, model, attempts, transform)
        if model is None and transform is None:
            yield pandas.DataFrame.from_records(rows) if rows else pandas.DataFrame()
        else:
            yield pandas.DataFrame({"row": pandas.Series(rows, dtype=object)})

    return read


def read_export(
    task: ExportTask | str,
    model: Any = None,
    *,
    client: Client | ClientSpec | None = None,
    stream_type: StreamType = StreamType.RESULT,
    shards: Sequence[ExportShard] | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    transform: Callable[[Any], Any] | None = None,
    preserve_order: bool = False,
    concurrency: int | None = None,
) -> ray.data.Dataset:
    """A finished export task's rows as a Ray dataset, one read task per shard.

    Args:
        task: The task (COMPLETE) or its id.
        model: None for dict rows (the export row's fields as columns), or a pydantic model or ``TypeAdapter``
            importable on the workers (one column ``row``).
        client: Where workers get their client: a :class:`~alabelbox.ClientSpec`, or a client whose
            :meth:`~alabelbox.Client.spec` is taken; by default ``LABELBOX_API_KEY`` on each worker and the
            endpoint this process sees.
        stream_type: ``StreamType.RESULT`` or ``StreamType.ERRORS``.
        shards: The shards to read, from ``await client.exports.shards(task)`` (listed now by default).
        attempts: Whole reads of one shard before its error is raised.
        transform: A function applied to each row on the worker; it must pickle. With it, rows are one
            column ``row``.
        preserve_order: Keep stream order through the dataset's execution: sets the current
            ``DataContext``'s ``execution_options.preserve_order`` (Ray's switch for it; it applies to every
            dataset this driver runs from then on).
        concurrency: At most this many shards read at once (Ray's ``read_datasource(concurrency=)``); by default
            as many as the cluster has CPUs.

    Raises:
        TypeError: ``client`` was given its key as a string (see :meth:`~alabelbox.Client.spec`).
        InvalidArgumentError: A shard of another task or stream.

    Example:
        >>> ds = alabelbox.ray.read_export(task, client=client.spec())
        >>> ds.count()
        12
    """
    spec = spec_of(client)
    stream_type = StreamType(stream_type)
    planned = plan(spec, task, stream_type, shards)
    if preserve_order:
        ray.data.DataContext.get_current().execution_options.preserve_order = True
    if not planned:
        empty: ray.data.Dataset = ray.data.from_items([])
        return empty
    source = ExportDatasource(spec, planned, model, attempts=attempts, transform=transform)
    dataset: ray.data.Dataset = ray.data.read_datasource(
        source, override_num_blocks=len(planned), concurrency=concurrency
    )
    return dataset
