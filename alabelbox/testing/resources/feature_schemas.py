"""Feature schemas (root tools and classifications) as the official SDK 7.17 creates, reads, renames and deletes them.

GraphQL: ``upsertRootSchemaNode`` (``create_feature_schema``), ``rootSchemaNode(where:)``, ``rootSchemaNodes``.
REST under ``/api/v1``: ``PUT /feature-schemas/{id}`` (upsert; ``new_feature_schema_id`` creates),
``PATCH /feature-schemas/{id}/definition`` (title), ``DELETE /feature-schemas/{id}`` (unused only: 409 when an
ontology holds it), ``GET /feature-schemas/unused`` (100 ids a page, ``after`` the last).

State: none of its own. Ontologies create feature schemas of their root nodes, so the table lives with them
(``backend.ontologies.features``, seeded with the root nodes of the seeded ontologies); this module is the wire.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .._data import JSONDict
from ._base import Info, Resolver, Resource, RestError, not_found
from .ontologies import NEW_FEATURE_SCHEMA, UNUSED_PAGE, loads

if TYPE_CHECKING:
    from .ontologies import Ontologies

SDL = """
input UpsertRootSchemaNodeInput { normalized: String! }
input RootSchemaNodeWhere { featureSchemaId: ID! }
input RootSchemaNodeFilter { status: String }
input RootSchemaNodeSearchInput { filter: RootSchemaNodeFilter search: String }

type RootSchemaNode { id: ID! name: String normalized: Json createdAt: DateTime updatedAt: DateTime }
type RootSchemaNodePage { nodes: [RootSchemaNode!]! nextCursor: String }

extend type Query {
  rootSchemaNode(where: RootSchemaNodeWhere!): RootSchemaNode
  rootSchemaNodes(where: RootSchemaNodeSearchInput, after: String, first: PageSize): RootSchemaNodePage!
}
extend type Mutation {
  upsertRootSchemaNode(data: UpsertRootSchemaNodeInput!): RootSchemaNode!
}
"""


class FeatureSchemas(Resource):
    """The feature schema surface, over the ontologies' table of feature schemas."""

    SDL = SDL

    @property
    def _ontologies(self) -> Ontologies:
        ontologies: Ontologies = self.backend.ontologies
        return ontologies

    def _or_404(self, fid: str) -> str:
        if not self._ontologies.features.has(fid):
            raise RestError(404, f"Feature schema {fid} not found", "NOT_FOUND")
        return fid

    def root(self) -> dict[str, Resolver]:
        o = self._ontologies

        def root_schema_node(info: Info, where: JSONDict) -> JSONDict:
            fid = where.get("featureSchemaId")
            if not isinstance(fid, str) or not o.features.has(fid):
                raise not_found("feature schema", fid)
            return o.feature_obj(fid)

        def root_schema_nodes(
            info: Info, where: JSONDict | None = None, after: str | None = None, first: int | None = None
        ) -> JSONDict:
            items = [o.feature_obj(str(k)) for k in o.features.keys()]
            return o.search_page(items, (where or {}).get("search"), after, first)

        def upsert_root_schema_node(info: Info, data: JSONDict) -> JSONDict:
            return o.feature_obj(o.upsert_feature(loads(str(data["normalized"]), "feature schema")))

        return {
            "rootSchemaNode": root_schema_node,
            "rootSchemaNodes": root_schema_nodes,
            "upsertRootSchemaNode": upsert_root_schema_node,
        }

    def routes(self) -> list[web.RouteDef]:
        o = self._ontologies

        async def put_feature(request: web.Request) -> web.Response:
            fid = request.match_info["id"]
            body = await o.body(request)
            try:
                normalized: Any = json.loads(str(body.get("normalized")))
            except ValueError:
                raise RestError(400, "normalized must be a JSON string", "BAD_REQUEST") from None
            if not isinstance(normalized, dict):
                raise RestError(400, "normalized must be a JSON object", "BAD_REQUEST")
            if fid == NEW_FEATURE_SCHEMA:
                fid = o.upsert_feature(normalized)
            else:
                o.upsert_feature(normalized, self._or_404(fid))
            return web.json_response({"schemaId": fid, **o.feature_obj(fid)})

        async def patch_title(request: web.Request) -> web.Response:
            fid = self._or_404(request.match_info["id"])
            title = (await o.body(request)).get("title")
            if not isinstance(title, str) or not title.strip():
                raise RestError(400, "title must be a non-blank string", "BAD_REQUEST")
            node = copy.deepcopy(o.features.get(fid)["normalized"])
            node["name"] = title
            o.features.update(fid, {"name": title, "normalized": node, "updatedAt": o.stamp()})
            return web.json_response(o.feature_obj(fid))

        async def delete_feature(request: web.Request) -> web.Response:
            fid = self._or_404(request.match_info["id"])
            if o.feature_in_use(fid):
                raise RestError(409, f"Feature schema {fid} is used by an ontology and cannot be deleted", "CONFLICT")
            o.features.delete(fid)
            return web.Response(status=204)

        async def unused_features(request: web.Request) -> web.Response:
            after = (await o.body(request)).get("after")
            ids = [str(k) for k in o.features.keys() if not o.feature_in_use(str(k))]
            start = ids.index(after) + 1 if after in ids else 0
            return web.json_response(ids[start : start + UNUSED_PAGE])

        return [
            web.get("/feature-schemas/unused", unused_features),
            web.put("/feature-schemas/{id}", put_feature),
            web.patch("/feature-schemas/{id}/definition", patch_title),
            web.delete("/feature-schemas/{id}", delete_feature),
        ]
