"""The export machinery behind ``client.exports``, one module per job.

- :mod:`~alabelbox._exports.creation`: the input of an export mutation, from the typed keywords of ``create``.
- :mod:`~alabelbox._exports.filters`: export filters and params, checked and turned into the API's search query.
- :mod:`~alabelbox._exports.shards`: a stream's totals and where its shards are (the locator probes ahead).
- :mod:`~alabelbox._exports.stream`: the shard streamer, several shards in flight, records yielded in order.
- :mod:`~alabelbox._exports.download`: a stream copied to a file, atomically and resumably.
- :mod:`~alabelbox._exports.legacy`: the legacy bulk export (``exportLabels``), polled, then read as one JSON array.

Waiting for an export task is the tasks' one wait (:func:`alabelbox.resources.tasks.wait_for_task`). Nothing here
imports a resource or the client at run time: the resource hands its client in.
"""
