"""Receiving Labelbox webhooks: check the signature, parse the event, in aiohttp or any ASGI framework.

Labelbox signs each delivery with the webhook's secret: the ``X-Hub-Signature`` header is ``sha1=`` and the hex
HMAC-SHA1 of the raw body; ``X-Labelbox-Event`` names the topic and ``X-Labelbox-Id`` the delivery. A receiver must
check the signature on the raw bytes, before parsing anything, and in constant time: :func:`parse_event` does that,
and :func:`aiohttp_handler` / :func:`asgi_app` wrap it into an endpoint that answers ``401`` to a bad signature,
``400`` to a body that is not a JSON object, ``413`` to one larger than ``max_body``, and ``200`` once your
callback has run.

Example:
    >>> from aiohttp import web
    >>> async def on_event(event: WebhookEvent) -> None:
    ...     print(event.topic, event.label_id)
    >>> app = web.Application()
    >>> _ = app.router.add_post("/labelbox", aiohttp_handler("s3cret", on_event))

Creating and listing webhooks is ``client.webhooks``. The emulator delivers signed webhooks to a receiver on
loopback, so a receiver is tested end to end against it.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alabelbox._exceptions import WebhookSignatureError
from alabelbox.types.webhook import WebhookTopic

__all__ = [
    "EVENT_HEADER",
    "ID_HEADER",
    "SIGNATURE_HEADER",
    "WebhookEvent",
    "aiohttp_handler",
    "asgi_app",
    "parse_event",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Hub-Signature"
"""The header with the delivery's signature: ``sha1=<hex>``."""
EVENT_HEADER = "X-Labelbox-Event"
"""The header naming the event's topic (``LABEL_CREATED``, ...)."""
ID_HEADER = "X-Labelbox-Id"
"""The header with the delivery's id."""

#: The largest body a receiver reads by default (a label event is a few KB).
MAX_BODY = 1 << 20

Secret = str | bytes
EventCallback = Callable[["WebhookEvent"], "Awaitable[None] | None"]


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One verified webhook delivery.

    Attributes:
        topic: The event (a :class:`~alabelbox.types.webhook.WebhookTopic`, or the header's text if this client
            does not know it).
        delivery_id: The delivery's id (``X-Labelbox-Id``), for de-duplicating redeliveries; None if absent.
        payload: The JSON body, as sent.
    """

    topic: WebhookTopic | str
    delivery_id: str | None
    payload: dict[str, Any] = field(repr=False)

    @property
    def label_id(self) -> str | None:
        """The label the event is about (the payload's ``id``), if it says."""
        value = self.payload.get("id")
        return value if isinstance(value, str) else None

    @property
    def project_id(self) -> str | None:
        """The project of the label, if the payload says."""
        return _nested_id(self.payload, "project")

    @property
    def data_row_id(self) -> str | None:
        """The data row of the label, if the payload says."""
        return _nested_id(self.payload, "dataRow")


def _nested_id(payload: Mapping[str, Any], key: str) -> str | None:
    node = payload.get(key)
    value = node.get("id") if isinstance(node, Mapping) else None
    return value if isinstance(value, str) else None


def _key(secret: Secret) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    if not isinstance(key, bytes) or not key:
        raise WebhookSignatureError("the webhook secret is empty: give the secret the webhook was created with")
    return key


def sign(body: bytes, secret: Secret) -> str:
    """The ``X-Hub-Signature`` value for ``body``: ``sha1=`` and the hex HMAC-SHA1 with ``secret``.

    Example:
        >>> sign(b'{"id": "l1"}', "s3cret")
        'sha1=...'
    """
    return "sha1=" + hmac.new(_key(secret), body, hashlib.sha1).hexdigest()


def verify_signature(body: bytes, signature: str | None, secret: Secret) -> None:
    """Check that ``signature`` (the ``X-Hub-Signature`` header) signs the raw ``body`` with ``secret``.

    The comparison takes the same time wherever the values differ.

    Raises:
        WebhookSignatureError: The header is missing, is not ``sha1=<hex>``, or does not match.

    Example:
        >>> body = b'{"id": "l1"}'
        >>> verify_signature(body, sign(body, "s3cret"), "s3cret")
        >>> verify_signature(body, sign(body, "other"), "s3cret")
        Traceback (most recent call last):
        ...
        alabelbox._exceptions.WebhookSignatureError: the X-Hub-Signature does not match the body and the secret
    """
    if not signature:
        raise WebhookSignatureError(f"the delivery has no {SIGNATURE_HEADER} header")
    scheme, _, digest = signature.partition("=")
    if scheme.strip().lower() != "sha1" or not digest:
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header is not sha1=<hex>: {signature[:16]!r}")
    expected = hmac.new(_key(secret), body, hashlib.sha1).hexdigest()
    if not hmac.compare_digest(expected, digest.strip().lower()):
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} does not match the body and the secret")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def parse_event(body: bytes, headers: Mapping[str, str], secret: Secret) -> WebhookEvent:
    """Verify a delivery's signature, then parse it into a :class:`WebhookEvent` (header names in any case).

    Raises:
        WebhookSignatureError: The signature is missing or wrong (checked before the body is parsed).
        ValueError: The body is not a JSON object.

    Example:
        >>> body = b'{"id": "l1", "project": {"id": "p1"}}'
        >>> event = parse_event(body, {"x-hub-signature": sign(body, "s"), "x-labelbox-event": "LABEL_DELETED"}, "s")
        >>> event.topic, event.label_id, event.project_id
        (<WebhookTopic.LABEL_DELETED: 'LABEL_DELETED'>, 'l1', 'p1')
    """
    verify_signature(body, _header(headers, SIGNATURE_HEADER), secret)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the webhook body is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ValueError(f"the webhook body is a JSON {type(payload).__name__}, not an object")
    topic_text = _header(headers, EVENT_HEADER) or ""
    topic: WebhookTopic | str
    try:
        topic = WebhookTopic(topic_text)
    except ValueError:
        topic = topic_text
    return WebhookEvent(topic=topic, delivery_id=_header(headers, ID_HEADER), payload=payload)


async def _handle(body: bytes, headers: Mapping[str, str], secret: Secret, on_event: EventCallback) -> tuple[int, str]:
    try:
        event = parse_event(body, headers, secret)
    except WebhookSignatureError as exc:
        return 401, exc.message
    except ValueError as exc:
        return 400, str(exc)
    outcome = on_event(event)
    if inspect.isawaitable(outcome):
        await outcome
    return 200, "ok"


def aiohttp_handler(
    secret: Secret, on_event: EventCallback, *, max_body: int = MAX_BODY
) -> Callable[[Any], Awaitable[Any]]:
    """An aiohttp request handler that verifies each delivery and calls ``on_event`` with it.

    Mount it with ``app.router.add_post(path, aiohttp_handler(secret, on_event))``. An exception in ``on_event``
    propagates (aiohttp answers 500, and the sender may deliver again: use :attr:`WebhookEvent.delivery_id` to
    de-duplicate).

    Example:
        >>> handler = aiohttp_handler(b"s3cret", lambda event: None)
    """
    _key(secret)
    from aiohttp import web

    async def handler(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > max_body:
            return web.Response(status=413, text=f"the body is larger than {max_body} bytes")
        body = await request.content.read(max_body + 1)
        if len(body) > max_body:
            return web.Response(status=413, text=f"the body is larger than {max_body} bytes")
        status, text = await _handle(body, request.headers, secret, on_event)
        return web.Response(status=status, text=text)

    return handler


def asgi_app(
    secret: Secret, on_event: EventCallback, *, max_body: int = MAX_BODY
) -> Callable[[dict[str, Any], Any, Any], Awaitable[None]]:
    """An ASGI application (Starlette, FastAPI, Litestar mounts, or any ASGI server) that verifies each ``POST``
    delivery and calls ``on_event`` with it. Other methods get 405.

    Example:
        >>> app = asgi_app("s3cret", lambda event: None)
    """
    _key(secret)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            return
        if scope.get("method") != "POST":
            await _respond(send, 405, "POST only")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message.get("type") == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                await _respond(send, 413, f"the body is larger than {max_body} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        status, text = await _handle(b"".join(chunks), headers, secret, on_event)
        await _respond(send, status, text)

    return app


async def _respond(send: Any, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
