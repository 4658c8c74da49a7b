"""An import's processing in chunks: its count of steps only rises, from 0 to two per line."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from alabelbox.testing import Emulator


async def test_the_steps_of_an_import_only_rise_until_it_is_processed(monkeypatch: Any) -> None:
    monkeypatch.setattr("alabelbox.testing.resources.imports.CHUNK_LINES", 20)
    async with Emulator(projects=1, data_rows=50, task_seconds=0) as emu:
        imports = emu.backend.imports
        key = emu.backend.projects.find_key(emu.project_ids[0])
        assert key is not None
        rows = [emu.world.row_id(0, i % 50) for i in range(1000)]
        data = b"".join(
            (json.dumps({"uuid": f"u{i}", "dataRow": {"id": r}, "name": "text_q0", "answer": "x"}) + "\n").encode()
            for i, r in enumerate(rows)
        )
        job = imports.start("LabelImport", "steps", key, data)
        seen = []
        while not job.processed:
            seen.append(job.steps)
            await asyncio.sleep(0)  # each turn of the loop is one chunk of the import
    assert len(set(seen)) > 10 and seen == sorted(seen) and max(seen) < 2000
    assert job.steps == 2000 and job.errors == 0
