"""alabelbox.ray on a local Ray bound to 127.0.0.1, against the threaded emulator."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alabelbox import ClientSpec, RetryConfig, ShardReadError
from alabelbox.testing import Emulator
from alabelbox.types import ExportRow
from tests.cluster.conftest import finished_task, leaks, read_tree, run, signatures, truth_ids

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from ray._private import ray_constants  # noqa: E402

import alabelbox.ray  # noqa: E402 - after the importorskip

_SINGLE_NODE_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::FutureWarning"
)


@pytest.fixture(scope="module")
def ray_dir(cluster_key: str) -> Iterator[Path]:
    # Ray's socket paths must stay short (a Unix socket path is at most 107 bytes): not pytest's tmp_path.
    directory = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def local_ray(ray_dir: Path) -> Iterator[Any]:
    # Ray turns "127.0.0.1" into the machine's outward address on Linux (resolve_ip_for_localhost) unless it
    # believes it is a single-machine install: the switch Ray reads for that, here and in its own processes.
    os.environ[_SINGLE_NODE_ENV] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False
    context = ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        _temp_dir=str(ray_dir),
        logging_level="INFO",
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    yield context
    ray.shutdown()
    os.environ.pop(_SINGLE_NODE_ENV, None)


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["data_row"]["id"] if "data_row" in row else row["row"].data_row.id for row in rows]


def test_ray_binds_loopback_only(local_ray: Any) -> None:
    assert local_ray.address_info["node_ip_address"] == "127.0.0.1"
    assert local_ray.address_info["gcs_address"].startswith("127.0.0.1:")
    assert all(node["NodeManagerAddress"] == "127.0.0.1" for node in ray.nodes())
    psutil = pytest.importorskip("psutil")
    ours = {p.pid for p in psutil.Process().children(recursive=True)}
    listening = [c for c in psutil.net_connections("inet") if c.status == psutil.CONN_LISTEN and c.pid in ours]
    assert listening
    assert {c.laddr.ip for c in listening} <= {"127.0.0.1", "::ffff:127.0.0.1", "::1"}


def test_every_row_once_in_order_under_storage_faults(emu: Emulator, spec: ClientSpec, local_ray: Any) -> None:
    task_id = finished_task(emu, spec)
    shards = run(lambda c: c.exports.shards(task_id), spec)
    emu.faults.reset_downloads(rate=0.3)
    emu.faults.truncate_downloads(rate=0.2)
    emu.faults.storage_error(503, rate=0.2)
    ds = alabelbox.ray.read_export(task_id, client=spec, shards=shards, preserve_order=True)
    assert _ids(ds.take_all()) == truth_ids(emu, task_id)
    assert len(emu.storage_requests) > len(shards)


def test_typed_rows_and_whole_shard_retry(emu: Emulator, spec: ClientSpec, local_ray: Any) -> None:
    task_id = finished_task(emu, spec, project=1)
    no_retries = ClientSpec(endpoint=spec.endpoint, api_key=spec.api_key, retry=RetryConfig(max_retries=0))
    before = len(emu.storage_requests)
    emu.faults.storage_error(500, nth=[before + 1, before + 2])
    rows = alabelbox.ray.read_export(task_id, ExportRow, client=no_retries, preserve_order=True).take_all()
    assert all(isinstance(row["row"], ExportRow) for row in rows)
    assert _ids(rows) == truth_ids(emu, task_id)


def test_no_key_or_signature_in_task_args_or_logs(
    emu: Emulator, spec: ClientSpec, local_ray: Any, cluster_key: str, ray_dir: Path
) -> None:
    task_id = finished_task(emu, spec)
    signed = run(lambda c: c.exports.shards(task_id, signed=True), spec)
    source = alabelbox.ray.ExportDatasource(spec, signed)
    tasks = source.get_read_tasks(2)
    assert len(tasks) == len(signed)
    blob = ray.cloudpickle.dumps(tasks)  # what Ray ships to the workers
    assert cluster_key.encode() not in blob
    assert b"X-Goog" not in blob
    emu.faults.reset_downloads(rate=0.3)
    alabelbox.ray.read_export(task_id, client=spec, shards=signed).take_all()
    emu.faults.clear()
    emu.faults.reset_downloads(rate=1.0)
    with pytest.raises(Exception) as caught:  # Ray wraps it: RayTaskError(ShardReadError)
        alabelbox.ray.read_export(task_id, client=spec, attempts=2).take_all()
    emu.faults.clear()
    assert isinstance(caught.value, ShardReadError) or "ShardReadError" in str(caught.value)
    texts = read_tree(ray_dir)
    assert any("whole shard again" in text for text in texts.values())  # the workers' logs were read
    texts["the error"] = f"{caught.value!s} {caught.value!r}"
    sigs = signatures(emu)
    assert sigs
    assert leaks(texts, cluster_key, sigs) == []
    assert pickle.loads(pickle.dumps(spec)) == spec
