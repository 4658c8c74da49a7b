"""``client.models``: create, retrieve, list and delete models."""

from __future__ import annotations

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import InvalidArgumentError
from alabelbox._pagination import Paginator
from alabelbox._queries.models import CREATE_MODEL, DELETE_MODEL, GET_MODEL, GET_MODELS
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.model import Model

__all__ = ["Models"]


class Models(Resource):
    """Models of the organization: ``client.models``. Their runs are on ``client.model_runs``.

    Example:
        >>> model = await client.models.create("classifier", ontology_id=ontology_id)
        >>> [m.name async for m in client.models.list(name="classifier")]
        ['classifier']
        >>> await client.models.delete(model.id)
    """

    async def create(self, name: str, *, ontology_id: str, timeout: TimeoutArg = DEFAULT) -> Model:
        """Create a model whose runs use the ontology ``ontology_id``, as the SDK's ``client.create_model``.

        Raises:
            InvalidArgumentError: ``name`` is blank or ``ontology_id`` is not an id.
            ResourceNotFoundError: There is no such ontology.

        Example:
            >>> model = await client.models.create("segmenter", ontology_id=ontology_id)
            >>> model.ontology_id == ontology_id
            True
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", f"must be a non-blank string, got {name!r}")
        variables = {"name": name, "ontologyId": check_id("ontology_id", ontology_id)}
        return await self._mutate(CREATE_MODEL, variables, Model, timeout=timeout)

    async def retrieve(self, model_id: str, *, timeout: TimeoutArg = DEFAULT) -> Model:
        """One model by id, as the SDK's ``client.get_model``.

        Raises:
            ResourceNotFoundError: There is no such model.

        Example:
            >>> (await client.models.retrieve(model_id)).name
            'detector'
        """
        return await self._retrieve(GET_MODEL, {"id": check_id("model_id", model_id)}, Model, timeout=timeout)

    def list(
        self,
        *,
        name: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Model]:
        """The organization's models, oldest first, as the SDK's ``client.get_models(where=Model.name == ...)``.

        Args:
            name: Only the model(s) with exactly this name.
            page_size: Models per request.
            window: Requests in flight at once, pinned; None (the default) adapts it to the latency.
            timeout: Limits for each request, overriding the client's.

        Example:
            >>> [m.id async for m in client.models.list()] == [model_id]
            True
        """
        if name is not None and not isinstance(name, str):
            raise InvalidArgumentError("name", f"must be a string, got {type(name).__name__}")
        variables = {"where": {"name": name} if name is not None else None}
        return self._offset_listing(
            GET_MODELS,
            variables,
            Model,
            page_size=check_positive_int("page_size", page_size),
            window=window,
            timeout=timeout,
        )

    async def delete(self, model_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a model, and its runs, as the SDK's ``Model.delete``.

        Raises:
            ResourceNotFoundError: There is no such model.

        Example:
            >>> await client.models.delete(model_id)
        """
        await self._mutate(DELETE_MODEL, {"ids": check_id("model_id", model_id)}, timeout=timeout)
