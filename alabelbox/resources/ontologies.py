"""``client.ontologies``: create (from a builder or from existing feature schemas), retrieve, list and search,
list and delete the unused ones."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import anyio

from alabelbox._exceptions import InvalidArgumentError, LabelboxError
from alabelbox._pagination import Paginator
from alabelbox._queries.ontologies import CREATE_ONTOLOGY, LIST_ONTOLOGIES, RETRIEVE_ONTOLOGY
from alabelbox._validation import check_id, check_ids
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.resources.feature_schemas import search_listing, segment, unused_listing
from alabelbox.types.ontology import FeatureSchema, Ontology, OntologyBuilder
from alabelbox.types.project import MediaType

__all__ = ["Ontologies"]

#: Feature schemas retrieved at once by :meth:`Ontologies.create_from_feature_schemas`.
FEATURE_SCHEMA_WINDOW = 8


def _normalized(ontology: OntologyBuilder | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(ontology, OntologyBuilder):
        return ontology.to_dict()
    if not isinstance(ontology, Mapping):
        raise InvalidArgumentError(
            "ontology", f"must be an OntologyBuilder or its normalized dict, got {type(ontology).__name__}"
        )
    OntologyBuilder.from_dict(ontology)  # checks it, with the place of what is wrong
    return dict(ontology)


def _media_type(media_type: MediaType | str | None) -> str | None:
    if media_type is None:
        return None
    try:
        return MediaType(media_type).value
    except ValueError:
        raise InvalidArgumentError("media_type", f"{media_type!r} is not a MediaType") from None


class Ontologies(Resource):
    """Ontologies of the organization: ``client.ontologies``.

    Example:
        >>> from alabelbox.types import Tool, ToolType
        >>> builder = OntologyBuilder(tools=[Tool(ToolType.BBOX, "car")])
        >>> ontology = await client.ontologies.create("Cars", builder, media_type=MediaType.IMAGE)
        >>> project = await client.projects.connect_ontology(project_id, ontology.id)
    """

    async def create(
        self,
        name: str,
        ontology: OntologyBuilder | Mapping[str, Any],
        *,
        media_type: MediaType | str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Ontology:
        """Create an ontology (``upsertOntology``), as the SDK's ``client.create_ontology``.

        Every root tool and classification becomes a feature schema of its own, unless it names an existing
        one by ``feature_schema_id`` (then that one is reused).

        Args:
            name: The ontology's name (not blank).
            ontology: An :class:`~alabelbox.types.OntologyBuilder`, or the normalized dict (the SDK's
                ``OntologyBuilder.asdict()``), checked before it is sent.
            media_type: The media type it is for; None fits any project.
            timeout: Limits for the request, overriding the client's.

        Returns:
            The stored ontology: every node with its ``featureSchemaId`` and ``schemaNodeId``.

        Raises:
            InvalidArgumentError: A blank name, an unknown media type, or an ontology that is not valid (the
                message names the place, e.g. ``tools[0].classifications[1].options``).

        Example:
            >>> from alabelbox.types import Classification, ClassificationType, Option, Tool, ToolType
            >>> color = Classification(ClassificationType.RADIO, "color", options=[Option("red"), Option("blue")])
            >>> builder = OntologyBuilder(tools=[Tool(ToolType.BBOX, "car", classifications=[color])])
            >>> ontology = await client.ontologies.create("Cars", builder, media_type="IMAGE")
            >>> ontology.builder().tools[0].classifications[0].options[1].value
            'blue'
            >>> ontology.builder().tools[0].feature_schema_id is not None
            True
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", f"must be a non-blank string, got {name!r}")
        data = {"name": name, "normalized": json.dumps(_normalized(ontology)), "mediaType": _media_type(media_type)}
        return await self._mutate(CREATE_ONTOLOGY, {"data": data}, Ontology, timeout=timeout)

    async def create_from_feature_schemas(
        self,
        name: str,
        feature_schema_ids: Sequence[str],
        *,
        media_type: MediaType | str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Ontology:
        """Create an ontology of existing feature schemas (tools and classifications, in the order given), as the
        SDK's ``client.create_ontology_from_feature_schemas``: the ontology reuses them by id.

        Raises:
            InvalidArgumentError: No ids, or a bad argument (before any request).
            ResourceNotFoundError: A feature schema does not exist.

        Example:
            >>> from alabelbox.types import Tool, ToolType
            >>> box = await client.feature_schemas.create(Tool(ToolType.BBOX, "car"))
            >>> ontology = await client.ontologies.create_from_feature_schemas("Reused", [box.id])
            >>> ontology.feature_schema_ids() == [box.id]
            True
        """
        ids = check_ids("feature_schema_ids", feature_schema_ids)
        if not ids:
            raise InvalidArgumentError("feature_schema_ids", "must name at least one feature schema")
        schemas: list[FeatureSchema | None] = [None] * len(ids)
        limiter = anyio.CapacityLimiter(FEATURE_SCHEMA_WINDOW)
        failure: LabelboxError | None = None

        async def get(i: int, fid: str, scope: anyio.CancelScope) -> None:
            nonlocal failure
            async with limiter:
                try:
                    schemas[i] = await self._client.feature_schemas.retrieve(fid, timeout=timeout)
                except LabelboxError as exc:  # raised after the group, as itself (not in an ExceptionGroup)
                    failure = failure or exc
                    scope.cancel()

        async with anyio.create_task_group() as tg:
            for i, fid in enumerate(ids):
                tg.start_soon(get, i, fid, tg.cancel_scope)
        if failure is not None:
            raise failure
        normalized: dict[str, list[dict[str, Any]]] = {"tools": [], "classifications": []}
        for schema in schemas:
            assert schema is not None
            schema.definition()  # a tool or classification of a kind this client knows, or InvalidArgumentError
            normalized["tools" if schema.is_tool else "classifications"].append(schema.normalized)
        return await self.create(name, normalized, media_type=media_type, timeout=timeout)

    async def retrieve(self, ontology_id: str, *, timeout: TimeoutArg = DEFAULT) -> Ontology:
        """One ontology by id.

        Raises:
            ResourceNotFoundError: There is no such ontology.

        Example:
            >>> created = await client.ontologies.create("Empty", OntologyBuilder())
            >>> (await client.ontologies.retrieve(created.id)).name
            'Empty'
        """
        variables = {"id": check_id("ontology_id", ontology_id)}
        return await self._retrieve(RETRIEVE_ONTOLOGY, variables, Ontology, timeout=timeout)

    def list(
        self, *, name_contains: str | None = None, page_size: int = 100, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[Ontology]:
        """Ontologies whose name contains ``name_contains`` (case-insensitive), or all of them, by cursor pages.

        Example:
            >>> _ = await client.ontologies.create("Cars", OntologyBuilder())
            >>> [o.name async for o in client.ontologies.list(name_contains="car")]
            ['Cars']
        """
        return search_listing(
            self, LIST_ONTOLOGIES, Ontology, name_contains=name_contains, page_size=page_size, timeout=timeout
        )

    def list_unused(self, *, timeout: TimeoutArg = DEFAULT) -> Paginator[str]:
        """Ids of the ontologies no project uses (REST ``GET /ontologies/unused``, 100 a page).

        Example:
            >>> ontology = await client.ontologies.create("Spare", OntologyBuilder())
            >>> [oid async for oid in client.ontologies.list_unused()] == [ontology.id]
            True
        """
        return unused_listing(self, "/ontologies/unused", timeout=timeout)

    async def delete_unused(self, ontology_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete an ontology that no project uses (REST ``DELETE /ontologies/{id}``).

        Raises:
            ResourceConflictError: A project uses it (nothing is deleted).
            ResourceNotFoundError: There is no such ontology.

        Example:
            >>> ontology = await client.ontologies.create("Spare", OntologyBuilder())
            >>> await client.ontologies.delete_unused(ontology.id)
            >>> ontology.id in [o.id async for o in client.ontologies.list()]
            False
        """
        path = f"/ontologies/{segment(check_id('ontology_id', ontology_id))}"
        await self._rest("DELETE", path, timeout=timeout)
