# mypy: disable-error-code="no-untyped-call"
"""alabelbox.dask on a LocalCluster of two worker processes bound to 127.0.0.1, against the threaded emulator."""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alabelbox import ClientSpec, ExportShard, ShardReadError
from alabelbox.testing import Emulator
from alabelbox.types import ExportRow
from tests.cluster.conftest import finished_task, leaks, read_tree, run, signatures, truth_ids

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

import alabelbox.dask  # noqa: E402 - after the importorskip

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


def _capture_output(directory: str) -> int:
    """On a worker: send everything it prints or logs (DEBUG and up) to a file of its own."""
    path = Path(directory) / f"worker-{os.getpid()}.out"
    handle = open(path, "a", buffering=1)
    os.dup2(handle.fileno(), 1)
    os.dup2(handle.fileno(), 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    for name in ("", "alabelbox", "distributed", "aiohttp"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    return os.getpid()


@pytest.fixture(scope="module")
def worker_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dask-workers")


@pytest.fixture(scope="module")
def dask_client(cluster_key: str, worker_output: Path) -> Iterator[Any]:
    # A loaded machine (the suite shares it) can take longer than Dask's default 30 s to bring two workers up.
    with dask.config.set({"distributed.comm.timeouts.connect": "90s"}):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=None,
            worker_dashboard_address=None,
        )
    client = distributed.Client(cluster)
    client.run(_capture_output, str(worker_output))
    yield client
    client.close()
    cluster.close()


def _ids(rows: list[Any]) -> list[str]:
    return [row["data_row"]["id"] if isinstance(row, dict) else row.data_row.id for row in rows]


def test_the_cluster_binds_loopback_only(dask_client: Any) -> None:
    info = dask_client.scheduler_info()
    assert dask_client.scheduler.address.startswith("tcp://127.0.0.1:")
    assert len(info["workers"]) == 2
    assert all(address.startswith("tcp://127.0.0.1:") for address in info["workers"])


def test_every_row_once_in_order_under_storage_faults(emu: Emulator, spec: ClientSpec, dask_client: Any) -> None:
    task_id = finished_task(emu, spec)
    shards = run(lambda c: c.exports.shards(task_id), spec)
    assert len(shards) >= 4
    emu.faults.reset_downloads(rate=0.3)
    emu.faults.truncate_downloads(rate=0.2)
    emu.faults.storage_error(503, rate=0.2)
    bag = alabelbox.dask.read_export(task_id, client=spec, shards=shards)
    assert bag.npartitions == len(shards)
    rows = bag.compute()
    assert _ids(rows) == truth_ids(emu, task_id)
    assert len(emu.storage_requests) > len(shards)  # the faults did fire


def test_a_shard_that_fails_inside_is_read_again_whole(emu: Emulator, spec: ClientSpec, dask_client: Any) -> None:
    task_id = finished_task(emu, spec)
    no_retries = ClientSpec(endpoint=spec.endpoint, api_key=spec.api_key, retry=spec.retry.__class__(max_retries=0))
    before = len(emu.storage_requests)
    emu.faults.storage_error(500, nth=[before + 1, before + 2])  # the first two GETs fail, with no retry inside
    rows = alabelbox.dask.read_export(task_id, client=no_retries).compute()
    assert _ids(rows) == truth_ids(emu, task_id)


def test_typed_rows_and_a_dataframe(emu: Emulator, spec: ClientSpec, dask_client: Any) -> None:
    task_id = finished_task(emu, spec, project=1)
    typed = alabelbox.dask.read_export(task_id, ExportRow, client=spec).compute()
    assert all(isinstance(row, ExportRow) for row in typed)
    assert _ids(typed) == truth_ids(emu, task_id)
    frame = alabelbox.dask.read_export(task_id, client=spec).map(lambda r: {"id": r["data_row"]["id"]}).to_dataframe()
    # Dask's own methods are untyped: the ignore at the top of this file is for them.
    # In this process (the sync scheduler): the workers need not load pandas for this.
    assert list(frame.compute(scheduler="sync")["id"]) == truth_ids(emu, task_id)


def test_keys_are_deterministic(emu: Emulator, spec: ClientSpec) -> None:
    task_id = finished_task(emu, spec)
    shards = run(lambda c: c.exports.shards(task_id), spec)
    first = alabelbox.dask.read_export(task_id, client=spec, shards=shards)
    again = alabelbox.dask.read_export(task_id, client=spec, shards=run(lambda c: c.exports.shards(task_id), spec))
    assert first.name == again.name
    assert sorted(first.__dask_keys__()) == sorted(again.__dask_keys__())
    typed = alabelbox.dask.read_export(task_id, ExportRow, client=spec, shards=shards)
    fewer = alabelbox.dask.read_export(task_id, client=spec, shards=shards[:-1])
    assert len({first.name, typed.name, fewer.name}) == 3
    assert first.__dask_keys__() == [(first.name, i) for i in range(len(shards))]


def test_no_key_or_signature_in_the_graph(emu: Emulator, spec: ClientSpec, cluster_key: str) -> None:
    task_id = finished_task(emu, spec)
    signed = run(lambda c: c.exports.shards(task_id, signed=True), spec)
    assert all(isinstance(s, ExportShard) and s.url for s in signed)
    bag = alabelbox.dask.read_export(task_id, client=spec, shards=signed)
    blob = cloudpickle.dumps(dict(bag.__dask_graph__()))
    sigs = {s.url.split("X-Goog-Signature=")[1].split("&")[0] for s in signed if s.url}
    assert cluster_key.encode() not in blob
    assert not [sig for sig in sigs if sig.encode() in blob]
    assert b"X-Goog" not in blob
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_no_key_or_signature_in_logs_or_worker_output(
    emu: Emulator, spec: ClientSpec, dask_client: Any, cluster_key: str, worker_output: Path
) -> None:
    task_id = finished_task(emu, spec)
    emu.faults.reset_downloads(rate=0.3)
    alabelbox.dask.read_export(task_id, client=spec).compute()
    emu.faults.clear()
    # A shard that fails for good: its error travels through the scheduler and into every log on the way.
    emu.faults.reset_downloads(rate=1.0)
    emu.faults.storage_error(500, rate=0.5)
    with pytest.raises(ShardReadError) as caught:
        alabelbox.dask.read_export(task_id, client=spec, attempts=2).compute()
    emu.faults.clear()
    texts = read_tree(worker_output)
    assert texts, "the workers wrote nothing"
    assert any("whole shard again" in text for text in texts.values())  # the logs were captured
    for worker, entries in dask_client.get_worker_logs().items():
        texts[f"worker log {worker}"] = "\n".join(message for _level, message in entries)
    texts["scheduler log"] = "\n".join(message for _level, message in dask_client.get_scheduler_logs())
    texts["the error"] = f"{caught.value!s} {caught.value!r} {pickle.dumps(caught.value)!r}"
    sigs = signatures(emu)
    assert sigs
    assert leaks(texts, cluster_key, sigs) == []


def test_an_empty_export_is_an_empty_bag(emu: Emulator, spec: ClientSpec) -> None:
    async def create(client: Any) -> str:
        task = await client.exports.create_and_poll(
            project_id=emu.project_ids[0], filters={"data_row_ids": ["cl0000000000000000000none"]}, poll_interval=0.05
        )
        return str(task.id)

    task_id = run(create, spec)
    assert alabelbox.dask.read_export(task_id, client=spec).compute(scheduler="sync") == []
