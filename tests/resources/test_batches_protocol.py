"""Answers a real server rarely gives, with aioresponses: malformed batch answers are typed errors, not crashes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client, ResourceNotFoundError, ResponseModelError, RetryConfig
from tests.resources.conftest import mocked

ENDPOINT = "https://api.labelbox.test/graphql"
EXPERIMENTAL = "https://api.labelbox.test/_gql"

__all__ = ["mocked"]  # a fixture, re-exported for pytest


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with Client(api_key="lb-test-key", endpoint=ENDPOINT, retry=RetryConfig(max_retries=0)) as c:
        yield c


def created(batch: Any, failed: Any) -> dict[str, Any]:
    return {"data": {"project": {"createBatchV2": {"batch": batch, "failedDataRowIds": failed}}}}


async def test_failed_ids_that_are_not_a_list_are_a_model_error(client: Client, mocked: Any) -> None:
    mocked.post(EXPERIMENTAL, payload=created({"id": "b1", "name": "x", "size": 1}, "r2"))
    with pytest.raises(ResponseModelError, match="failedDataRowIds"):
        await client.batches.create("p1", "x", data_row_ids=["r1", "r2"])


async def test_a_batch_without_a_name_is_a_model_error(client: Client, mocked: Any) -> None:
    mocked.post(EXPERIMENTAL, payload=created({"id": "b1"}, []))
    with pytest.raises(ResponseModelError, match="Batch"):
        await client.batches.create("p1", "x", data_row_ids=["r1"])


async def test_an_empty_batch_lookup_is_not_found(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"project": {"batches": {"nodes": []}}}})
    with pytest.raises(ResourceNotFoundError, match="no batch b9"):
        await client.batches.retrieve("p1", "b9")


async def test_an_overview_of_the_wrong_shape_is_a_model_error(client: Client, mocked: Any) -> None:
    mocked.post(EXPERIMENTAL, payload={"data": {"project": {"workstreamStateCounts": [{"state": "All"}]}}})
    with pytest.raises(ResponseModelError, match="overview"):
        await client.workflow.overview("p1")


async def test_a_refused_priority_answer_is_a_model_error(client: Client, mocked: Any) -> None:
    payload = {"data": {"project": {"setLabelingParameterOverrides": {"success": False}}}}
    mocked.post(ENDPOINT, payload=payload)
    with pytest.raises(ResponseModelError, match="success is False"):
        await client.workflow.set_priorities("p1", {"r1": 1})
