"""client.labels against the emulator, compared with the emulator's truth."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from alabelbox import Client, InternalServerError, InvalidArgumentError, Limits, ResourceNotFoundError
from alabelbox.resources import LabelFilter
from alabelbox.testing import Emulator
from alabelbox.types import Label
from tests.resources.conftest import emulator, fast_retry, no_other_tasks


def truth_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# -- listing: exactly once, in order ------------------------------------------------------------------------------


@pytest.mark.parametrize("window", [1, 4, 16])
async def test_every_label_of_10000_exactly_once_in_order(window: int) -> None:
    async with emulator(projects=1, data_rows=10_000) as emu, Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        project_id = emu.project_ids[0]
        ids = [label.id async for label in c.labels.list(project_id, window=window, include=())]
        assert ids == emu.label_ids(project_id)
        assert len(set(ids)) == 10_000
        # 100 full pages, then one empty page; with a window, up to window-1 more requests went past the end.
        requests = emu.api_requests("ListProjectLabels")
        assert 101 <= len(requests) <= 100 + window
        assert c.statistics().in_flight == 0


async def test_exactly_n_times_page_size(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]  # 250 labels
    labels = client.labels.list(project_id, page_size=50, window=1)
    pages = [page async for page in labels.iter_pages()]
    assert [len(p) for p in pages] == [50] * 5
    assert [label.id for p in pages for label in p] == emu.label_ids(project_id)
    # Five full pages, then the empty sixth that says the listing is over.
    skips = [r.variables["skip"] for r in emu.api_requests("ListProjectLabels") if r.variables]
    assert skips == [0, 50, 100, 150, 200, 250]


async def test_an_empty_project() -> None:
    async with emulator(projects=1, data_rows=0) as emu, Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        labels = c.labels.list(emu.project_ids[0])
        assert [label async for label in labels] == []
        first = await labels
        assert first.items == [] and not first.has_more
        assert await labels.get_one() is None
        assert await c.projects.label_count(emu.project_ids[0]) == 0


async def test_a_project_emptied_by_deletion(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[1]
    await client.labels.bulk_delete(project_id, where=LabelFilter(), make_templates=False)
    assert emu.label_ids(project_id) == []
    assert [label async for label in client.labels.list(project_id)] == []


async def test_break_after_3_items_leaves_nothing_in_flight(client: Client, emu: Emulator) -> None:
    emu.faults.latency(0.05)
    seen: list[Label] = []
    async for label in client.labels.list(emu.project_ids[0], page_size=10, window=8):
        seen.append(label)
        if len(seen) == 3:
            await asyncio.sleep(0.01)
            assert client.statistics().in_flight > 0  # pages ahead are in flight when we leave
            break
    for _ in range(20):  # let the cancellations unwind (a few turns of the loop, no sleeping for time)
        await asyncio.sleep(0)
    assert [label.id for label in seen] == emu.label_ids(emu.project_ids[0])[:3]
    assert client.statistics().in_flight == 0
    assert client.statistics().queued == 0
    assert not no_other_tasks()


async def test_429_and_5xx_in_the_middle_are_retried_and_lose_nothing(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    emu.faults.http_error(503, nth=[3, 6])
    emu.faults.http_error(502, nth=[4])
    emu.faults.graphql_error(503, nth=[5])
    emu.faults.rate_limit_burst(3, after=7)
    ids = [label.id async for label in client.labels.list(project_id, page_size=20, window=4, include=())]
    assert ids == emu.label_ids(project_id)
    statuses = [s for r in emu.api_requests() for s in r.status]
    assert statuses.count(429) == 3 and statuses.count(503) == 2 and statuses.count(502) == 1
    assert client.statistics().retried >= 7


async def test_fifty_listings_at_once_stay_within_the_pool_limit(emu: Emulator) -> None:
    emu.faults.latency(0.01)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, limits=Limits(max_concurrent_requests=4)) as c:
        peak = 0

        async def watch() -> None:
            nonlocal peak
            while True:
                peak = max(peak, c.statistics().in_flight)
                await asyncio.sleep(0.001)

        watcher = asyncio.ensure_future(watch())
        results = await asyncio.gather(
            *(
                c.labels.list(emu.project_ids[k % 3], page_size=50, window=8, include=()).get_many(250)
                for k in range(50)
            )
        )
        watcher.cancel()
        assert peak <= 4
        assert all(
            [label.id for label in got] == emu.label_ids(emu.project_ids[k % 3]) for k, got in enumerate(results)
        )


# -- filters ------------------------------------------------------------------------------------------------------


async def all_labels(client: Client, project_id: str) -> list[Label]:
    return [label async for label in client.labels.list(project_id)]


async def test_every_filter_against_the_truth(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    everything = await all_labels(client, project_id)
    assert [label.id for label in everything] == emu.label_ids(project_id)
    truth = {label.id: emu.label(label.id) for label in everything}

    async def listed(**filters: Any) -> list[str]:
        return [label.id async for label in client.labels.list(project_id, page_size=40, **filters)]

    def expected(keep: Any) -> list[str]:
        return [label.id for label in everything if keep(label, truth[label.id])]

    # createdBy
    creator = everything[7].created_by
    assert creator is not None
    got = await listed(created_by=creator.id)
    assert got == expected(lambda lb, t: lb.created_by is not None and lb.created_by.id == creator.id)
    assert 0 < len(got) < len(everything)

    # createdAt_gt / createdAt_lt, as datetimes and as strings with an offset
    after = truth_time(truth[everything[50].id]["createdAt"])
    before = truth_time(truth[everything[120].id]["createdAt"])
    got = await listed(created_after=after, created_before=before)
    assert got == expected(lambda lb, t: after < truth_time(t["createdAt"]) < before)
    assert len(got) == 69
    as_text = (after + timedelta(hours=2)).astimezone(timezone(timedelta(hours=2))).strftime("%Y-%m-%dT%H:%M:%S.%f%z")
    got = await listed(created_after=as_text)
    assert got == expected(lambda lb, t: truth_time(t["createdAt"]) > after + timedelta(hours=2))

    # type: Skipped vs Submitted
    skipped = await listed(type="Skipped")
    submitted = await listed(type="Submitted")
    assert skipped == expected(lambda lb, t: t["type"]["name"] == "Skipped")
    assert submitted == expected(lambda lb, t: t["type"]["name"] == "Submitted")
    assert skipped and sorted(skipped + submitted) == sorted(truth)

    # agreement_gt / agreement_lt, and the (min, max) form
    got = await listed(agreement_min=0.25, agreement_max=0.75)
    assert got == expected(lambda lb, t: t["agreement"] is not None and 0.25 < t["agreement"] < 0.75)
    assert got == await listed(agreement=(0.25, 0.75))
    assert await listed(agreement_min=0.9) == expected(
        lambda lb, t: t["agreement"] is not None and t["agreement"] > 0.9
    )

    # dataRow.dataset.id: dataset k feeds project k
    assert await listed(dataset_id=emu.dataset_ids[0]) == list(truth)
    assert await listed(dataset_ids=[emu.dataset_ids[1], emu.dataset_ids[2]]) == []

    # everything at once, and the same as a prepared LabelFilter
    combined: dict[str, Any] = {
        "type": "Submitted",
        "agreement_min": 0.1,
        "created_after": after,
        "dataset_id": emu.dataset_ids[0],
    }
    got = await listed(**combined)
    assert got == expected(
        lambda lb, t: (
            t["type"]["name"] == "Submitted"
            and t["agreement"] is not None
            and t["agreement"] > 0.1
            and truth_time(t["createdAt"]) > after
        )
    )
    assert got == [label.id async for label in client.labels.list(project_id, where=LabelFilter(**combined))]


async def test_selected_related_objects(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    full = await client.labels.list(project_id).get_many(5)
    truth = emu.label(full[0].id)
    assert full[0].type is not None and full[0].type.name == truth["type"]["name"]
    assert full[0].created_by is not None and full[0].created_by.email
    assert full[0].data_row is not None and full[0].data_row.row_data
    data_row = await client.data_rows.retrieve(full[0].data_row.id)
    assert data_row.row_data == full[0].data_row.row_data
    bare = await client.labels.list(project_id, include=()).get_many(5)
    assert [b.id for b in bare] == [f.id for f in full]
    assert bare[0].type is None and bare[0].created_by is None and bare[0].data_row is None
    query = emu.api_requests("ListProjectLabels")[-1].query or ""
    assert "createdBy" not in query and "dataRow" not in query


async def test_reviews_are_selectable(client: Client, emu: Emulator) -> None:
    labels = await client.labels.list(emu.project_ids[0], include=["reviews"]).get_many(50)
    assert any(label.reviews for label in labels)


async def test_label_json_is_parsed_lazily(client: Client, emu: Emulator) -> None:
    label = await client.labels.list(emu.project_ids[0]).get_one()
    assert label is not None and label.label is not None
    assert "legacy_label" not in label.__dict__  # nothing parsed while listing
    parsed = label.legacy_label
    assert parsed is not None and parsed.objects is not None
    assert label.legacy_label is parsed  # parsed once
    assert parsed.model_dump(by_alias=True, exclude_none=True)["objects"][0]["featureId"]


# -- retrieve -------------------------------------------------------------------------------------------------


async def test_retrieve_with_timing_metrics(client: Client, emu: Emulator) -> None:
    label_id = emu.label_ids(emu.project_ids[2])[17]
    label = await client.labels.retrieve(label_id, timeout=5.0)
    truth = emu.label(label_id)
    assert label.id == label_id
    assert label.seconds_to_create == truth["secondsToCreate"]
    assert label.seconds_to_review == truth["secondsToReview"]
    assert label.seconds_to_label == truth["secondsToLabel"]  # deprecated, still exposed
    assert label.agreement == truth["agreement"]
    assert label.created_at == truth_time(truth["createdAt"])
    with pytest.raises(ResourceNotFoundError):
        await client.labels.retrieve("cl_no_such_label_0000000")


# -- deletion -------------------------------------------------------------------------------------------------


def export_workflow_status(emu: Emulator, task_id: str, project_id: str) -> dict[str, str]:
    return {
        record["data_row"]["id"]: record["projects"][project_id]["project_details"]["workflow_status"]
        for record in emu.export_records(task_id)
    }


async def test_delete_by_id_in_concurrent_chunks_re_enqueues(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    labels = await all_labels(client, project_id)
    doomed = [label.id for label in labels[10:130]]
    result = await client.labels.delete(doomed, chunk_size=25, concurrency=3)
    assert result.ok and result.deleted == doomed and not result.failed
    assert len(emu.api_requests("DeleteLabels")) == 5
    assert sorted(emu.deleted_label_ids(project_id)) == sorted(doomed)
    assert [label.id async for label in client.labels.list(project_id)] == emu.label_ids(project_id)
    assert await client.projects.label_count(project_id) == 250 - 120
    assert not emu.template_label_ids(project_id)
    with pytest.raises(ResourceNotFoundError):
        await client.labels.retrieve(doomed[0])
    # Re-enqueued: the data rows are still there, back in the labeling queue.
    rows = {label.data_row.id for label in labels[10:130] if label.data_row}
    assert len([r async for r in client.data_rows.list(emu.dataset_ids[0], ids=sorted(rows))]) == 120
    data = await client.execute(
        "mutation Export($input: ExportDataRowsInProjectInput!) "
        "{ exportDataRowsInProject(input: $input) { taskId isStreamable } }",
        {
            "input": {
                "filters": {"projectId": project_id, "searchQuery": {"scope": None, "query": []}},
                "params": {"includeProjectDetails": True},
                "streamable": True,
            }
        },
    )
    task_id = data["exportDataRowsInProject"]["taskId"]
    await emu.wait_task(task_id)
    status = export_workflow_status(emu, task_id, project_id)
    assert {status[r] for r in rows} == {"TO_LABEL"}


async def test_delete_reports_each_bad_id_with_its_own_error_and_deletes_every_good_one(
    client: Client, emu: Emulator
) -> None:
    project_id = emu.project_ids[0]
    ids = emu.label_ids(project_id)[:60]
    bad, worse = "cl_no_such_label_0000000", "cl_no_such_label_1111111"
    result = await client.labels.delete([*ids[:20], bad, *ids[20:30], worse, *ids[30:]], chunk_size=20)
    assert not result.ok
    # The API refuses a chunk as a whole for one unknown id; halving it deletes the good ids around the bad ones.
    assert list(result.failed) == [bad, worse]
    assert all(isinstance(e, ResourceNotFoundError) for e in result.failed.values())
    assert bad in str(result.failed[bad]) and worse not in str(result.failed[bad])
    assert worse in str(result.failed[worse]) and bad not in str(result.failed[worse])
    assert result.deleted == ids
    assert sorted(emu.deleted_label_ids(project_id)) == sorted(ids)
    with pytest.raises(ResourceNotFoundError):
        result.raise_for_failures()


async def test_delete_does_not_halve_a_chunk_the_server_failed_for_every_id(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    ids = emu.label_ids(project_id)[:8]
    emu.faults.graphql_error(503, rate=1.0)
    quick = Client(api_key=emu.api_key, endpoint=emu.endpoint, max_retries=0)
    async with quick:
        result = await quick.labels.delete(ids, chunk_size=8)
    assert list(result.failed) == ids and not result.deleted
    # One refusal shared by the chunk's ids: halving would have sent more requests, each failing on its own.
    assert len({id(e) for e in result.failed.values()}) == 1
    assert all(isinstance(e, InternalServerError) for e in result.failed.values())
    assert emu.deleted_label_ids(project_id) == []


@pytest.mark.parametrize("make_templates", [True, False])
async def test_bulk_delete_keeps_templates_when_asked(client: Client, emu: Emulator, make_templates: bool) -> None:
    project_id = emu.project_ids[0]
    skipped = [label.id async for label in client.labels.list(project_id, type="Skipped")]
    result = await client.labels.bulk_delete(
        project_id, where=LabelFilter(type="Skipped"), make_templates=make_templates
    )
    assert result.count == len(skipped) > 0
    assert sorted(emu.deleted_label_ids(project_id)) == sorted(skipped)
    assert emu.template_label_ids(project_id) == (sorted(skipped) if make_templates else [])
    assert [label async for label in client.labels.list(project_id, type="Skipped")] == []
    if make_templates:
        template = await client.labels.retrieve(skipped[0])
        assert template.label is not None
        assert template.seconds_to_create is None  # templates keep the label, not its metrics
    else:
        with pytest.raises(ResourceNotFoundError):
            await client.labels.retrieve(skipped[0])
    sent = emu.api_requests("BulkDeleteLabels")[0].variables
    where = {"type": {"name": "Skipped"}}
    assert sent == {"projectId": project_id, "makeTemplates": make_templates, "labelsWhere": where}


@pytest.mark.parametrize("keep", [True, False])
async def test_delete_batch_labels_on_the_experimental_endpoint(client: Client, emu: Emulator, keep: bool) -> None:
    project_id = emu.project_ids[0]
    data = await client.execute(
        "query Batches($id: ID!) { project(where: {id: $id}) { batches(first: 10) { nodes { id } } } }",
        {"id": project_id},
        experimental=True,
    )
    batch_id = data["project"]["batches"]["nodes"][1]["id"]  # labels 100..199
    result = await client.labels.delete_batch(project_id, batch_id=batch_id, keep_as_templates=keep)
    assert sorted(result.deleted_label_ids) == sorted(emu.deleted_label_ids(project_id))
    assert len(result.deleted_label_ids) == 100
    assert emu.template_label_ids(project_id) == (sorted(result.deleted_label_ids) if keep else [])
    request = emu.api_requests("DeleteBatchLabels")[0]
    assert request.path == "/_gql"
    assert request.variables is not None
    assert request.variables["type"] == ("RequeueDataWithLabelAsTemplate" if keep else "RequeueData")


# -- typed inputs: rejected before any request ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"created_after": "04/01/2024"}, "created_after"),
        ({"created_before": "2024-13-01"}, "created_before"),
        ({"created_after": 1712000000}, "created_after"),
        ({"created_after": "2024-05-01", "created_before": "2024-04-01"}, "created_before"),
        ({"agreement_min": 1.5}, "agreement_min"),
        ({"agreement_max": -0.1}, "agreement_max"),
        ({"agreement_min": float("nan")}, "agreement_min"),
        ({"agreement_min": 0.8, "agreement_max": 0.2}, "agreement_max"),
        ({"agreement": (0.1, 0.5), "agreement_min": 0.2}, "agreement"),
        ({"agreement": (0.1, 2)}, "agreement"),
        ({"type": "skipped"}, "type"),
        ({"dataset_id": "d1", "dataset_ids": ["d2"]}, "dataset_ids"),
        ({"dataset_ids": "d1"}, "dataset_ids"),
        ({"dataset_ids": []}, "dataset_ids"),
        ({"created_by": ""}, "created_by"),
        ({"include": ["reviewz"]}, "include"),
        ({"where": LabelFilter(), "type": "Skipped"}, "where"),
        ({"page_size": 0}, "page_size"),
        ({"window": 0}, "window"),
    ],
)
async def test_bad_filters_are_rejected_before_any_request(
    client: Client, emu: Emulator, kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        client.labels.list(emu.project_ids[0], **kwargs)
    assert info.value.argument == argument
    assert argument in str(info.value)
    assert emu.api_requests() == []


async def test_bad_deletion_arguments_are_rejected_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="label_ids"):
        await client.labels.delete("cl_one_label")
    with pytest.raises(InvalidArgumentError, match="chunk_size"):
        await client.labels.delete(["a"], chunk_size=0)
    with pytest.raises(InvalidArgumentError, match="where"):
        await client.labels.bulk_delete(emu.project_ids[0], where={"type": "Skipped"})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="batch_id"):
        await client.labels.delete_batch(emu.project_ids[0], batch_id="")
    assert emu.api_requests() == []


async def test_retries_use_fast_config() -> None:
    assert fast_retry.max_retry_after <= 0.05
