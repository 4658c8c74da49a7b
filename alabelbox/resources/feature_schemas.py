"""``client.feature_schemas``: the root tools and classifications that ontologies are made of. Create, retrieve,
list and search, change (the whole definition or the title), insert into and remove from an ontology, archive
state, list and delete the unused ones, with the same REST calls as the SDK."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from alabelbox._exceptions import InvalidArgumentError, ResourceNotFoundError, ResponseModelError
from alabelbox._pagination import CursorPage, Paginator
from alabelbox._queries.feature_schemas import CREATE_FEATURE_SCHEMA, LIST_FEATURE_SCHEMAS, RETRIEVE_FEATURE_SCHEMA
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.ontology import Classification, FeatureSchema, FeatureSchemaRemoval, Tool

M = TypeVar("M", bound=BaseModel)

__all__ = ["FeatureSchemas", "search_listing", "segment", "unused_listing"]

#: Ids per page of the REST ``unused`` listings (the API's page; a shorter page is the last).
UNUSED_PAGE = 100


def segment(value: str) -> str:
    """An id as one path segment, quoted as the SDK quotes it."""
    return quote(value, safe="")


def search_listing(
    resource: Resource,
    query: str,
    model: type[M],
    *,
    name_contains: str | None,
    page_size: int,
    timeout: TimeoutArg,
) -> Paginator[M]:
    """Cursor pages of ``root(where: {filter: {status: ALL}, search}, after: $from, first) { nodes nextCursor }``,
    the search of ontologies and of feature schemas."""
    if name_contains is not None and (not isinstance(name_contains, str) or not name_contains):
        raise InvalidArgumentError("name_contains", f"must be a non-empty string or None, got {name_contains!r}")
    return resource._cursor_listing(
        query,
        {"search": name_contains, "filter": {"status": "ALL"}},
        model,
        cursor=("nextCursor",),
        has_more=None,
        page_size=check_positive_int("page_size", page_size),
        timeout=timeout,
    )


def unused_listing(resource: Resource, path: str, *, timeout: TimeoutArg) -> Paginator[str]:
    """The ids a REST ``GET {path}`` lists, 100 a page, the next page ``after`` the last id of the one before."""

    async def fetch(cursor: str | None) -> CursorPage[str]:
        ids = await resource._rest("GET", path, json={"after": cursor}, timeout=timeout)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ResponseModelError(f"expected a list of ids, got {ids!r}"[:200], operation=f"GET {path}")
        return CursorPage(items=ids, next_cursor=ids[-1] if len(ids) >= UNUSED_PAGE else None)

    return Paginator.cursor(fetch)


def _definition(definition: Tool | Classification | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(definition, Tool | Classification):
        return definition.to_dict()
    if not isinstance(definition, Mapping):
        raise InvalidArgumentError(
            "definition", f"must be a Tool, a Classification or a normalized dict, got {type(definition).__name__}"
        )
    if "tool" in definition:
        Tool.from_dict(definition, path="definition")
    elif "type" in definition:
        Classification.from_dict(definition, path="definition")
    else:
        raise InvalidArgumentError("definition", "has neither 'tool' (a tool) nor 'type' (a classification)")
    return dict(definition)


class FeatureSchemas(Resource):
    """Feature schemas of the organization: ``client.feature_schemas``.

    Example:
        >>> from alabelbox.types import OntologyBuilder, ToolType
        >>> box = await client.feature_schemas.create(Tool(ToolType.BBOX, "car"))
        >>> ontology = await client.ontologies.create("Cars", OntologyBuilder())
        >>> await client.feature_schemas.insert_into_ontology(box.id, ontology_id=ontology.id, position=0)
        >>> (await client.ontologies.retrieve(ontology.id)).feature_schema_ids() == [box.id]
        True
    """

    async def create(
        self, definition: Tool | Classification | Mapping[str, Any], *, timeout: TimeoutArg = DEFAULT
    ) -> FeatureSchema:
        """Create a feature schema (``upsertRootSchemaNode``), as the SDK's ``client.create_feature_schema``.

        Args:
            definition: A :class:`~alabelbox.types.Tool` or :class:`~alabelbox.types.Classification` (nested
                classifications and options included), or its normalized dict.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: The definition is not valid (the message names the place).

        Example:
            >>> from alabelbox.types import ToolType
            >>> schema = await client.feature_schemas.create(Tool(ToolType.POINT, "keypoint"))
            >>> schema.name, schema.is_tool
            ('keypoint', True)
        """
        # As the SDK: keys without a value (None, empty lists, False) are left to the API's defaults.
        normalized = {k: v for k, v in _definition(definition).items() if v}
        variables = {"data": {"normalized": json.dumps(normalized)}}
        return await self._mutate(CREATE_FEATURE_SCHEMA, variables, FeatureSchema, timeout=timeout)

    async def retrieve(self, feature_schema_id: str, *, timeout: TimeoutArg = DEFAULT) -> FeatureSchema:
        """One root feature schema by id (``rootSchemaNode``).

        Raises:
            ResourceNotFoundError: There is no such feature schema.

        Example:
            >>> from alabelbox.types import ClassificationType
            >>> created = await client.feature_schemas.create(Classification(ClassificationType.TEXT, "note"))
            >>> (await client.feature_schemas.retrieve(created.id)).definition().type
            <ClassificationType.TEXT: 'text'>
        """
        variables = {"where": {"featureSchemaId": check_id("feature_schema_id", feature_schema_id)}}
        return await self._retrieve(RETRIEVE_FEATURE_SCHEMA, variables, FeatureSchema, timeout=timeout)

    def list(
        self, *, name_contains: str | None = None, page_size: int = 100, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[FeatureSchema]:
        """Root feature schemas whose name contains ``name_contains`` (case-insensitive), or all of them.

        Example:
            >>> from alabelbox.types import ToolType
            >>> _ = await client.feature_schemas.create(Tool(ToolType.POINT, "keypoint"))
            >>> [s.name async for s in client.feature_schemas.list(name_contains="key")]
            ['keypoint']
        """
        return search_listing(
            self, LIST_FEATURE_SCHEMAS, FeatureSchema, name_contains=name_contains, page_size=page_size, timeout=timeout
        )

    async def update(
        self,
        feature_schema_id: str,
        definition: Tool | Classification | Mapping[str, Any],
        *,
        timeout: TimeoutArg = DEFAULT,
    ) -> FeatureSchema:
        """Replace a feature schema's definition (REST ``PUT /feature-schemas/{id}``, the SDK's
        ``upsert_feature_schema`` of a definition that has its ``featureSchemaId``).

        Raises:
            InvalidArgumentError: The definition is not valid.
            ResourceNotFoundError: There is no such feature schema.

        Example:
            >>> from alabelbox.types import ToolType
            >>> schema = await client.feature_schemas.create(Tool(ToolType.POINT, "eye"))
            >>> schema = await client.feature_schemas.update(schema.id, Tool(ToolType.POINT, "eye", color="#00ff00"))
            >>> schema.normalized["color"]
            '#00ff00'
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        normalized = {**_definition(definition), "featureSchemaId": fid}
        answer = await self._rest(
            "PUT",
            f"/feature-schemas/{segment(fid)}",
            json={"normalized": json.dumps(normalized)},
            timeout=timeout,
            idempotent=True,
        )
        schema_id = answer.get("schemaId") if isinstance(answer, dict) else None
        if not isinstance(schema_id, str):
            raise ResponseModelError(f"the answer has no schemaId: {answer!r}"[:200], operation="PUT /feature-schemas")
        return await self.retrieve(schema_id, timeout=timeout)

    async def update_title(self, feature_schema_id: str, title: str, *, timeout: TimeoutArg = DEFAULT) -> FeatureSchema:
        """Rename a feature schema (REST ``PATCH /feature-schemas/{id}/definition``); its ontologies show the new
        name.

        Raises:
            InvalidArgumentError: A blank title.
            ResourceNotFoundError: There is no such feature schema.

        Example:
            >>> from alabelbox.types import ToolType
            >>> schema = await client.feature_schemas.create(Tool(ToolType.LINE, "lane"))
            >>> (await client.feature_schemas.update_title(schema.id, "lane marking")).name
            'lane marking'
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        if not isinstance(title, str) or not title.strip():
            raise InvalidArgumentError("title", f"must be a non-blank string, got {title!r}")
        path = f"/feature-schemas/{segment(fid)}/definition"
        await self._rest("PATCH", path, json={"title": title}, timeout=timeout, idempotent=True)
        return await self.retrieve(fid, timeout=timeout)

    async def insert_into_ontology(
        self, feature_schema_id: str, *, ontology_id: str, position: int, timeout: TimeoutArg = DEFAULT
    ) -> None:
        """Put a feature schema into an ontology at ``position`` among its tools (or its classifications), or
        move it there if the ontology has it (REST ``POST /ontologies/{id}/feature-schemas/{id}``).

        Raises:
            InvalidArgumentError: A negative position.
            ResourceNotFoundError: There is no such ontology or feature schema.

        Example:
            >>> from alabelbox.types import OntologyBuilder, ToolType
            >>> roads = OntologyBuilder(tools=[Tool(ToolType.POLYGON, "road")])
            >>> ontology = await client.ontologies.create("Roads", roads)
            >>> lane = await client.feature_schemas.create(Tool(ToolType.LINE, "lane"))
            >>> await client.feature_schemas.insert_into_ontology(lane.id, ontology_id=ontology.id, position=0)
            >>> [t.name for t in (await client.ontologies.retrieve(ontology.id)).builder().tools]
            ['lane', 'road']
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        oid = check_id("ontology_id", ontology_id)
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            raise InvalidArgumentError("position", f"must be an integer of 0 or more, got {position!r}")
        path = f"/ontologies/{segment(oid)}/feature-schemas/{segment(fid)}"
        await self._rest("POST", path, json={"position": position}, timeout=timeout, idempotent=True)

    async def remove_from_ontology(
        self, feature_schema_id: str, *, ontology_id: str, timeout: TimeoutArg = DEFAULT
    ) -> FeatureSchemaRemoval:
        """Take a feature schema out of an ontology (REST ``DELETE /ontologies/{id}/feature-schemas/{id}``, the
        SDK's ``delete_feature_schema_from_ontology``). In an ontology that projects use it is archived instead
        (hidden from the editor, kept for the labels that have it).

        Returns:
            Whether it was archived or deleted.

        Raises:
            ResourceNotFoundError: There is no such ontology, or the feature schema is not at its root.

        Example:
            >>> from alabelbox.types import OntologyBuilder, ToolType
            >>> ontology = await client.ontologies.create("Roads", OntologyBuilder(tools=[Tool(ToolType.LINE, "lane")]))
            >>> lane_id = ontology.feature_schema_ids()[0]
            >>> removal = await client.feature_schemas.remove_from_ontology(lane_id, ontology_id=ontology.id)
            >>> removal.deleted, removal.archived
            (True, False)
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        oid = check_id("ontology_id", ontology_id)
        path = f"/ontologies/{segment(oid)}/feature-schemas/{segment(fid)}"
        answer = await self._rest("DELETE", path, timeout=timeout)
        try:
            return FeatureSchemaRemoval.model_validate(answer)
        except ValueError as exc:
            raise ResponseModelError(f"the answer does not fit FeatureSchemaRemoval: {exc}", operation=path) from exc

    async def is_archived(self, feature_schema_id: str, *, ontology_id: str, timeout: TimeoutArg = DEFAULT) -> bool:
        """Whether a root feature schema is archived in an ontology (REST ``GET /ontologies/{id}``).

        Raises:
            ResourceNotFoundError: There is no such ontology, or the feature schema is not at its root.

        Example:
            >>> from alabelbox.types import OntologyBuilder, ToolType
            >>> ontology = await client.ontologies.create("Roads", OntologyBuilder(tools=[Tool(ToolType.LINE, "lane")]))
            >>> await client.feature_schemas.is_archived(ontology.feature_schema_ids()[0], ontology_id=ontology.id)
            False
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        oid = check_id("ontology_id", ontology_id)
        answer = await self._rest("GET", f"/ontologies/{segment(oid)}", timeout=timeout)
        nodes = answer.get("featureSchemaNodes") if isinstance(answer, dict) else None
        if not isinstance(nodes, dict):
            raise ResponseModelError("the answer has no featureSchemaNodes", operation="GET /ontologies")
        for kind in ("tools", "classifications", "relationships"):
            for node in nodes.get(kind) or ():
                if isinstance(node, dict) and node.get("featureSchemaId") == fid:
                    return bool(node.get("archived"))
        raise ResourceNotFoundError(
            f"feature schema {fid} is not at the root of ontology {oid}", operation=f"GET /ontologies/{oid}"
        )

    async def unarchive(self, feature_schema_id: str, *, ontology_id: str, timeout: TimeoutArg = DEFAULT) -> bool:
        """Show an archived feature schema in an ontology again (REST
        ``PATCH /ontologies/{id}/feature-schemas/{id}/unarchive``).

        Returns:
            Whether it was archived.

        Example:
            >>> from alabelbox.types import OntologyBuilder, ToolType
            >>> ontology = await client.ontologies.create("Roads", OntologyBuilder(tools=[Tool(ToolType.LINE, "lane")]))
            >>> lane_id = ontology.feature_schema_ids()[0]
            >>> _ = await client.projects.connect_ontology(project_id, ontology.id)  # used: removing archives it
            >>> (await client.feature_schemas.remove_from_ontology(lane_id, ontology_id=ontology.id)).archived
            True
            >>> await client.feature_schemas.unarchive(lane_id, ontology_id=ontology.id)
            True
            >>> await client.feature_schemas.is_archived(lane_id, ontology_id=ontology.id)
            False
        """
        fid = check_id("feature_schema_id", feature_schema_id)
        oid = check_id("ontology_id", ontology_id)
        path = f"/ontologies/{segment(oid)}/feature-schemas/{segment(fid)}/unarchive"
        answer = await self._rest("PATCH", path, timeout=timeout, idempotent=True)
        return bool(answer.get("unarchived")) if isinstance(answer, dict) else False

    def list_unused(self, *, timeout: TimeoutArg = DEFAULT) -> Paginator[str]:
        """Ids of the feature schemas no ontology holds (REST ``GET /feature-schemas/unused``, 100 a page).

        Example:
            >>> from alabelbox.types import ToolType
            >>> spare = await client.feature_schemas.create(Tool(ToolType.POINT, "spare"))
            >>> [fid async for fid in client.feature_schemas.list_unused()] == [spare.id]
            True
        """
        return unused_listing(self, "/feature-schemas/unused", timeout=timeout)

    async def delete_unused(self, feature_schema_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a feature schema that no ontology holds (REST ``DELETE /feature-schemas/{id}``).

        Raises:
            ResourceConflictError: An ontology holds it (nothing is deleted).
            ResourceNotFoundError: There is no such feature schema.

        Example:
            >>> from alabelbox.types import ToolType
            >>> spare = await client.feature_schemas.create(Tool(ToolType.POINT, "spare"))
            >>> await client.feature_schemas.delete_unused(spare.id)
            >>> spare.id in [s.id async for s in client.feature_schemas.list()]
            False
        """
        path = f"/feature-schemas/{segment(check_id('feature_schema_id', feature_schema_id))}"
        await self._rest("DELETE", path, timeout=timeout)
