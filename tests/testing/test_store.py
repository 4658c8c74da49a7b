"""The writable Table: seeded + created - deleted, with updates applied, in a stable order."""

from __future__ import annotations

import pytest

from alabelbox.testing._store import Table


def seeded(k: int) -> dict[str, object]:
    return {"id": f"s{k}", "name": f"seeded {k}"}


def test_seeded_then_created_minus_deleted_with_updates() -> None:
    table = Table(seeded, 3)
    assert list(table.keys()) == [0, 1, 2] and len(table) == 3
    key = table.create({"id": "c1", "name": "made"})
    assert key == "c1"
    assert table.update(1, {"name": "renamed"})["name"] == "renamed"
    assert table.update("c1", {"name": "remade"}) == {"id": "c1", "name": "remade"}
    assert table.delete(0) is True
    assert table.delete(0) is False
    assert list(table.keys()) == [1, 2, "c1"] and len(table) == 3
    assert [table.get(k)["name"] for k in table.keys()] == ["renamed", "seeded 2", "remade"]
    assert table.is_deleted(0) and not table.has(0) and table.has("c1")


def test_reads_are_copies_and_every_write_bumps_the_version() -> None:
    table = Table(seeded, 1)
    table.get(0)["name"] = "scribbled"
    assert table.get(0)["name"] == "seeded 0"
    versions = [table.version]
    table.create({"id": "c"})
    versions.append(table.version)
    table.update("c", {"x": 1})
    versions.append(table.version)
    table.delete("c")
    versions.append(table.version)
    assert versions == sorted(set(versions))


def test_missing_and_deleted_objects_are_refused() -> None:
    table = Table(seeded, 2)
    table.delete(1)
    for key in (1, 2, -1, "nope"):
        with pytest.raises(KeyError):
            table.get(key)
        with pytest.raises(KeyError):
            table.update(key, {"name": "x"})
    table.create({"id": "c"})
    with pytest.raises(KeyError, match="already exists"):
        table.create({"id": "c"})
