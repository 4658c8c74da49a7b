"""alabelbox.testing: a local, Labelbox-compatible emulator for tests, benchmarks and demos.

``async with Emulator(seed=1) as emu:`` serves the GraphQL API at ``emu.endpoint`` (key
``emu.api_key``) and export files from a second, storage-like origin at ``emu.storage_url``.
Data is generated from the seed; ``emu.faults`` injects faults; the truth API
(``emu.label_ids``, ``emu.export_lines``, ``emu.requests``...) says what the emulator holds.

``async with emulator_process("--seed", "1") as emu:`` runs the same emulator in a process of its own
(``python -m alabelbox.testing serve``), for benchmarks and demos that must not share a CPU with it.

The emulator depends on aiohttp, graphql-core and the standard library (and anyio, to run it in a
subprocess) only: never on the alabelbox client or models.
"""

from ._emulator import Emulator
from ._faults import Faults
from ._process import RunningEmulator, emulator_process
from ._store import Clock, RecordedRequest

__all__ = ["Clock", "Emulator", "Faults", "RecordedRequest", "RunningEmulator", "emulator_process"]
