"""``alabelbox export`` to Parquet, COCO and YOLO, and ``--dataset``: subprocesses against the emulator.

The files are checked against the emulator's truth (the task's NDJSON): every annotation once, by kind; COCO mask
RLEs equal the pixels of the masks the emulator serves.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import pytest

from alabelbox._cli._app import CliError
from alabelbox._cli._formats import choose
from alabelbox.testing import Emulator
from tests.cli.test_cli import CREATE, INTERRUPTIBLE, alabelbox, env_for

pq = pytest.importorskip("pyarrow.parquet")
mask_api = pytest.importorskip("pycocotools.mask")
np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 5, "projects": 2, "data_rows": 80, "task_seconds": 0.2, "shard_bytes": 64 * 1024}


def _err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode()


def _objects(emu: Emulator, task_id: str, project_id: str) -> list[dict[str, Any]]:
    """Every object annotation of the task's rows (the truth), with its label id."""
    out = []
    for line in emu.export_lines(task_id):
        row = json.loads(line)
        for label in row["projects"].get(project_id, {}).get("labels", []):
            out += [{**o, "label_id": label["id"]} for o in label["annotations"]["objects"]]
    return out


def _task_of(result: subprocess.CompletedProcess[bytes]) -> str:
    found = re.search(r"export task (\S+) created", _err(result))
    assert found is not None, _err(result)
    return found.group(1)


#: pycocotools' decoder warns under numpy 2 inside its Cython code; only the tests decode.
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
async def test_parquet_coco_and_yolo_hold_every_annotation_once(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    p = emu.project_ids[0]
    parquet, coco, yolo = tmp_path / "out.parquet", tmp_path / "coco.json", tmp_path / "yolo"
    classes = "damage 損傷,roof_area"
    commands = [
        ("-o", str(parquet)),  # the format from the suffix
        ("-o", str(coco), "--format", "coco"),  # masks fetched
        ("-o", str(yolo), "--format", "yolo", "--yolo-task", "segment", "--classes", classes),
    ]
    # One after the other: on two loaded cores, three at once is slower (each process's start is CPU-bound).
    results = [await alabelbox(emu, "export", p, *args) for args in commands]
    for result in results:
        assert result.returncode == 0, _err(result)
        assert "wrote: 80 rows" in _err(result)
    parquet_task, coco_task, yolo_task = map(_task_of, results)
    truth = _objects(emu, parquet_task, p)
    by_kind = Counter(o["annotation_kind"] for o in truth)
    assert by_kind["ImageSegmentationMask"] > 0 and by_kind["ImageBoundingBox"] > 0

    # Parquet: the annotations table has every object once, by kind and by feature id.
    table = pq.read_table(tmp_path / "out.annotations.parquet").to_pylist()
    objects = [r for r in table if r["kind"] in by_kind]
    assert Counter(r["kind"] for r in objects) == by_kind
    assert sorted(r["feature_id"] for r in objects) == sorted(o["feature_id"] for o in truth)
    assert pq.read_table(parquet).num_rows == 80
    assert not (tmp_path / "out.parquet.task").exists() and not (tmp_path / "out.parquet.part").exists()

    # COCO: boxes, polygons, points and masks once each; each mask's RLE is the served mask's pixels.
    document = json.loads(coco.read_text())
    coco_truth = {o["feature_id"]: o for o in _objects(emu, coco_task, p) if o["annotation_kind"] != "ImagePolyline"}
    assert sorted(a["labelbox_feature_id"] for a in document["annotations"]) == sorted(coco_truth)
    masks = [a for a in document["annotations"] if isinstance(a["segmentation"], dict)]
    assert len(masks) == by_kind["ImageSegmentationMask"]
    images: dict[str, Any] = {}
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {emu.api_key}"}) as session:
        for annotation in masks:
            ref = coco_truth[annotation["labelbox_feature_id"]]["composite_mask"]
            assert ref["url"].startswith(emu.url + "/api/v1/masks/")
            if ref["url"] not in images:
                async with session.get(ref["url"]) as response:
                    assert response.status == 200 and response.content_type == "image/png"
                    images[ref["url"]] = np.asarray(Image.open(io.BytesIO(await response.read())).convert("RGB"))
            expected = np.all(images[ref["url"]] == np.asarray(ref["color_rgb"], dtype=np.uint8), axis=-1)
            rle = {"size": annotation["segmentation"]["size"], "counts": annotation["segmentation"]["counts"]}
            decoded = mask_api.decode(rle)
            assert decoded.shape == expected.shape and expected.any()
            assert (decoded == expected).all()
        async with session.get(next(iter(images)).replace(emu.api_key, ""), headers={"Authorization": ""}) as r:
            assert r.status == 401  # the masks are behind the key

    # YOLO segment with pinned classes: a line per box and polygon, class ids in --classes order.
    yolo_truth = Counter(o["annotation_kind"] for o in _objects(emu, yolo_task, p))
    lines = [line.split() for f in (yolo / "labels").iterdir() for line in f.read_text().splitlines()]
    assert Counter(line[0] for line in lines) == {
        "0": yolo_truth["ImageBoundingBox"],
        "1": yolo_truth["ImagePolygon"],
    }
    assert (yolo / "classes.txt").read_text(encoding="utf-8") == "damage 損傷\nroof_area\n"
    assert len(emu.api_requests(CREATE)) == 3


async def test_mistakes_are_refused_before_any_task(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    p = emu.project_ids[0]
    # An optional extra missing (imports of pyarrow fail): one line naming the pip command, exit 2.
    no_pyarrow = (
        "import sys; sys.modules['pyarrow'] = None; from alabelbox._cli import main; "
        f"sys.argv = ['alabelbox', 'export', {p!r}, '-o', {str(tmp_path / 'x.parquet')!r}]; sys.exit(main())"
    )
    missing = await anyio.run_process([sys.executable, "-c", no_pyarrow], env=env_for(emu), check=False)
    assert missing.returncode == 2
    assert _err(missing).strip().splitlines() == [
        "error: --format parquet needs pyarrow, which is not installed: pip install 'alabelbox[parquet]'"
    ]
    d, out = emu.dataset_ids[0], str(tmp_path / "d.ndjson")
    # One subprocess per kind of refusal; every message of choose() is checked in-process below.
    wrong = await alabelbox(emu, "export", p, "-o", str(tmp_path / "out"), "--format", "yolo", "--masks", "skip")
    neither = await alabelbox(emu, "export", "-o", out)
    filtered = await alabelbox(emu, "export", "--dataset", d, "--workflow-status", "Done", "-o", out)
    assert wrong.returncode == 2 and "--masks applies to --format coco only, not yolo" in _err(wrong)
    assert neither.returncode == 2 and "give PROJECT_ID or --dataset DATASET_ID" in _err(neither)
    assert filtered.returncode == 2 and "--workflow-status filter a project export" in _err(filtered)
    assert emu.api_requests(CREATE) == [] and not emu.backend.tasks


@pytest.mark.parametrize(
    ("fmt", "masks", "yolo_task", "classes", "message"),
    [
        ("yolo", "skip", None, (), "--masks applies to --format coco only, not yolo"),
        ("coco", None, "segment", (), "--yolo-task applies to --format yolo only, not coco"),
        (None, None, None, ("car",), "--classes applies to --format coco and yolo only, not ndjson"),
        ("coco", None, None, (" , ",), "--classes is empty"),
    ],
)
def test_flags_that_do_not_fit_the_format(
    fmt: str | None, masks: str | None, yolo_task: str | None, classes: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CliError, match=re.escape(message)):
        choose(Path("out"), fmt, masks, yolo_task, classes)


def test_the_format_and_its_flags() -> None:
    assert choose(Path("x.PQ"), None, None, None, ()).fmt == "parquet"
    assert choose(Path("x.json"), None, None, None, ()).fmt == "ndjson"  # JSON and COCO are asked for by name
    options = choose(Path("y"), "yolo", None, "segment", ("a, b", "c"))
    assert (options.yolo_task, options.classes, options.streamed) == ("segment", ("a", "b", "c"), False)


async def test_ctrl_c_then_resume_rereads_the_finished_task(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    p = emu.project_ids[0]
    out, part, sidecar = tmp_path / "out.parquet", tmp_path / "out.parquet.part", tmp_path / "out.parquet.task"
    emu.faults.bandwidth(8 * 1024)  # slow enough that Ctrl-C comes mid-stream
    command = [*INTERRUPTIBLE, "export", p, "-o", str(out), "--concurrency", "1"]
    async with await anyio.open_process(command, env=env_for(emu), stderr=subprocess.PIPE) as process:
        with anyio.fail_after(30):
            while not part.exists():  # noqa: ASYNC110 - a file, not a task
                await anyio.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert await process.wait() == 130
        assert process.stderr is not None
        said = (await process.stderr.receive(65536)).decode()
    emu.faults.bandwidth(None)
    assert "--format parquet cannot continue mid-stream, so nothing partial was kept" in said
    assert f"alabelbox export {p} -o {out} --concurrency 1 --resume reads it again from the start" in said
    assert not part.exists() and not out.exists()
    recorded = json.loads(sidecar.read_text())
    assert recorded["kind"] == "project" and recorded["format"] == "parquet"
    refused = await alabelbox(emu, "export", p, "-o", str(out), "--format", "coco", "--masks", "skip", "--resume")
    assert refused.returncode == 2 and "differs in format" in _err(refused)
    resumed = await alabelbox(emu, "export", p, "-o", str(out), "--resume")
    assert resumed.returncode == 0, _err(resumed)
    assert f"resuming export task {recorded['task_id']}: --format parquet cannot continue mid-stream" in _err(resumed)
    assert pq.read_table(out).num_rows == 80 and not sidecar.exists()
    assert len(emu.api_requests(CREATE)) == 1  # the finished task was reused


async def test_dataset_export_records_its_kind(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    d = emu.dataset_ids[1]
    out = tmp_path / "d.ndjson"
    result = await alabelbox(emu, "export", "--dataset", d, "-o", str(out))
    assert result.returncode == 0, _err(result)
    (task_id,) = emu.backend.tasks
    assert out.read_bytes() == b"".join(emu.export_lines(task_id))
    assert {json.loads(line)["data_row"]["id"] for line in out.read_bytes().splitlines()} == set(emu.data_row_ids(d))
    # A sidecar of a project export: --resume of the dataset export refuses, naming the kind.
    (tmp_path / "d.ndjson.part").write_bytes(b"")
    sidecar = {"version": 1, "kind": "project", "id": d, "filters": {}, "params": {}, "format": "ndjson"}
    (tmp_path / "d.ndjson.task").write_text(json.dumps({**sidecar, "task_id": task_id}))
    refused = await alabelbox(emu, "export", "--dataset", d, "-o", str(out), "--resume")
    assert refused.returncode == 2 and 'differs in kind (was "project", now "dataset")' in _err(refused)
