"""One test per row of the error table (docs/wire.md, "Errors"), driven through Client.execute with aioresponses."""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from alabelbox import (
    ApiLimitError,
    AuthenticationError,
    AuthorizationError,
    Client,
    InternalServerError,
    InvalidQueryError,
    LabelboxError,
    MalformedRequestError,
    NetworkError,
    OperationNotAllowedError,
    ResourceConflictError,
    ResourceNotFoundError,
    RetryConfig,
    TimeoutError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    ValidationFailedError,
)

ENDPOINT = "https://api.labelbox.test/graphql"
KEY = "lb-secret-key-0123456789"
QUERY = "query GetThingPyApi { thing { id } }"


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    async with Client(api_key=KEY, endpoint=ENDPOINT, retry=RetryConfig(max_retries=0)) as c:
        yield c


def gql_error(code: str, message: str = "it failed", **extra: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extra}}], "data": None}


def internal(status: int | None) -> dict[str, Any]:
    exception: dict[str, Any] = {"message": "server says no"}
    if status is not None:
        exception["status"] = status
    return gql_error("INTERNAL_SERVER_ERROR", "server says no", exception=exception)


async def run(client: Client) -> LabelboxError:
    with pytest.raises(LabelboxError) as info:
        await client.execute(QUERY)
    return info.value


async def test_200_data_returns_data(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"thing": {"id": "t1"}}})
    assert await client.execute(QUERY) == {"thing": {"id": "t1"}}


@pytest.mark.parametrize(
    ("status", "payload", "error_type", "code"),
    [
        (200, gql_error("AUTHENTICATION_ERROR", "Not authenticated"), AuthenticationError, "AUTHENTICATION_ERROR"),
        (401, gql_error("AUTHENTICATION_ERROR", "Not authenticated"), AuthenticationError, "AUTHENTICATION_ERROR"),
        (200, gql_error("AUTHORIZATION_ERROR", "not yours"), AuthorizationError, "AUTHORIZATION_ERROR"),
        (
            200,
            gql_error("GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
            ValidationFailedError,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            400,
            gql_error("GRAPHQL_VALIDATION_FAILED", 'Cannot query field "x"'),
            InvalidQueryError,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (400, gql_error("GRAPHQL_PARSE_FAILED", "Syntax Error"), InvalidQueryError, "GRAPHQL_PARSE_FAILED"),
        (200, gql_error("RESOURCE_NOT_FOUND", "no such project"), ResourceNotFoundError, "RESOURCE_NOT_FOUND"),
        (200, gql_error("RESOURCE_CONFLICT", "already exists"), ResourceConflictError, "RESOURCE_CONFLICT"),
        (200, gql_error("MALFORMED_REQUEST", "bad input"), MalformedRequestError, "MALFORMED_REQUEST"),
        (200, internal(400), InvalidQueryError, "INTERNAL_SERVER_ERROR"),
        (200, internal(422), UnprocessableEntityError, "INTERNAL_SERVER_ERROR"),
        (200, internal(426), OperationNotAllowedError, "INTERNAL_SERVER_ERROR"),
        (200, internal(500), InternalServerError, "INTERNAL_SERVER_ERROR"),
        (200, internal(503), InternalServerError, "INTERNAL_SERVER_ERROR"),
        (200, internal(None), InternalServerError, "INTERNAL_SERVER_ERROR"),
        (200, gql_error("OPERATION_NOT_ALLOWED", "nope"), OperationNotAllowedError, "OPERATION_NOT_ALLOWED"),
        (200, gql_error("SOMETHING_NEW", "what is this"), UnexpectedResponseError, "SOMETHING_NEW"),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
async def test_graphql_error_codes(
    client: Client, mocked: Any, status: int, payload: dict[str, Any], error_type: type[LabelboxError], code: str
) -> None:
    mocked.post(ENDPOINT, status=status, payload=payload)
    error = await run(client)
    assert type(error) is error_type
    assert error.code == code
    assert error.operation == "GetThingPyApi"
    assert error.errors == payload["errors"]
    assert KEY not in str(error) and KEY not in repr(error)


async def test_internal_server_error_keeps_the_reported_status(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=internal(503))
    error = await run(client)
    assert error.status == 503


async def test_malformed_request_on_exports_reads_the_errors_member(client: Client, mocked: Any) -> None:
    detail = [{"error": "Export is not supported for projects with custom editors", "projectIds": ["p1"]}]
    mocked.post(
        ENDPOINT,
        payload={"errors": [{"extensions": {"code": "MALFORMED_REQUEST"}, "errors": detail, "message": "x"}]},
    )
    error = await run(client)
    assert isinstance(error, MalformedRequestError)
    assert "custom editors" in error.message


async def test_you_have_exceeded_is_an_api_limit_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, status=400, payload={"message": "You have exceeded the rate limit"})
    error = await run(client)
    assert isinstance(error, ApiLimitError)
    assert error.message.startswith("You have exceeded")


async def test_429_is_an_api_limit_error_with_retry_after(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, status=429, payload={"message": "Too Many Requests"}, headers={"Retry-After": "12"})
    error = await run(client)
    assert isinstance(error, ApiLimitError)
    assert error.retry_after == 12.0
    assert error.status == 429


async def test_404_without_errors_is_an_unexpected_response(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, status=404, payload={"message": "Not Found"})
    error = await run(client)
    assert isinstance(error, UnexpectedResponseError)
    assert error.status == 404


@pytest.mark.parametrize("status", [500, 502, 503, 520])
async def test_5xx_text_bodies_are_internal_server_errors(client: Client, mocked: Any, status: int) -> None:
    mocked.post(ENDPOINT, status=status, body="<html><body>Bad Gateway</body></html>")
    error = await run(client)
    assert isinstance(error, InternalServerError)
    assert error.status == status
    assert f"error {status}" in error.message


async def test_upstream_reset_is_reported_as_a_connection_reset(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, status=503, body="upstream connect error or disconnect/reset before headers. reset reason")
    error = await run(client)
    assert isinstance(error, InternalServerError)
    assert error.message.startswith("Connection reset")


async def test_non_json_body_gives_status_and_first_bytes(client: Client, mocked: Any) -> None:
    page = "<!DOCTYPE html><html><head><title>Proxy Error</title></head>" + "x" * 1000
    mocked.post(ENDPOINT, status=200, body=page)
    error = await run(client)
    assert isinstance(error, UnexpectedResponseError)
    assert error.status == 200
    assert "Proxy Error" in error.message
    assert error.body_excerpt.startswith("<!DOCTYPE html>")
    assert len(error.body_excerpt) < 250


async def test_answer_without_data_or_errors(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"something": "else"})
    error = await run(client)
    assert isinstance(error, UnexpectedResponseError)


async def test_timeout_is_a_labelbox_and_builtin_timeout_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, exception=aiohttp.ServerTimeoutError("read timed out"))
    error = await run(client)
    assert isinstance(error, TimeoutError)
    assert isinstance(error, builtins.TimeoutError)


async def test_connection_errors_are_network_errors(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, exception=aiohttp.ServerDisconnectedError())
    error = await run(client)
    assert isinstance(error, NetworkError)
    assert error.request_sent is True


async def test_refused_connections_are_known_not_sent(client: Client, mocked: Any) -> None:
    key = aiohttp.client_reqrep.ConnectionKey("api.labelbox.test", 443, True, True, None, None, None)
    mocked.post(ENDPOINT, exception=aiohttp.ClientConnectorError(key, OSError(111, "Connection refused")))
    error = await run(client)
    assert isinstance(error, NetworkError)
    assert error.request_sent is False


async def test_server_messages_never_leak_the_key(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=gql_error("AUTHORIZATION_ERROR", f"key {KEY} may not do that"))
    error = await run(client)
    assert KEY not in str(error)
    assert KEY not in repr(error)
    assert "<redacted>" in error.message


async def test_retried_errors_are_retried_then_succeed(mocked: Any) -> None:
    calls: list[int] = []

    def count(url: Any, **kwargs: Any) -> None:
        calls.append(1)

    mocked.post(ENDPOINT, status=503, body="unavailable", callback=count)
    mocked.post(ENDPOINT, status=429, payload={"message": "Too Many Requests"}, headers={"Retry-After": "0"})
    mocked.post(ENDPOINT, payload={"data": {"thing": {"id": "t1"}}})
    retry = RetryConfig(max_retries=3, initial_delay=0.001, max_delay=0.001)
    async with Client(api_key=KEY, endpoint=ENDPOINT, retry=retry) as client:
        assert await client.execute(QUERY) == {"thing": {"id": "t1"}}
        assert client.statistics().retried == 2
        assert client.statistics().completed == 1


async def test_request_body_is_the_query_text_and_variables(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"thing": None}})
    await client.execute(QUERY, {"id": "t1"})
    (((_, url), calls),) = mocked.requests.items()
    assert str(url) == ENDPOINT
    assert calls[0].kwargs["headers"]["Content-Type"] == "application/json"
    # The text as written (not re-printed from an AST), and variables: the SDK's two members.
    assert json.loads(calls[0].kwargs["data"]) == {"query": QUERY, "variables": {"id": "t1"}}
