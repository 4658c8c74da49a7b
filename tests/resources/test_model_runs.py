"""client.model_runs against a mocked server: task statuses the emulator does not produce, and answers that do not
fit."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client, ResponseModelError, RetryConfig, TaskFailedError, TaskStatus
from tests.resources.conftest import mocked

__all__ = ["mocked"]  # a fixture, re-exported for pytest

ENDPOINT = "https://api.labelbox.test/graphql"
START = {"data": {"createMEAModelRunDataRowRegistrationTask": "task-1"}}


def status(value: str, message: str | None = None) -> dict[str, Any]:
    return {"data": {"MEADataRowRegistrationTaskStatus": {"status": value, "errorMessage": message}}}


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with Client(api_key="lb-test-key", endpoint=ENDPOINT, retry=RetryConfig(max_retries=0)) as c:
        yield c


async def upsert(client: Client) -> Any:
    return await client.model_runs.upsert_data_rows("run-1", data_row_ids=["a", "b"], poll_interval=0.01)


async def test_polls_until_done_with_the_sdks_variables(client: Client, mocked: Any) -> None:
    for answer in (START, status("IN_PROGRESS"), status("IN_PROGRESS"), status("COMPLETE")):
        mocked.post(ENDPOINT, payload=answer)
    done = await upsert(client)
    assert (done.id, done.status, done.error_message) == ("task-1", TaskStatus.COMPLETE, None)
    ((_, calls),) = [(k, v) for k, v in mocked.requests.items() if k[0] == "POST"]
    bodies = [json.loads(c.kwargs["data"]) for c in calls]
    assert bodies[0]["variables"] == {"modelRunId": "run-1", "dataRowIds": ["a", "b"], "globalKeys": None}
    assert [b["variables"] for b in bodies[1:]] == [{"where": {"id": "task-1"}}] * 3


async def test_failed_raises_with_the_servers_reason(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=START)
    mocked.post(ENDPOINT, payload=status("FAILED", "1 of 2 data rows were not found: b"))
    with pytest.raises(TaskFailedError, match="not found: b") as caught:
        await upsert(client)
    assert caught.value.task_id == "task-1"
    assert caught.value.errors == [{"message": "1 of 2 data rows were not found: b"}]


async def test_an_unknown_status_ends_the_wait_with_a_warning(
    client: Client, mocked: Any, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.post(ENDPOINT, payload=START)
    mocked.post(ENDPOINT, payload=status("PARTIALLY_DONE"))
    with caplog.at_level(logging.WARNING, logger="alabelbox.model_runs"):
        done = await upsert(client)
    assert done.status is TaskStatus.UNKNOWN
    assert "unknown status" in caplog.text


async def test_an_answer_without_a_task_id_is_a_response_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"createMEAModelRunDataRowRegistrationTask": 7}})
    with pytest.raises(ResponseModelError, match="no task id"):
        await upsert(client)
