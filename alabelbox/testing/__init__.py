"""alabelbox.testing: a local, Labelbox-compatible emulator for tests, benchmarks and demos.

``async with Emulator(seed=1) as emu:`` serves the GraphQL API at ``emu.endpoint`` (key
``emu.api_key``) and export files from a second, storage-like origin at ``emu.storage_url``.
Data is generated from the seed; ``emu.faults`` injects faults; the truth API
(``emu.label_ids``, ``emu.export_lines``, ``emu.requests``...) says what the emulator holds.

``async with emulator_process("--seed", "1") as emu:`` runs the same emulator in a process of its own
(``python -m alabelbox.testing serve``), for benchmarks and demos that must not share a CPU with it.

The emulator depends on aiohttp, graphql-core and the standard library (and anyio, to run it in a
subprocess) only: never on the alabelbox client or models (``tests/testing/test_layout.py`` holds that).

How it is built:

* ``_data.World``: the seeded world. Every generated object is a pure function of its index, so a million
  labels cost no memory; only what a request changed is stored.
* ``_store``: the mutable state: the clock, the request log, label deletions, and :class:`~._store.Table`,
  one kind of object as the API sees it (seeded + created - deleted, with updates applied).
* ``resources/``: one module per resource (``users``, ``organization``, ``projects``, ``ontologies``,
  ``datasets``, ``data_rows``, ``labels``, ``batches``, ``tasks``, ``exports``, ``legacy_exports``, ``uploads``,
  ``ingestion`` (the SDK's ``upsertDataRows``), ``global_keys``, ...). Each holds its SDL fragment (``SDL``, with
  ``extend type Query`` / ``Mutation`` / ``<Other>`` blocks), its
  resolvers (:meth:`Resource.root`, :meth:`Resource.extend` for the fields it adds to another resource's
  objects, :meth:`Resource.routes` for its REST routes) and its state.
* ``_backend.Backend``: one instance of each resource, registered in ``resources.RESOURCES``; resources reach
  each other through it (``backend.datasets.find(...)``). ``_schema.build`` joins ``BASE_SDL`` and the
  fragments into one schema.
* ``_server``: the API origin: auth, faults and rate limit in front of ``/graphql`` and ``/_gql`` (JSON and
  GraphQL multipart requests, ``_multipart``) and the REST sub-application under ``/api/v1``.
* ``_storage``: the storage origin: V4-style signed GET (downloads) and PUT (uploads) URLs.
* ``_exports``: what an export line holds, and the shard writer thread.

``CONTRIBUTING.md`` ("Adding an emulator resource") says how to add one.
"""

from ._emulator import Emulator
from ._faults import Faults
from ._process import RunningEmulator, emulator_process
from ._store import Clock, RecordedRequest

__all__ = ["Clock", "Emulator", "Faults", "RecordedRequest", "RunningEmulator", "emulator_process"]
