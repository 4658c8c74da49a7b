"""Reviews, benchmarks and quality metrics: the unmodified SDK and alabelbox against one emulator."""

from __future__ import annotations

from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import NetScore
from tests.testing.test_sdk_conformance import in_thread, no_external_network, sdk_client

__all__ = ["no_external_network"]

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=7, projects=2, data_rows=40, task_seconds=0.0) as e:
        yield e


async def test_reviews_benchmarks_and_metrics_agree(emu: Emulator, no_external_network: list[Any]) -> None:
    project_id = emu.project_ids[0]
    second, third = emu.label_ids(project_id)[1:3]

    def sdk_writes() -> str:
        sdk = sdk_client(emu)
        label = next(lab for lab in sdk.get_project(project_id).labels() if lab.uid not in (second, third))
        label.create_review(score=-1)
        return str(label.create_benchmark().uid)

    sdk_benchmark = await in_thread(sdk_writes)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        await client.quality.create_review(second, score=1, project_id=project_id)
        ours = await client.quality.create_benchmark(third)
        benchmarks = [b.id async for b in client.quality.benchmarks(project_id)]
        counts = {s: await client.quality.review_count(project_id, s) for s in (None, *NetScore)}
        performance = {r.user.id: r.count async for r in client.quality.labeler_performance(project_id)}

    def sdk_reads() -> tuple[list[str], dict[NetScore | None, int], dict[str, int]]:
        sdk = sdk_client(emu)
        project = sdk.get_project(project_id)
        review = labelbox.Review.NetScore
        metrics: dict[NetScore | None, int] = {None: project.review_metrics(None)}
        metrics.update({s: project.review_metrics(getattr(review, s.value)) for s in NetScore})
        return (
            [b.uid for b in project.benchmarks()],
            metrics,
            {p.user.uid: p.count for p in project.labeler_performance()},
        )

    sdk_benchmarks, sdk_counts, sdk_performance = await in_thread(sdk_reads)
    assert benchmarks == sdk_benchmarks == [sdk_benchmark, ours.id]
    assert counts == sdk_counts
    assert performance == sdk_performance and sum(performance.values()) == len(emu.label_ids(project_id))
    created = emu.backend.quality.reviews
    assert sorted(r["score"] for rs in created.values() for r in rs) == [-1.0, 1.0]
