"""Packed annotations (``_packed``): what an import keeps comes back equal, and joined parts are marshal's own bytes."""

from __future__ import annotations

import asyncio
import json
import marshal
from typing import Any

from alabelbox.testing import Emulator
from alabelbox.testing._packed import join, pack, pack_part, unpack

BOX: dict[str, Any] = {
    "feature_id": "cimp1",
    "name": "damage 損傷 \ud800",
    "bounding_box": {"top": 1, "left": 10.5, "height": 2**70, "width": float("inf")},
    "classifications": [{"radio_answer": {"name": "good", "classifications": []}, "flag": True, "none": None}],
}


def test_a_packed_object_comes_back_equal_and_fresh() -> None:
    packed = pack(BOX)
    assert isinstance(packed, bytes)
    first, second = unpack(packed), unpack(packed)
    assert first == BOX and first is not second and first["classifications"] is not BOX["classifications"]
    assert list(first) == list(BOX) and type(first["bounding_box"]["height"]) is int


def test_joined_parts_are_the_bytes_marshal_writes_for_the_whole() -> None:
    other = dict(BOX, feature_id="cimp2")
    content = {"objects": [pack_part(BOX), pack_part(other)], "classifications": [], "relationships": []}
    whole = {"objects": [BOX, other], "classifications": [], "relationships": []}
    assert join(content) == marshal.dumps(whole, 2)
    assert unpack(join(content)) == whole


def test_what_marshal_cannot_hold_is_kept_as_it_is() -> None:
    class Odd(dict[str, Any]):
        pass

    odd = Odd(a=1)
    assert pack(odd) is odd and pack_part(odd) is odd and unpack(odd) is odd
    assert unpack(join({"objects": [pack_part(BOX), odd], "frames": {}})) == {"objects": [BOX, odd], "frames": {}}


async def _feature_ids(files: list[bytes]) -> list[str]:
    """The feature ids of the pre-labels a fresh emulator keeps after importing ``files`` one after the other."""
    async with Emulator(projects=1, data_rows=3) as emu:
        imports = emu.backend.imports
        key = emu.backend.projects.find_key(emu.project_ids[0])
        assert key is not None
        for n, data in enumerate(files):
            running = set(imports._running)
            imports.start("MALPredictionImport", f"import {n}", key, data)
            await asyncio.gather(*(imports._running - running))
        return [o["feature_id"] for kept in emu.prelabels(emu.project_ids[0]).values() for o in kept[0]["objects"]]


async def test_an_import_that_is_not_ndjson_takes_no_feature_ids(monkeypatch: Any) -> None:
    monkeypatch.setattr("alabelbox.testing.resources.imports.CHUNK_LINES", 2)  # the bad line comes chunks later
    async with Emulator(projects=1, data_rows=3) as emu:
        rows = [{"id": emu.world.row_id(0, i)} for i in range(3)]
    line = {"name": "vent 📍", "point": {"x": 1, "y": 2}}
    good = b"".join((json.dumps({"uuid": f"u{i}", "dataRow": r, **line}) + "\n").encode() for i, r in enumerate(rows))
    alone = await _feature_ids([good])
    after_a_failure = await _feature_ids([good + b"{not json\n", good])
    assert len(alone) == 3 and after_a_failure == alone
