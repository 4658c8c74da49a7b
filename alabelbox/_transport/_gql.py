"""gql's aiohttp transport, adapted: one request object per call, the client's own timeouts, typed errors.

Why a subclass rather than gql as it comes:

* gql's ``AIOHTTPTransport.execute`` turns every HTTP failure into a ``TransportServerError`` carrying only the
  status, and keeps response headers on the shared transport object, where concurrent calls overwrite them. We
  need each response's status, ``Retry-After`` and body to map errors, so ``execute`` reads them per call.
* ``GraphQLRequest.payload`` re-prints the document on every call; :class:`OperationRequest` sends the text the
  caller wrote (parsed once, cached), which is both faster and byte-for-byte what the user asked for.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from gql import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from graphql import ExecutionResult

from alabelbox._exceptions import ClientStateError, LabelboxError
from alabelbox._transport._mapping import Redactor, map_client_error, map_response, raise_mapped
from alabelbox._transport._multipart import Multipart
from alabelbox._transport._operation import Operation

__all__ = ["LabelboxTransport", "OperationRequest"]

_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
_MULTIPART_HEADERS = {"Accept": "application/json"}


class OperationRequest(GraphQLRequest):
    """A GraphQL request built afresh for every call (gql keeps variables on the request object, so a shared one
    would have its variables overwritten by concurrent tasks). Files, when there are any, go beside it
    (:class:`~alabelbox._transport._multipart.Multipart`, passed to :meth:`LabelboxTransport.execute`).
    """

    def __init__(self, operation: Operation, variables: dict[str, Any] | None) -> None:
        super().__init__(operation.document, variable_values=variables)
        self.operation = operation

    @property
    def payload(self) -> dict[str, Any]:
        # The official SDK sends exactly these two members, with "variables": null when there are none.
        return {"query": self.operation.text, "variables": self.variable_values}


class LabelboxTransport(AIOHTTPTransport):
    """An aiohttp GraphQL transport over a connector it does not own."""

    def __init__(
        self,
        url: str,
        *,
        headers: dict[str, str],
        connector: aiohttp.BaseConnector,
        redact: Redactor,
    ) -> None:
        super().__init__(
            url=url,
            headers=headers,
            timeout=None,
            client_session_args={
                "connector": connector,
                "connector_owner": False,
                # No session-wide limit: every call passes its own ClientTimeout.
                "timeout": aiohttp.ClientTimeout(total=None),
            },
        )
        self._redact = redact

    async def execute(
        self,
        request: GraphQLRequest,
        *,
        extra_args: dict[str, Any] | None = None,
        upload_files: bool = False,
    ) -> ExecutionResult:
        """Post one request and return its data, or raise the typed error its answer stands for."""
        session = self.session
        if session is None:
            raise ClientStateError("the GraphQL session is not open")
        if not isinstance(request, OperationRequest):
            raise TypeError("LabelboxTransport executes OperationRequest objects")
        operation = request.operation.label
        timeout = (extra_args or {}).get("timeout")
        multipart: Multipart | None = (extra_args or {}).get("multipart")
        body_out: bytes | aiohttp.FormData
        headers_out: dict[str, str] = _JSON_HEADERS
        if multipart is not None:
            # A fresh body per attempt (aiohttp sets the multipart Content-Type, with its boundary).
            body_out, headers_out = multipart.form(request.payload), _MULTIPART_HEADERS
        else:
            body_out = json.dumps(request.payload).encode()
        failure: tuple[LabelboxError, BaseException] | None = None
        try:
            async with session.post(self.url, data=body_out, headers=headers_out, timeout=timeout) as response:
                body = await response.read()
                status = response.status
                headers = response.headers
        except Exception as exc:
            mapped = map_client_error(exc, operation, redact=self._redact, url=str(self.url))
            if mapped is None:
                raise
            failure = (mapped, exc)
        if failure is not None:
            # Outside the except block, so that a foreign error carrying a secret is not kept as the context.
            raise_mapped(*failure, self._redact)
        try:
            data = map_response(status, headers, body, operation=operation, redact=self._redact, url=str(self.url))
        except LabelboxError as error:
            answer_error = error
        else:
            return ExecutionResult(data=data)
        # The answer may quote the key: no frame of the traceback keeps it (``--showlocals``, Sentry).
        del body, headers
        raise answer_error.with_traceback(None)

    async def close(self) -> None:
        """Close the aiohttp session; the shared connector stays open for its owner to close."""
        if self.session is not None:
            await self.session.close()
        self.session = None
