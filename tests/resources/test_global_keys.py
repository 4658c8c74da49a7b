"""``client.global_keys`` against the emulator: every key's outcome, chunked jobs, partial failures, bad input."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from aioresponses import aioresponses

from alabelbox import AuthenticationError, Client, InvalidArgumentError
from alabelbox.resources.global_keys import MAX_KEYS_PER_JOB
from alabelbox.testing import Emulator
from alabelbox.types import GlobalKeyAssignment, JobStatus


def created_rows(emu: Emulator, n: int, *, prefix: str = "row", dataset: int = 0) -> list[str]:
    """``n`` created rows of dataset ``dataset`` with keys ``<prefix>-<i>`` and external ids ``<prefix>.<i>``."""
    key = emu.backend.datasets.find(emu.dataset_ids[dataset])
    assert key is not None
    make = emu.backend.data_rows.create
    return [
        make(key, {"rowData": f"https://example.com/{prefix}/{i}.jpg", "globalKey": f"{prefix}-{i}",
                   "externalId": f"{prefix}.{i}"})
        for i in range(n)
    ]  # fmt: skip


def key_of(emu: Emulator, rid: str) -> str | None:
    key: str | None = emu.backend.data_rows.record(rid)["globalKey"]
    return key


async def test_assign_lookup_and_clear_agree_with_the_emulator(emu: Emulator, client: Client) -> None:
    rows = created_rows(emu, 3)
    done = await client.global_keys.assign(
        [(rows[0], "new-0"), {"data_row_id": rows[1], "global_key": "new-1"}, GlobalKeyAssignment(
            data_row_id=rows[2], global_key="new-2")]
    )  # fmt: skip
    assert done.status is JobStatus.SUCCESS and done.errors == []
    assert [(a.data_row_id, a.global_key, a.sanitized) for a in done.results] == [
        (rows[0], "new-0", False),
        (rows[1], "new-1", False),
        (rows[2], "new-2", False),
    ]
    assert [key_of(emu, r) for r in rows] == ["new-0", "new-1", "new-2"]

    found = await client.global_keys.lookup(["new-2", "row-0", "new-0"])
    assert found.results == [rows[2], None, rows[0]]  # the old key left with the assignment
    assert [(e.index, e.global_key, e.error) for e in found.errors] == [(1, "row-0", "Data Row not found")]
    assert found.status is JobStatus.PARTIAL_SUCCESS and found.by_key() == {"new-2": rows[2], "new-0": rows[0]}

    cleared = await client.global_keys.clear(["new-1", "nobody-has-this"])
    assert cleared.results == ["new-1"] and key_of(emu, rows[1]) is None
    assert [(e.index, e.global_key) for e in cleared.errors] == [(1, "nobody-has-this")]
    assert (await client.global_keys.lookup(["new-1"])).status is JobStatus.FAILURE


async def test_each_failed_assignment_is_reported_with_its_index(emu: Emulator, client: Client) -> None:
    rows = created_rows(emu, 2)
    seeded = emu.data_row_ids(emu.dataset_ids[0])[0]
    done = await client.global_keys.assign(
        [
            (rows[0], "fine"),
            ("no-such-row", "k1"),
            (seeded, "k2"),  # a seeded row takes a key too
            (rows[1], "fine"),  # held by another row (since the first assignment)
        ]
    )
    assert done.status is JobStatus.PARTIAL_SUCCESS
    assert [a.global_key for a in done.results] == ["fine", "k2"]
    assert [(e.index, e.data_row_id, e.global_key) for e in done.errors] == [
        (1, "no-such-row", "k1"),
        (3, rows[1], "fine"),
    ]
    assert all(e.error.startswith("Invalid assignment") for e in done.errors)
    assert key_of(emu, rows[1]) == "row-1"  # a failed assignment changed nothing


async def test_many_keys_are_split_into_jobs_and_none_is_lost(emu: Emulator, client: Client) -> None:
    n = 2 * MAX_KEYS_PER_JOB + 250
    rows = created_rows(emu, n)
    done = await client.global_keys.assign([(r, f"big-{i}") for i, r in enumerate(rows)], max_concurrency=3)
    assert len(emu.api_requests("AssignGlobalKeys")) == 3
    assert done.status is JobStatus.SUCCESS and len(done.results) == n
    assert [a.data_row_id for a in done.results] == rows
    assert all(key_of(emu, r) == f"big-{i}" for i, r in enumerate(rows))

    keys = [f"big-{i}" for i in range(n)]
    keys[MAX_KEYS_PER_JOB + 7] = "missing"
    found = await client.global_keys.lookup(keys)
    assert len(emu.api_requests("DataRowsForGlobalKeys")) == 3
    expected = list(rows)
    expected[MAX_KEYS_PER_JOB + 7] = None  # type: ignore[call-overload]
    assert found.results == expected
    assert [e.index for e in found.errors] == [MAX_KEYS_PER_JOB + 7]


async def test_a_job_that_cannot_be_sent_reports_its_keys_and_keeps_the_others(emu: Emulator, client: Client) -> None:
    rows = created_rows(emu, MAX_KEYS_PER_JOB + 5)
    # The first job's start fails on every attempt (its retries included); the second job is untouched.
    emu.faults.http_error(503, rate=1.0, count=7)
    done = await client.global_keys.assign([(r, f"k-{i}") for i, r in enumerate(rows)], max_concurrency=1)
    assert done.status is JobStatus.PARTIAL_SUCCESS
    assert len(done.errors) == MAX_KEYS_PER_JOB and len(done.results) == 5
    assert [e.index for e in done.errors] == list(range(MAX_KEYS_PER_JOB))
    assert "did not complete" in done.errors[0].error and "503" in done.errors[0].error
    assert [a.data_row_id for a in done.results] == rows[MAX_KEYS_PER_JOB:]
    assert key_of(emu, rows[0]) == "row-0" and key_of(emu, rows[-1]) == f"k-{len(rows) - 1}"


async def test_external_ids_map_to_every_row_that_has_them(emu: Emulator, client: Client) -> None:
    first = created_rows(emu, 2, prefix="a")
    second = created_rows(emu, 1, prefix="a", dataset=1)  # the same external id "a.0" in another dataset
    seeded_id = emu.data_row_ids(emu.dataset_ids[0])[5]
    d, i = emu.world.find(seeded_id, "r")  # type: ignore[misc]
    seeded_external = emu.world.external_id(d, i)
    assert seeded_external is not None
    asked = ["a.0", "a.1", "nobody", seeded_external, *[f"pad-{n}" for n in range(150)], "a.1"]
    found = await client.global_keys.lookup_external_ids(asked)
    assert len(emu.api_requests("ExternalIdsToDataRowIds")) == 2  # 100 ids per request
    assert list(found) == asked[:-1]  # "a.1" twice is asked once
    assert sorted(found["a.0"]) == sorted([first[0], second[0]]) and found["a.1"] == [first[1]]
    assert found["nobody"] == [] and seeded_id in found[seeded_external]


@pytest.mark.parametrize(
    ("assignment", "where"),
    [
        (("row", ""), r"assignments\[1\]\.global_key"),
        (("", "key"), r"assignments\[1\]\.data_row_id"),
        (("row", "k" * 201), r"assignments\[1\]\.global_key: is 201 characters"),
        ({"data_row_id": "row"}, r"assignments\[1\]\.global_key"),
        ("row", r"assignments\[1\]: must be a"),
    ],
)
async def test_bad_assignments_are_refused_before_anything_is_sent(
    emu: Emulator, client: Client, assignment: object, where: str
) -> None:
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError, match=where):
        await client.global_keys.assign([("row", "fine"), assignment])  # type: ignore[list-item]
    assert len(emu.api_requests()) == before


async def test_bad_key_lists_are_refused(client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match="wrap it"):
        await client.global_keys.lookup("one-key")
    with pytest.raises(InvalidArgumentError, match=r"global_keys\[1\]: must be a non-empty string"):
        await client.global_keys.clear(["a", ""])
    with pytest.raises(InvalidArgumentError, match=r"external_ids\[0\]"):
        await client.global_keys.lookup_external_ids([3])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match="max_concurrency"):
        await client.global_keys.lookup(["a"], max_concurrency=0)


# -- protocol edges, against a mocked server --------------------------------------------------------------------------

URL = "http://127.0.0.1:9/graphql"


def job(root: str) -> dict[str, object]:
    return {"data": {root: {"jobId": "j1"}}}


def result(root: str, status: str, data: Mapping[str, object] | None = None) -> dict[str, object]:
    return {"data": {root: {"jobStatus": status, "data": data}}}


async def test_a_failed_job_reports_each_of_its_keys(mocked: aioresponses) -> None:
    mocked.post(URL, payload=job("clearGlobalKeys"))
    mocked.post(URL, payload=result("clearGlobalKeysResult", "FAILED"))
    async with Client(api_key="k", endpoint=URL, max_retries=0) as c:
        done = await c.global_keys.clear(["a", "b"])
    assert done.status is JobStatus.FAILURE and done.results == []
    assert [(e.index, e.global_key, e.error) for e in done.errors] == [
        (0, "a", "job j1 failed"),
        (1, "b", "job j1 failed"),
    ]


async def test_a_job_still_running_at_the_deadline_reports_its_keys(mocked: aioresponses) -> None:
    mocked.post(URL, payload=job("dataRowsForGlobalKeys"))
    mocked.post(URL, payload=result("dataRowsForGlobalKeysResult", "IN_PROGRESS"), repeat=True)
    async with Client(api_key="k", endpoint=URL, max_retries=0) as c:
        found = await c.global_keys.lookup(["a"], wait_timeout=0.2)
    assert found.results == [None]
    assert "did not complete: job j1 was still running after 0.2 s" in found.errors[0].error


async def test_sanitized_keys_and_answers_without_placeholders_are_matched(mocked: aioresponses) -> None:
    mocked.post(URL, payload=job("assignGlobalKeysToDataRows"))
    assigned = {
        "sanitizedAssignments": [{"dataRowId": "r2", "globalKey": "b_c"}],
        "unmodifiedAssignments": [{"dataRowId": "r1", "globalKey": "a"}],
        "invalidGlobalKeyAssignments": [],
        "accessDeniedAssignments": [{"dataRowId": "r3", "globalKey": "d"}],
    }
    mocked.post(URL, payload=result("assignGlobalKeysToDataRowsResult", "COMPLETE", assigned))
    mocked.post(URL, payload=job("dataRowsForGlobalKeys"))
    looked = {
        "fetchedDataRows": [{"id": "r1"}, {"id": "r2"}],
        "notFoundGlobalKeys": ["x"],
        "accessDeniedGlobalKeys": [],
    }
    mocked.post(URL, payload=result("dataRowsForGlobalKeysResult", "COMPLETE", looked))
    async with Client(api_key="k", endpoint=URL, max_retries=0) as c:
        done = await c.global_keys.assign([("r1", "a"), ("r2", "b c"), ("r3", "d"), ("r4", "e")])
        found = await c.global_keys.lookup(["a", "x", "b_c"])
    assert [(a.data_row_id, a.global_key, a.sanitized) for a in done.results] == [
        ("r1", "a", False),
        ("r2", "b_c", True),
    ]
    assert [(e.index, e.error) for e in done.errors] == [
        (2, "Access denied to Data Row"),
        (3, "the job did not report this assignment"),  # the server left it out: still reported, never lost
    ]
    assert found.results == ["r1", None, "r2"]  # only the found rows came back: given to the keys not missing


async def test_errors_that_would_fail_every_job_are_raised(mocked: aioresponses) -> None:
    mocked.post(URL, status=401, payload={"message": "Unauthorized"})
    async with Client(api_key="k", endpoint=URL, max_retries=0) as c:
        with pytest.raises(AuthenticationError):
            await c.global_keys.lookup(["a"])
