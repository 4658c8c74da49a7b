"""Parquet and DataFrames: every annotation exactly once, geometry exact, fixed schemas, row groups as rows arrive."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import pyarrow.parquet as pq
import pytest

from alabelbox import Client, InvalidArgumentError
from alabelbox.destinations import (
    annotations_schema,
    parquet,
    rows_schema,
    to_pandas,
    to_polars,
    write_export,
    write_task,
)
from alabelbox.destinations.parquet import ParquetDestination
from alabelbox.testing import Emulator
from tests.destinations.conftest import ALL_SAMPLES, IMAGE_SAMPLES, count_by_kind, listing, rows_of


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda p: p.name)
async def test_real_samples_every_annotation_once(sample: Path, tmp_path: Path) -> None:
    rows = rows_of(sample)
    out = tmp_path / "out.parquet"
    summary = await write_export(sample, out)
    table = pq.read_table(tmp_path / "out.annotations.parquet")
    assert Counter(table.column("kind").to_pylist()) == count_by_kind(rows) == summary.written
    assert pq.read_table(out).num_rows == len(rows) == summary.rows
    assert not listing(tmp_path, "*.part")


@pytest.mark.parametrize("sample", IMAGE_SAMPLES, ids=lambda p: p.name)
async def test_boxes_are_exact(sample: Path, tmp_path: Path) -> None:
    await write_export(sample, tmp_path / "out.parquet")
    got = pq.read_table(tmp_path / "out.annotations.parquet").to_pylist()
    expected = [
        (row["data_row"]["id"], obj["feature_id"], obj["bounding_box"])
        for row in rows_of(sample)
        for project in row["projects"].values()
        for label in project["labels"]
        for obj in label["annotations"]["objects"]
    ]
    assert [
        (r["data_row_id"], r["feature_id"], {k: r[f"bbox_{k}"] for k in ("top", "left", "height", "width")})
        for r in got
    ] == expected


async def test_rows_table_sections_round_trip(tmp_path: Path) -> None:
    sample = IMAGE_SAMPLES[0]
    await write_export(sample, tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    for got, row in zip(table, rows_of(sample), strict=True):
        assert json.loads(got["projects"]) == row["projects"]
        assert json.loads(got["data_row"]) == row["data_row"]
        assert got["width"] == row["media_attributes"]["width"]


async def test_schema_is_the_same_for_different_exports(tmp_path: Path) -> None:
    for n, sample in enumerate(ALL_SAMPLES):
        await write_export(sample, tmp_path / f"{n}.parquet")
        assert pq.read_schema(tmp_path / f"{n}.parquet").remove_metadata() == rows_schema().remove_metadata()
        got = pq.read_schema(tmp_path / f"{n}.annotations.parquet").remove_metadata()
        assert got == annotations_schema().remove_metadata()


async def test_row_groups_are_written_as_the_stream_goes(tmp_path: Path) -> None:
    sample = IMAGE_SAMPLES[1]  # 112 rows, 839 boxes
    seen: list[int] = []

    async def rows() -> Any:
        for n, row in enumerate(rows_of(sample)):
            if n == 100:  # by now, row groups of 16 rows must already be on disk
                part = tmp_path / "out.parquet.part"
                seen.append(part.stat().st_size)
            yield row

    await write_export(rows(), tmp_path / "out.parquet", row_group_rows=16)
    assert seen and seen[0] > 0
    assert pq.ParquetFile(tmp_path / "out.parquet").num_row_groups == 7  # 112 / 16
    annotations = pq.ParquetFile(tmp_path / "out.annotations.parquet").metadata
    sizes = [annotations.row_group(i).num_rows for i in range(annotations.num_row_groups)]
    # A group is written once it holds 16 records, at the end of the row that filled it.
    assert sum(sizes) == 839 and len(sizes) > 20 and all(n >= 16 for n in sizes[:-1])


async def test_a_failed_stream_leaves_nothing(tmp_path: Path) -> None:
    async def rows() -> Any:
        yield rows_of(IMAGE_SAMPLES[0])[0]
        raise RuntimeError("the stream broke")

    (tmp_path / "out.parquet").write_bytes(b"an older file")
    with pytest.raises(RuntimeError, match="the stream broke"):
        await write_export(rows(), tmp_path / "out.parquet")
    assert listing(tmp_path) == ["out.parquet"]
    assert (tmp_path / "out.parquet").read_bytes() == b"an older file"


async def test_the_format_must_be_known(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match=r"cannot tell the format from .*out\.json.*format='parquet'"):
        await write_export([], tmp_path / "out.json")
    with pytest.raises(InvalidArgumentError, match="expected one of parquet, coco, yolo, got 'xml'"):
        await write_export([], tmp_path / "out", format="xml")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected an export row .* got int"):
        await write_export([1], tmp_path / "out.parquet")
    assert listing(tmp_path) == []


async def test_emulator_export_counts_and_dataframes(emu: Emulator, emu_client: Client, tmp_path: Path) -> None:
    task = await emu_client.exports.create_and_poll(project_id=emu.project_ids[0], poll_interval=0.01)
    lines = [json.loads(line) for line in emu.export_lines(task.id)]
    progress: list[int | None] = []
    summary = await write_task(
        emu_client,
        task,
        tmp_path / "out.parquet",
        row_group_rows=50,
        on_progress=lambda p: progress.append(p.total_bytes),
    )
    expected = count_by_kind(lines)
    assert {"ImageBoundingBox", "radio", "checklist", "relationship"} <= set(expected)
    assert summary.written == expected and summary.rows == len(lines)
    assert progress and progress[-1] == (await emu_client.exports.metadata(task)).total_size  # type: ignore[union-attr]
    frame = await to_pandas(tmp_path / "out.parquet")
    assert Counter(frame["kind"]) == expected
    nested = frame[frame["parent_feature_id"].notna()]
    assert len(nested) > 0 and set(nested["parent_feature_id"]) <= set(frame["feature_id"])
    rows_frame = await to_polars(tmp_path / "out.parquet", table="rows")
    assert rows_frame.height == len(lines)
    async with emu_client.exports.stream(task, model=None) as rows:
        streamed = await to_polars(rows)
    assert streamed.height == len(frame)
    polygons = frame[frame["kind"] == "ImagePolygon"]
    first = next(
        o for row in lines for p in row["projects"].values() for lab in p["labels"]
        for o in lab["annotations"]["objects"] if o["annotation_kind"] == "ImagePolygon"
    )  # fmt: skip
    got = polygons[polygons["feature_id"] == first["feature_id"]]["points"].iloc[0]
    assert [{"x": v["x"], "y": v["y"]} for v in got] == first["polygon"]


async def test_typed_rows_give_the_same_table(emu: Emulator, emu_client: Client, tmp_path: Path) -> None:
    task = await emu_client.exports.create_and_poll(project_id=emu.project_ids[0], poll_interval=0.01)
    async with emu_client.exports.stream(task) as typed:
        from_models = await to_pandas(typed)
    async with emu_client.exports.stream(task, model=None) as plain:
        from_dicts = await to_pandas(plain)
    assert from_models.equals(from_dicts)
    await anyio.lowlevel.checkpoint()


def _one_box_rows(n: int) -> list[dict[str, Any]]:
    def row(i: int) -> dict[str, Any]:
        box = {"top": i, "left": 1, "height": 2, "width": 3}
        obj = {"feature_id": f"f{i}", "name": "car", "annotation_kind": "ImageBoundingBox", "bounding_box": box}
        label = {"id": f"l{i}", "annotations": {"objects": [obj], "classifications": [], "relationships": []}}
        return {"data_row": {"id": f"d{i}"}, "projects": {"p": {"labels": [label]}}}

    return [row(i) for i in range(n)]


def _group_sizes(path: Path) -> list[int]:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


async def test_row_groups_grow_with_the_square_root_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parquet's writer keeps every row group's metadata until the file is closed: a row group is many batches, as
    # many as make about sqrt(footer x bytes written) of Arrow data.
    monkeypatch.setattr(parquet, "BATCH_ROWS", 4)
    summary = await write_export(_one_box_rows(600), tmp_path / "out.parquet")
    assert summary.written == {"ImageBoundingBox": 600}
    sizes = _group_sizes(tmp_path / "out.annotations.parquet")
    assert sum(sizes) == 600 and sizes[0] == 4  # nothing written yet: the first batch is a group
    assert all(n % 4 == 0 for n in sizes[:-1]) and sizes[:-1] == sorted(sizes[:-1]) and max(sizes) >= 5 * 4
    assert len(sizes) < 600 / 4 / 4
    tops = pq.read_table(tmp_path / "out.annotations.parquet").column("bbox_top").to_pylist()
    assert tops == [float(i) for i in range(600)]
    assert sum(_group_sizes(tmp_path / "out.parquet")) == 600


async def test_row_groups_stay_within_the_bounds_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "BATCH_ROWS", 4)
    await write_export(_one_box_rows(100), tmp_path / "rows.parquet", row_group_rows=8)
    assert _group_sizes(tmp_path / "rows.annotations.parquet") == [4] + [8] * 12  # the first batch, then 8 a group
    await write_export(_one_box_rows(100), tmp_path / "bytes.parquet", row_group_bytes=1)
    assert _group_sizes(tmp_path / "bytes.annotations.parquet") == [1] * 100  # a byte: every row is a group


async def test_row_groups_use_the_system_pool(tmp_path: Path) -> None:
    # Its release_unused() after each row group is glibc's malloc_trim: the writer thread's freed pages go back.
    destination = ParquetDestination(tmp_path / "out.parquet")
    try:
        assert [t._pool.backend_name for t in (destination._rows, destination._annotations) if t] == ["system"] * 2
    finally:
        await destination.discard()
