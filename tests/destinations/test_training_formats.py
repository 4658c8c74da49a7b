"""COCO and YOLO: every annotation written or counted as skipped, exact geometry, masks fetched through the pool."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pycocotools import mask as mask_api
from pycocotools.coco import COCO

from alabelbox import Client, ExportDataError, InvalidArgumentError
from alabelbox.destinations import write_export, write_task
from alabelbox.destinations.coco import CocoDestination
from alabelbox.testing import Emulator
from tests.destinations.conftest import (
    API_KEY,
    IMAGE_SAMPLES,
    SAMPLES,
    MaskServer,
    count_by_kind,
    listing,
    png,
    rows_of,
)

#: pycocotools' decoder (annToMask, toBbox) warns under numpy 2 inside its Cython code; only the tests decode.
DECODE_WARNING = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


def _objects(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        obj
        for row in rows
        for project in (row.get("projects") or {}).values()
        for label in project["labels"]
        for obj in label["annotations"].get("objects") or []
    ]


def _load_coco(path: Path, capsys: pytest.CaptureFixture[str]) -> COCO:
    coco = COCO(str(path))  # pycocotools' own loader; it prints its progress
    capsys.readouterr()
    return coco


@pytest.mark.parametrize("sample", IMAGE_SAMPLES, ids=lambda p: p.name)
async def test_coco_of_real_boxes(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = rows_of(sample)
    summary = await write_export(sample, tmp_path / "coco.json", format="coco")
    coco = _load_coco(tmp_path / "coco.json", capsys)
    assert len(coco.getImgIds()) == len(rows)
    boxes = [obj["bounding_box"] for obj in _objects(rows)]
    anns = coco.loadAnns(coco.getAnnIds())
    assert [a["bbox"] for a in anns] == [[b["left"], b["top"], b["width"], b["height"]] for b in boxes]
    assert summary.written == count_by_kind(rows) and not summary.skipped
    names = {c["name"] for c in coco.loadCats(coco.getCatIds())}
    assert names == {obj["name"] for obj in _objects(rows)}  # by name: one schema id stands for several names here


@pytest.mark.parametrize("sample", IMAGE_SAMPLES, ids=lambda p: p.name)
async def test_yolo_of_real_boxes(sample: Path, tmp_path: Path) -> None:
    rows = rows_of(sample)
    summary = await write_export(sample, tmp_path / "yolo", format="yolo")
    classes = (tmp_path / "yolo" / "classes.txt").read_text().splitlines()
    assert 'names:\n  0: "' in (tmp_path / "yolo" / "data.yaml").read_text()
    index = (tmp_path / "yolo" / "images.csv").read_text().splitlines()[1:]
    assert len(index) == len(rows) == len(list((tmp_path / "yolo" / "labels").iterdir()))
    got = []
    for line in index:
        stem, data_row_id = line.split(",")[:2]
        row = next(r for r in rows if r["data_row"]["id"] == data_row_id)
        w, h = row["media_attributes"]["width"], row["media_attributes"]["height"]
        for text in (tmp_path / "yolo" / "labels" / f"{stem}.txt").read_text().splitlines():
            cls, cx, cy, bw, bh = text.split()
            got.append((classes[int(cls)], float(cx) * w, float(cy) * h, float(bw) * w, float(bh) * h))
    want = [
        (o["name"], o["bounding_box"]["left"] + o["bounding_box"]["width"] / 2,
         o["bounding_box"]["top"] + o["bounding_box"]["height"] / 2, o["bounding_box"]["width"],
         o["bounding_box"]["height"])
        for o in _objects(rows)
    ]  # fmt: skip
    assert len(got) == len(want)
    for g, x in zip(sorted(got), sorted(want), strict=True):
        assert g[0] == x[0] and g[1:] == pytest.approx(x[1:], rel=1e-12)
    assert summary.annotations == len(want) and not summary.skipped


async def test_pinned_classes(tmp_path: Path) -> None:
    sample = IMAGE_SAMPLES[0]
    summary = await write_export(sample, tmp_path / "yolo", format="yolo", classes=["person", "dog"])
    assert (tmp_path / "yolo" / "classes.txt").read_text() == "person\ndog\n"
    names = [o["name"] for o in _objects(rows_of(sample))]
    assert summary.annotations == names.count("person") + names.count("dog")
    assert sum(summary.skipped.values()) == len(names) - summary.annotations
    with pytest.raises(InvalidArgumentError, match="the class names repeat"):
        await write_export(sample, tmp_path / "again", format="yolo", classes=["a", "a"])


@DECODE_WARNING
async def test_emulator_export_to_coco_and_yolo(
    emu: Emulator, emu_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = await emu_client.exports.create_and_poll(project_id=emu.project_ids[0], poll_interval=0.01)
    lines = [json.loads(line) for line in emu.export_lines(task.id)]
    expected = count_by_kind(lines)
    # The emulator's mask URLs name api.labelbox.com, which is not served here: skip them.
    coco_summary = await write_task(emu_client, task, tmp_path / "coco.json", format="coco", masks="skip")
    assert coco_summary.written + coco_summary.skipped == expected
    assert set(coco_summary.written) == {"ImageBoundingBox", "ImagePolygon", "ImagePoint"}
    coco = _load_coco(tmp_path / "coco.json", capsys)
    assert len(coco.getAnnIds()) == coco_summary.annotations
    polygon = next(a for a in coco.loadAnns(coco.getAnnIds()) if a["segmentation"])
    assert coco.annToMask(polygon).sum() > 0  # pycocotools can rasterise what was written
    point = next(a for a in coco.loadAnns(coco.getAnnIds()) if "keypoints" in a)
    assert coco.loadCats(point["category_id"])[0]["keypoints"] == ["point"]
    for task_kind in ("detect", "segment"):
        summary = await write_task(emu_client, task, tmp_path / task_kind, format="yolo", yolo_task=task_kind)
        assert summary.written + summary.skipped == expected
        lines_written = sum(len(p.read_text().splitlines()) for p in (tmp_path / task_kind / "labels").iterdir())
        assert lines_written == summary.annotations
    assert summary.written["ImagePolygon"] == expected["ImagePolygon"]


@DECODE_WARNING
async def test_coco_masks_fetched_through_the_pool(
    mask_server: MaskServer, mask_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An individual mask on the API origin (key needed), a composite mask with two instances on a storage origin.
    mask_server.files["/api/v1/masks/one"] = png([[0, 255, 255], [0, 255, 0]], "L")
    red, blue = (255, 0, 0), (0, 0, 255)
    mask_server.files["/composite"] = png([[red, red, blue], [(0, 0, 0), blue, blue]], "RGB")
    objects = [
        {"feature_id": "f1", "name": "moss", "annotation_kind": "ImageSegmentationMask",
         "mask": {"url": f"{mask_server.api}/api/v1/masks/one"}},
        {"feature_id": "f2", "name": "moss", "annotation_kind": "ImageSegmentationMask",
         "composite_mask": {"url": f"{mask_server.storage}/composite?X-Goog-Signature=s", "color_rgb": list(red)}},
        {"feature_id": "f3", "name": "rust", "annotation_kind": "ImageSegmentationMask",
         "composite_mask": {"url": f"{mask_server.storage}/composite?X-Goog-Signature=s", "color_rgb": list(blue)}},
    ]  # fmt: skip
    row = {
        "data_row": {"id": "dr1", "external_id": "a.png"},
        "media_attributes": {"width": 3, "height": 2, "mime_type": "image/png"},
        "projects": {"p1": {"labels": [{"id": "l1", "annotations": {"objects": objects}}]}},
    }
    summary = await write_export([row], tmp_path / "coco.json", format="coco", client=mask_client)
    assert summary.written["ImageSegmentationMask"] == 3 and summary.masks_fetched == 2  # the composite once
    auth = dict(mask_server.seen)
    assert auth[f"{mask_server.api.removeprefix('http://')}/api/v1/masks/one"] == f"Bearer {API_KEY}"
    assert auth[f"{mask_server.storage.removeprefix('http://')}/composite"] is None  # the key stays on the API
    coco = _load_coco(tmp_path / "coco.json", capsys)
    masks = [coco.annToMask(a).tolist() for a in coco.loadAnns(coco.getAnnIds())]
    assert masks == [[[0, 1, 1], [0, 1, 0]], [[1, 1, 0], [0, 0, 0]], [[0, 0, 1], [0, 1, 1]]]
    assert [a["area"] for a in coco.loadAnns(coco.getAnnIds())] == [3, 2, 3]
    assert mask_api.toBbox(coco.loadAnns(1)[0]["segmentation"]).tolist() == [1.0, 0.0, 2.0, 2.0]


async def test_masks_fetched_concurrently_and_bounded(
    mask_server: MaskServer, mask_client: Client, tmp_path: Path
) -> None:
    objects = []
    for n in range(12):
        mask_server.files[f"/api/v1/masks/{n}"] = png([[255]], "L")
        objects.append(
            {"feature_id": f"f{n}", "name": "m", "annotation_kind": "ImageSegmentationMask",
             "mask": {"url": f"{mask_server.api}/api/v1/masks/{n}"}}
        )  # fmt: skip
    row = {
        "data_row": {"id": "dr"},
        "media_attributes": {"width": 1, "height": 1, "mime_type": "image/png"},
        "projects": {"p": {"labels": [{"id": "l", "annotations": {"objects": objects}}]}},
    }
    destination = CocoDestination(tmp_path / "c.json", client=mask_client, mask_concurrency=4)
    await destination.add(row)
    await destination.commit()
    assert mask_server.max_active == 4  # concurrent, and never more than asked


async def test_mask_errors(mask_server: MaskServer, mask_client: Client, tmp_path: Path) -> None:
    sample = rows_of(SAMPLES / "lbnb_v2_composite_mask_object.ndjson")[0]  # a real composite-mask object
    row = {
        "data_row": {"id": "dr"},
        "media_attributes": {"width": 3, "height": 2, "mime_type": "image/png"},
        "projects": {"p": {"labels": [{"id": "l", "annotations": {"objects": [sample]}}]}},
    }
    with pytest.raises(InvalidArgumentError, match=r"the export has segmentation masks.*pass client=, or masks='skip'"):
        await write_export([row], tmp_path / "coco.json", format="coco")
    skipped = await write_export([row], tmp_path / "coco.json", format="coco", masks="skip")
    assert skipped.skipped == {"ImageSegmentationMask": 1} and skipped.masks_fetched == 0
    mask_server.files["/bad"] = b"not a png at all"
    sample["composite_mask"]["url"] = f"{mask_server.storage}/bad?X-Goog-Signature=secret"
    with pytest.raises(ExportDataError, match=r"the mask at http://127\.0\.0\.1:\d+/bad is not an image") as info:
        await write_export([row], tmp_path / "bad.json", format="coco", client=mask_client)
    assert "secret" not in str(info.value)  # a signed URL's query is a credential
    assert not listing(tmp_path, "bad.json*")
    with pytest.raises(InvalidArgumentError, match="expected 'fetch' or 'skip', got 'maybe'"):
        await write_export([row], tmp_path / "x.json", format="coco", masks="maybe")  # type: ignore[arg-type]


async def test_non_image_rows_are_counted(tmp_path: Path) -> None:
    sample = SAMPLES / "lbpy_unit_v2_conversational_row.ndjson"
    for fmt in ("coco", "yolo"):
        summary = await write_export(sample, tmp_path / f"out.{fmt}", format=fmt)
        assert summary.skipped_rows == 1 and summary.rows == 1
    with pytest.raises(InvalidArgumentError, match="expected 'detect' or 'segment', got 'pose'"):
        await write_export(sample, tmp_path / "y", format="yolo", yolo_task="pose")  # type: ignore[arg-type]
