"""``client.quality`` against the emulator's truth."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import NetScore


async def test_a_review_is_stored_shown_on_its_label_and_counted(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    label_id = emu.label_ids(project_id)[0]
    before = {s: await client.quality.review_count(project_id, s) for s in (None, *NetScore)}
    assert before[None] == sum(before[s] for s in NetScore)
    p, i = emu.backend.labels.find(label_id) or (0, 0)
    net = emu.backend.quality.net_score(p, i)
    review = await client.quality.create_review(label_id, score=1)  # the project is looked up
    assert review.score == 1.0 and emu.api_requests("GetLabelProjectPyApi")
    reviews = (await client.labels.retrieve(label_id, include=["reviews"])).reviews or []
    assert reviews[-1].id == review.id
    after = await client.quality.review_count(project_id)
    assert after == before[None] + (1 if net is None else 0)
    with pytest.raises(InvalidArgumentError, match="-1, 0 or 1"):
        await client.quality.create_review(label_id, score=2)
    with pytest.raises(InvalidArgumentError, match="'Great', not None or one of"):
        await client.quality.review_count(project_id, "Great")
    with pytest.raises(ResourceNotFoundError):
        await client.quality.create_review("cl0nope", score=1, project_id=project_id)


async def test_benchmarks_are_created_listed_and_deleted(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    labels = emu.label_ids(project_id)[:3]
    made = [await client.quality.create_benchmark(label) for label in labels]
    assert [b.label_id async for b in client.quality.benchmarks(project_id, page_size=2)] == labels
    assert [b.id async for b in client.quality.benchmarks(emu.project_ids[1])] == []
    assert (await client.labels.retrieve(labels[0])).is_benchmark_reference is True
    await client.quality.delete_benchmark(labels[1])
    assert [b.id async for b in client.quality.benchmarks(project_id)] == [made[0].id, made[2].id]
    with pytest.raises(ResourceNotFoundError):
        await client.quality.delete_benchmark(labels[1])


async def test_labeler_performance_adds_up_to_the_projects_labels(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    rows = [r async for r in client.quality.labeler_performance(project_id, page_size=2)]
    assert sum(r.count for r in rows) == len(emu.label_ids(project_id))
    assert len({r.user.id for r in rows}) == len(rows)
    for row in rows:
        assert row.total_time_labeling == pytest.approx((row.seconds_per_label or 0) * row.count)


async def test_the_issues_export_is_downloaded(emu: Emulator, client: Client) -> None:
    assert await client.quality.issues(emu.project_ids[0], status="Resolved") == []
    with pytest.raises(InvalidArgumentError, match="'Closed'"):
        await client.quality.issues_url(emu.project_ids[0], status="Closed")
