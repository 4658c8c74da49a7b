"""The API origin: aiohttp app with auth, rate limit, faults, GraphQL execution and the REST surface.

``/graphql`` and ``/_gql`` take JSON bodies and GraphQL multipart requests (file uploads); ``/api/v1/...``
is a sub-application whose routes come from the resources (:meth:`Resource.routes`), behind the same gate
(auth, faults, rate limit), answering errors as ``{"message": ..., "code": ...}`` as the REST API does.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import OrderedDict, deque
from typing import Any

from aiohttp import web
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)

from ._backend import Backend
from ._data import K_LABEL
from ._execution import encode_response, execute_sync
from ._faults import Faults
from ._multipart import MultipartError, read_operations
from ._store import Clock, RecordedRequest
from .resources._base import ApiError, RestError, rest_error

_JSON = "application/json"


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code}, **extra}


def _format(error: GraphQLError) -> dict[str, Any]:
    out: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    api = original if isinstance(original, ApiError) else error if isinstance(error, ApiError) else None
    if api is not None:
        out["extensions"] = dict(api.extensions or {})
        out.update(api.extra)
    elif "extensions" not in out or "code" not in (out.get("extensions") or {}):
        out["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "exception": {"status": 500}}
    return out


class RateLimiter:
    """A sliding one-minute window of request times per key, on the emulator clock."""

    def __init__(self, per_minute: int | None, clock: Clock) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str) -> float | None:
        """None if allowed (and counted); otherwise seconds until a slot frees up."""
        if not self.per_minute:
            return None
        now = self.clock.now()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - 60.0:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return max(0.0, hits[0] + 60.0 - now)
        hits.append(now)
        return None


class ApiApp:
    """aiohttp application of the API origin (``/graphql``, ``/_gql``, legacy ``/frames``)."""

    def __init__(
        self,
        backend: Backend,
        schema: GraphQLSchema,
        api_key: str,
        faults: Faults,
        limiter: RateLimiter,
        log: list[RecordedRequest],
    ) -> None:
        self.backend = backend
        self.schema = schema
        self.api_key = api_key
        self.faults = faults
        self.limiter = limiter
        self.log = log
        self._documents: OrderedDict[str, tuple[DocumentNode, list[GraphQLError]]] = OrderedDict()
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_post("/graphql", self.graphql)
        self.app.router.add_post("/_gql", self.graphql)
        self.app.router.add_get("/frames/{label_id}", self.frames)
        rest = web.Application(middlewares=[self._rest_gate])
        for resource in backend.resources.values():
            rest.add_routes(resource.routes())
        self.app.add_subapp(REST_PREFIX, rest)

    def _authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.api_key

    async def _gate(self, request: web.Request, record: RecordedRequest, *, rest: bool = False) -> web.Response | None:
        """Auth, faults and rate limit, in the order a real edge applies them."""
        fault = self.faults.for_api_request()
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if not self._authorized(request):
            if rest:
                return rest_error(401, "Invalid API key", "AUTHENTICATION_ERROR")
            return web.json_response(
                {"errors": [_error("Invalid API key", "AUTHENTICATION_ERROR")], "data": None},
                status=401,
            )
        wait = self.limiter.check(self.api_key)
        if fault.rate_limited and wait is None:
            wait = 1.0
        if wait is not None:
            return web.json_response(
                {
                    "message": "You have exceeded the API rate limit of "
                    f"{self.limiter.per_minute or 'N'} requests per minute. "
                    "Please retry after the time given in Retry-After."
                },
                status=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        if fault.http_status is not None:
            return web.Response(
                status=fault.http_status,
                text=f"upstream error {fault.http_status}: injected by the emulator",
            )
        if fault.graphql_status is not None:
            message = "Internal server error (injected by the emulator)"
            if rest:  # no GraphQL envelope on REST: the status travels as the HTTP status
                return rest_error(fault.graphql_status, message, "INTERNAL_SERVER_ERROR")
            return web.json_response(
                {
                    "data": None,
                    "errors": [
                        {
                            "message": message,
                            "extensions": {
                                "code": "INTERNAL_SERVER_ERROR",
                                "exception": {"status": fault.graphql_status, "message": message},
                            },
                        }
                    ],
                }
            )
        return None

    def _document(self, query: str) -> tuple[DocumentNode, list[GraphQLError]]:
        """The parsed document and its validation errors; both depend on the text alone, so they are kept.

        An LRU of 512 texts: the SDK inlines ``skip``/``first``, so each of its pages is a new text.
        """
        got = self._documents.get(query)
        if got is None:
            doc = parse(query)
            got = (doc, validate(self.schema, doc))
            self._documents[query] = got
            if len(self._documents) > 512:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(query)
        return got

    async def graphql(self, request: web.Request) -> web.Response:
        body: dict[str, Any] | None = None
        problem: str | None = None
        # The raw header, not ``request.content_type``: aiohttp parses that with the email package, a millisecond.
        if request.headers.get("Content-Type", "").lstrip().lower().startswith("multipart/"):
            try:
                body = await read_operations(request)
            except MultipartError as exc:
                problem = f"Invalid multipart request: {exc}"
        else:
            raw = await request.read()
            try:
                parsed = json.loads(raw)
                body = parsed if isinstance(parsed, dict) else None
            except ValueError:
                body = None
        query = body.get("query") if body else None
        variables = body.get("variables") if body else None
        record = self._record(
            request,
            query=query if isinstance(query, str) else None,
            variables=variables if isinstance(variables, dict) else None,
            operation_name=(body or {}).get("operationName"),
        )
        response = await self._graphql(request, record, body, query, variables, problem)
        record.status.append(response.status)
        return response

    async def _graphql(
        self,
        request: web.Request,
        record: RecordedRequest,
        body: dict[str, Any] | None,
        query: Any,
        variables: Any,
        problem: str | None = None,
    ) -> web.Response:
        gated = await self._gate(request, record)
        if gated is not None:
            return gated
        if problem is not None:
            return web.json_response({"errors": [_error(problem, "BAD_USER_INPUT")]}, status=400)
        if body is None or not isinstance(query, str):
            return web.json_response(
                {"errors": [_error("POST body must be JSON with a query string", "BAD_USER_INPUT")]},
                status=400,
            )
        if variables is not None and not isinstance(variables, dict):
            return web.json_response({"errors": [_error("variables must be an object", "BAD_USER_INPUT")]}, status=400)
        try:
            document, problems = self._document(query)
        except GraphQLError as exc:
            return web.json_response({"errors": [_error(exc.message, "GRAPHQL_PARSE_FAILED")]}, status=400)
        op_name = body.get("operationName")
        if record.operation_name is None:
            ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(ops) == 1 and ops[0].name is not None:
                record.operation_name = ops[0].name.value
        if problems:
            return web.json_response(
                {"errors": [_error(e.message, "GRAPHQL_VALIDATION_FAILED") for e in problems]},
                status=400,
            )
        context = {"experimental": request.path == "/_gql", "request": request}
        result = execute_sync(
            self.schema,
            document,
            root_value=self.backend.root,
            context_value=context,
            variable_values=variables,
            operation_name=op_name,
        )
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            errors = [_format(e) for e in result.errors]
            payload["errors"] = errors
            # Variable coercion failures come back with no data and no path: a 400, as Apollo.
            if result.data is None and not any(e.path for e in result.errors):
                for err in errors:
                    err["extensions"] = {"code": "BAD_USER_INPUT"}
                return _json_body(payload, status=400)
        return _json_body(payload)

    def _record(self, request: web.Request, **graphql: Any) -> RecordedRequest:
        """Log a request to the API origin (with its GraphQL query, variables and operation name where it has them)."""
        record = RecordedRequest(
            origin="api",
            method=request.method,
            path=request.path,
            query_string=request.query_string,
            headers=dict(request.headers),
            time=self.backend.clock.now(),
            **graphql,
        )
        self.log.append(record)
        return record

    @web.middleware
    async def _rest_gate(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Record, gate, and answer every REST error (an unknown route too) as ``{"message", "code"}``."""
        record = self._record(request)
        if request.body_exists:
            raw = await request.read()  # aiohttp keeps it for the handler
            try:
                record.body = json.loads(raw)
            except ValueError:
                record.body = raw.decode("utf-8", "replace")
        response: web.StreamResponse | None = await self._gate(request, record, rest=True)
        if response is None:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status == 404:
                    message = f"Not found: {request.method} {request.path}"
                    response = rest_error(404, message, "RESOURCE_NOT_FOUND")
                elif exc.status == 405:
                    response = rest_error(
                        405, f"Method {request.method} not allowed on {request.path}", "METHOD_NOT_ALLOWED"
                    )
                else:
                    response = rest_error(exc.status, exc.reason, "BAD_REQUEST")
            except RestError as exc:
                response = rest_error(exc.status, exc.message, exc.code)
        assert response is not None
        record.status.append(response.status)
        return response

    async def frames(self, request: web.Request) -> web.Response:
        """Legacy video frames (NDJSON), fetched by old SDKs *with* the Bearer key."""
        record = self._record(request)
        if not self._authorized(request):
            record.status.append(401)
            return web.json_response({"errors": [_error("Invalid API key", "AUTHENTICATION_ERROR")]}, status=401)
        got = self.backend.world.find(request.match_info["label_id"], K_LABEL)
        if got is None or self.backend.world.media[got[0]] != "VIDEO":
            record.status.append(404)
            return web.json_response({"message": "Not found"}, status=404)
        frames = self.backend.world.video_frames(*got)
        text = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in frames)
        record.status.append(200)
        return web.Response(text=text, content_type="application/x-ndjson")


REST_PREFIX = "/api/v1"
"""Where the REST surface lives on the API origin (the SDK's ``rest_endpoint``)."""


def _json_body(payload: Any, *, status: int = 200) -> web.Response:
    """``web.json_response(payload, status=status)`` with the emulator's encoding (:func:`encode_response`)."""
    return web.Response(body=encode_response(payload), status=status, content_type="application/json", charset="utf-8")
