"""Endpoint mistakes become :class:`EndpointError` (not retried, naming what to fix); other failures do not."""

from __future__ import annotations

import socket
import ssl
import time
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from alabelbox import Client, EndpointError, NetworkError, UnexpectedResponseError
from alabelbox._retry import should_retry
from alabelbox._transport._mapping import map_client_error, map_response, one_line

URL = "https://api.example.invalid/graphql"


def _key(host: str = "api.example.invalid", port: int = 443) -> Any:
    return SimpleNamespace(host=host, port=port, ssl=True)


def test_an_unresolvable_host_names_the_host_and_is_not_retried() -> None:
    exc = aiohttp.ClientConnectorDNSError(_key(), socket.gaierror(-2, "Name or service not known"))
    error = map_client_error(exc, "Q", url=URL)
    assert isinstance(error, EndpointError) and isinstance(error, NetworkError)
    assert "api.example.invalid" in str(error) and "does not resolve" in str(error)
    assert not should_retry(error) and error.request_sent is False


def test_tls_against_plain_http_hints_http() -> None:
    exc = aiohttp.ClientConnectorSSLError(_key(), ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"))
    error = map_client_error(exc, "Q", url=URL)
    assert isinstance(error, EndpointError)
    assert "TLS handshake" in str(error) and "use http://api.example.invalid/graphql" in str(error)


def test_a_refused_connection_names_the_address() -> None:
    exc = aiohttp.ClientConnectorError(_key("127.0.0.1", 9), ConnectionRefusedError(111, "refused"))
    error = map_client_error(exc, "Q", url="http://127.0.0.1:9/graphql")
    assert isinstance(error, EndpointError) and "nothing listens on 127.0.0.1:9" in str(error)


def test_other_connection_failures_and_downloads_stay_retried() -> None:
    reset = aiohttp.ClientConnectorError(_key(), ConnectionResetError(104, "reset"))
    assert not isinstance(map_client_error(reset, "Q", url=URL), EndpointError)
    refused = aiohttp.ClientConnectorError(_key(), ConnectionRefusedError(111, "refused"))
    download = map_client_error(refused, "GET shard")  # no url: a storage origin, retried as before
    assert isinstance(download, NetworkError) and not isinstance(download, EndpointError)
    assert should_retry(download)


def test_an_html_page_is_one_short_line_with_the_graphql_hint() -> None:
    body = b"<!DOCTYPE html>\n<html>\n" + b"<p>hello</p>\n" * 1000
    with pytest.raises(UnexpectedResponseError) as info:
        map_response(404, {"Content-Type": "text/html"}, body, operation="Q", url="https://api.labelbox.com")
    message = str(info.value)
    assert "\n" not in message and len(message) < 400
    assert "lacks the /graphql path" in message and "text/html" in message
    assert one_line(body).startswith("<!DOCTYPE html> <html> <p>hello</p>")


async def test_a_closed_port_fails_within_a_second_without_retries() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    async with Client(api_key="k", endpoint=f"http://127.0.0.1:{port}/graphql") as client:
        with pytest.raises(EndpointError, match="connection refused"):
            await client.execute("query Me { user { id } }")
        assert client.statistics().retried == 0
    assert time.monotonic() - started < 1.5
