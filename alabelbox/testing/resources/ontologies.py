"""Ontologies, as the official SDK 7.17 creates, reads and deletes them, and the state of feature schemas.

GraphQL: ``upsertOntology``, ``ontology(where:)``, ``ontologies`` (search, cursor pages), and ``Project.ontology``.
REST under ``/api/v1``: ``DELETE /ontologies/{id}`` (unused only), ``GET /ontologies/unused``, ``GET
/ontologies/{id}`` (``featureSchemaNodes``), ``POST``/``DELETE /ontologies/{id}/feature-schemas/{fs}`` (insert at a
position, remove), ``PATCH .../unarchive``. The feature schemas' own requests are served by ``feature_schemas``,
over the table kept here (an ontology creates the feature schemas of its root nodes).

State: two tables, and which ontology each project uses (:attr:`Ontologies.project_ontology`, written by
``connect_ontology``/``setup_editor``). Seeded project ``k`` uses seeded ontology ``k`` (``World.ontology``):
its nodes carry exactly the feature schema ids of the project's labels and exports, its id is the ``ontology_id``
of the project's export lines, and its root nodes are seeded feature schemas. Every node of a stored ontology,
nested classifications and options included, carries a ``featureSchemaId`` and a ``schemaNodeId``;
each root tool and classification is a feature schema of its own (reused when the input names one). A feature
schema is unused when no live ontology holds it; an ontology is unused when no project uses it; deleting a used
one answers 409.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from .._data import JSONDict
from .._ids import iso_ms
from .._store import Table
from ._base import Info, Resolver, Resource, RestError, bad_input, not_found

K_ONTOLOGY, K_FEATURE, K_NODE = "n", "f", "s"
CREATED = 36**3 - 1
"""The id ``parent`` of created ontologies, feature schemas and schema nodes."""
NEW_FEATURE_SCHEMA = "new_feature_schema_id"
"""The id the SDK's ``upsert_feature_schema`` puts in the path to create a feature schema."""
UNUSED_PAGE = 100
_PLACEHOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""A UUID: the id the SDK gives a tool a relationship constraint names before the API has given it one."""
DEFAULT_COLOR = "#1CE6FF"
"""The color the API gives a tool created without one."""

SDL = """
input UpsertOntologyInput { id: ID name: String! normalized: String! mediaType: MediaType
  ontologyKind: String editorTaskType: String }
input OntologyFilter { status: String }
input OntologySearchInput { filter: OntologyFilter search: String }

type Ontology { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  mediaType: MediaType normalized: Json objectSchemaCount: Int classificationSchemaCount: Int
  projects: [Project!]! createdBy: User }
type OntologyPage { nodes: [Ontology!]! nextCursor: String }

extend type Project { ontology: Ontology }

extend type Query {
  ontology(where: WhereUniqueIdInput!): Ontology
  ontologies(where: OntologySearchInput, after: String, first: PageSize): OntologyPage!
}
extend type Mutation {
  upsertOntology(data: UpsertOntologyInput!): Ontology!
}
"""


def loads(text: str, what: str) -> JSONDict:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise bad_input(f"The {what} normalized JSON is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise bad_input(f"The {what} normalized JSON must be an object")
    return value


def _title(node: JSONDict) -> str:
    return str(node.get("name") or node.get("instructions") or node.get("label") or node.get("value") or "")


class IdTable(Table):
    """A :class:`Table` whose seeded objects are addressed by their id strings too, and listed by them.

    The seeded ontologies and feature schemas have ids that are not codec ids (they are what the labels carry),
    so the id of seeded object ``k`` is ``ids[k]``.
    """

    def __init__(self, seeded: Any, ids: list[str]) -> None:
        super().__init__(seeded, len(ids))
        self._ids = ids
        self._index = {v: k for k, v in enumerate(ids)}

    def _k(self, key: int | str) -> int | str:
        return self._index.get(key, key) if isinstance(key, str) else key

    def keys(self) -> Iterator[int | str]:
        for k in super().keys():
            yield self._ids[k] if isinstance(k, int) else k

    def has(self, key: int | str) -> bool:
        return super().has(self._k(key))

    def is_deleted(self, key: int | str) -> bool:
        return super().is_deleted(self._k(key))

    def get(self, key: int | str) -> JSONDict:
        return super().get(self._k(key))

    def create(self, record: JSONDict) -> str:
        if str(record["id"]) in self._index:
            raise KeyError(f"{record['id']} already exists")
        return super().create(record)

    def update(self, key: int | str, patch: JSONDict) -> JSONDict:
        return super().update(self._k(key), patch)

    def delete(self, key: int | str) -> bool:
        return super().delete(self._k(key))


class Ontologies(Resource):
    """Ontologies and feature schemas over writable tables; which ontology each project uses."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        world = self.world
        self._seeded: dict[int, JSONDict] = {}
        roots = [(p, name) for p in range(world.n_projects) for name in world.ontology_roots(p)]
        self._seeded_roots = roots
        self.ontologies = IdTable(self._seeded_ontology, [world.ontology_id(p) for p in range(world.n_projects)])
        self.features = IdTable(self._seeded_feature, [world.schema_id(p, name) for p, name in roots])
        self.project_ontology: dict[int | str, str] = {p: world.ontology_id(p) for p in range(world.n_projects)}
        """Project key -> id of the ontology it uses."""
        self._serial = {K_ONTOLOGY: 0, K_FEATURE: 0, K_NODE: 0}

    def _seeded_ontology(self, p: int) -> JSONDict:
        record = self._seeded.get(p)
        if record is None:
            record = self._seeded[p] = self.world.ontology(p)
        return dict(record)  # the nodes are shared: every write replaces them, none mutates them

    def _seeded_feature(self, k: int) -> JSONDict:
        p, name = self._seeded_roots[k]
        record = self._seeded_ontology(p)
        n = record["normalized"]
        node = next(v for v in [*n["tools"], *n["classifications"]] if v["name"] == name)
        return {
            "id": node["featureSchemaId"],
            "name": name,
            "normalized": node,
            "createdAt": record["createdAt"],
            "updatedAt": record["updatedAt"],
        }

    def _new_id(self, kind: str) -> str:
        self._serial[kind] += 1
        return self.world.ids.encode(kind, CREATED, self._serial[kind])

    def stamp(self) -> str:
        return iso_ms(self.backend.clock.now())

    # ------------------------------------------------------------ feature schemas

    def _fill_ids(self, node: JSONDict) -> None:
        """Give ``node`` and every nested classification and option the ids and defaults they lack.

        The API stores a tool with ``required``, ``color`` and ``classifications``, a classification with
        ``required``, ``instructions`` and ``options``, an option with ``label``, ``value`` and ``options``.
        """
        if "tool" in node:
            defaults: JSONDict = {"required": False, "color": DEFAULT_COLOR, "classifications": []}
        elif "type" in node:
            defaults = {"required": False, "instructions": node.get("name"), "options": []}
        else:
            defaults = {"label": node.get("value"), "value": node.get("label"), "options": []}
        for k, v in defaults.items():
            if node.get(k) is None:
                node[k] = v
        if not node.get("featureSchemaId"):
            node["featureSchemaId"] = self._new_id(K_FEATURE)
        if not node.get("schemaNodeId"):
            node["schemaNodeId"] = self._new_id(K_NODE)
        for child in [*node.get("classifications", ()), *node.get("options", ())]:
            if isinstance(child, dict):
                self._fill_ids(child)

    def upsert_feature(self, normalized: JSONDict, feature_id: str | None = None) -> str:
        """Create (``feature_id`` None) or replace a root feature schema; its id."""
        node = copy.deepcopy(normalized)
        if feature_id is not None:
            if not self.features.has(feature_id):
                raise KeyError(feature_id)
            node["featureSchemaId"] = feature_id
            self._fill_ids(node)
            self.features.update(feature_id, {"name": _title(node), "normalized": node, "updatedAt": self.stamp()})
            return feature_id
        node.pop("featureSchemaId", None)
        self._fill_ids(node)
        stamp = self.stamp()
        return self.features.create(
            {
                "id": node["featureSchemaId"],
                "name": _title(node),
                "normalized": node,
                "createdAt": stamp,
                "updatedAt": stamp,
            }
        )

    def feature_obj(self, feature_id: str) -> JSONDict:
        record = self.features.get(feature_id)
        record["normalized"] = copy.deepcopy(record["normalized"])
        return record

    def feature_in_use(self, feature_id: str) -> bool:
        """Whether a live ontology holds feature schema ``feature_id`` at its root."""
        return any(feature_id in self._root_ids(self.ontologies.get(o)) for o in self.ontologies.keys())

    # ------------------------------------------------------------ ontologies

    @staticmethod
    def _root_ids(record: JSONDict) -> list[str]:
        n = record["normalized"]
        return [node["featureSchemaId"] for node in [*n.get("tools", ()), *n.get("classifications", ())]]

    def _root_node(self, node: Any) -> JSONDict:
        """A root tool or classification, stored as (or matched to) a feature schema of its own."""
        if not isinstance(node, dict):
            raise bad_input("Every tool and classification of an ontology must be an object")
        fid = node.get("featureSchemaId")
        if fid and self.features.has(fid):
            merged = copy.deepcopy(node)
            self._fill_ids(merged)
            return merged
        if fid:
            raise bad_input(f"Feature schema {fid!r} does not exist")
        fid = self.upsert_feature(node)
        return copy.deepcopy(self.features.get(fid)["normalized"])

    def upsert_ontology(self, data: JSONDict) -> str:
        """``upsertOntology``: create the ontology (or replace an existing one's content); its id."""
        name = str(data.get("name") or "")
        if not name.strip():
            raise bad_input("An ontology name must not be blank")
        given = loads(str(data["normalized"]), "ontology")
        for kind in ("tools", "classifications"):
            if not isinstance(given.get(kind, []), list):
                raise bad_input(f"The ontology's {kind} must be a list")
        # A relationship's constraints name the tools they join by feature schema id; for tools not created yet,
        # the SDK (RelationshipTool.add_constraint) puts UUIDs in their place, which the API replaces with the ids
        # it gives the tools.
        tools: list[Any] = []
        placeholders: dict[int, str] = {}
        for node in given.get("tools", []):
            fid = node.get("featureSchemaId") if isinstance(node, dict) else None
            if isinstance(fid, str) and not self.features.has(fid) and _PLACEHOLDER.fullmatch(fid):
                node = {k: v for k, v in node.items() if k not in ("featureSchemaId", "schemaNodeId")}
                placeholders[len(tools)] = fid
            tools.append(node)
        normalized = {
            "tools": [self._root_node(t) for t in tools],
            "classifications": [self._root_node(c) for c in given.get("classifications", [])],
        }
        if placeholders:
            real = {old: normalized["tools"][i]["featureSchemaId"] for i, old in placeholders.items()}
            for tool in normalized["tools"]:
                constraints = (tool.get("definition") or {}).get("constraints")
                if isinstance(constraints, list):
                    tool["definition"] = {
                        **tool["definition"],
                        "constraints": [[real.get(end, end) for end in pair] for pair in constraints],
                    }
                    self.features.update(tool["featureSchemaId"], {"normalized": copy.deepcopy(tool)})
        stamp = self.stamp()
        fields = {"name": name, "normalized": normalized, "updatedAt": stamp, "mediaType": data.get("mediaType")}
        oid = data.get("id")
        if oid:
            if not self.ontologies.has(oid):
                raise not_found("ontology", oid)
            self.ontologies.update(oid, fields)
            return str(oid)
        return self.ontologies.create(
            {"id": self._new_id(K_ONTOLOGY), "description": None, "createdAt": stamp, **fields}
        )

    def ontology_obj(self, oid: str) -> JSONDict:
        record = self.ontologies.get(oid)
        normalized = copy.deepcopy(record["normalized"])
        record["normalized"] = normalized
        record["objectSchemaCount"] = len(normalized["tools"])
        record["classificationSchemaCount"] = len(normalized["classifications"])
        record["createdBy"] = lambda info: self.backend.users.obj(0)
        record["projects"] = lambda info: [self.backend.projects.obj(p) for p in self.projects_using(oid)]
        return record

    def projects_using(self, oid: str) -> list[int | str]:
        """Keys of the live projects that use ontology ``oid``."""
        return [p for p, o in self.project_ontology.items() if o == oid and self.backend.projects.table.has(p)]

    def connect(self, project: int | str, oid: str) -> None:
        """Make project ``project`` use ontology ``oid``."""
        if not self.ontologies.has(oid):
            raise not_found("ontology", oid)
        self.project_ontology[project] = oid

    def feature_ids_of(self, project: int | str) -> list[str]:
        """Feature schema ids of every node of the project's ontology (empty if none): what its labels may use."""
        oid = self.project_ontology.get(project)
        if oid is None or not self.ontologies.has(oid):
            return []
        out: list[str] = []

        def walk(node: JSONDict) -> None:
            out.append(node["featureSchemaId"])
            for child in [*node.get("classifications", ()), *node.get("options", ())]:
                walk(child)

        n = self.ontologies.get(oid)["normalized"]
        for node in [*n["tools"], *n["classifications"]]:
            walk(node)
        return out

    # ------------------------------------------------------------ GraphQL

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        def ontology(info: Info) -> JSONDict | None:
            oid = self.project_ontology.get(key)
            return self.ontology_obj(oid) if oid is not None and self.ontologies.has(oid) else None

        obj["ontology"] = ontology

    @staticmethod
    def search_page(items: list[JSONDict], search: str | None, after: str | None, first: int | None) -> JSONDict:
        chosen = [o for o in items if not search or search.lower() in str(o.get("name", "")).lower()]
        start = int(after) if after and after.isdigit() else 0
        stop = len(chosen) if first is None else start + first
        return {"nodes": chosen[start:stop], "nextCursor": str(stop) if stop < len(chosen) else None}

    def root(self) -> dict[str, Resolver]:
        def ontology(info: Info, where: JSONDict) -> JSONDict:
            oid = where.get("id")
            if not isinstance(oid, str) or not self.ontologies.has(oid):
                raise not_found("ontology", oid)
            return self.ontology_obj(oid)

        def ontologies(
            info: Info, where: JSONDict | None = None, after: str | None = None, first: int | None = None
        ) -> JSONDict:
            items = [self.ontology_obj(str(k)) for k in self.ontologies.keys()]
            return self.search_page(items, (where or {}).get("search"), after, first)

        def upsert_ontology(info: Info, data: JSONDict) -> JSONDict:
            return self.ontology_obj(self.upsert_ontology(data))

        return {
            "ontology": ontology,
            "ontologies": ontologies,
            "upsertOntology": upsert_ontology,
        }

    # ------------------------------------------------------------ REST

    def _feature_or_404(self, fid: str) -> str:
        if not self.features.has(fid):
            raise RestError(404, f"Feature schema {fid} not found", "NOT_FOUND")
        return fid

    def _ontology_or_404(self, oid: str) -> str:
        if not self.ontologies.has(oid):
            raise RestError(404, f"Ontology {oid} not found", "NOT_FOUND")
        return oid

    @staticmethod
    async def body(request: web.Request) -> JSONDict:
        if not request.body_exists:
            return {}
        try:
            body = await request.json()
        except ValueError:
            raise RestError(400, "The request body is not valid JSON", "BAD_REQUEST") from None
        if not isinstance(body, dict):
            raise RestError(400, "The request body must be a JSON object", "BAD_REQUEST")
        return body

    def routes(self) -> list[web.RouteDef]:
        async def delete_ontology(request: web.Request) -> web.Response:
            oid = self._ontology_or_404(request.match_info["id"])
            if self.projects_using(oid):
                raise RestError(409, f"Ontology {oid} is used by a project and cannot be deleted", "CONFLICT")
            self.ontologies.delete(oid)
            return web.Response(status=204)

        def unused(ids: list[str], after: str | None) -> list[str]:
            start = ids.index(after) + 1 if after in ids else 0
            return ids[start : start + UNUSED_PAGE]

        async def unused_ontologies(request: web.Request) -> web.Response:
            after = (await self.body(request)).get("after")
            ids = [str(k) for k in self.ontologies.keys() if not self.projects_using(str(k))]
            return web.json_response(unused(ids, after))

        async def get_ontology(request: web.Request) -> web.Response:
            oid = self._ontology_or_404(request.match_info["id"])
            record = self.ontology_obj(oid)
            n = record["normalized"]
            archived = self.ontologies.get(oid).get("archived", set())

            def node(v: JSONDict) -> JSONDict:
                return {**v, "archived": v["featureSchemaId"] in archived}

            tools = [node(t) for t in n["tools"]]
            body = {
                "id": oid,
                "name": record["name"],
                "featureSchemaNodes": {
                    "tools": [t for t in tools if t.get("tool") != "edge"],
                    "classifications": [node(c) for c in n["classifications"]],
                    "relationships": [t for t in tools if t.get("tool") == "edge"],
                },
            }
            return web.json_response(body)

        async def insert_feature(request: web.Request) -> web.Response:
            oid = self._ontology_or_404(request.match_info["id"])
            fid = self._feature_or_404(request.match_info["fs"])
            position = (await self.body(request)).get("position", 0)
            if not isinstance(position, int) or position < 0:
                raise RestError(400, "position must be a non-negative integer", "BAD_REQUEST")
            record = self.ontologies.get(oid)
            n = record["normalized"]
            node = copy.deepcopy(self.features.get(fid)["normalized"])
            kind = "tools" if "tool" in node else "classifications"
            others = [v for v in n[kind] if v["featureSchemaId"] != fid]
            others.insert(min(position, len(others)), node)
            n = {**n, kind: others}
            self.ontologies.update(oid, {"normalized": n, "updatedAt": self.stamp()})
            return web.json_response({"featureSchemaId": fid, "position": position}, status=201)

        async def remove_feature(request: web.Request) -> web.Response:
            oid = self._ontology_or_404(request.match_info["id"])
            fid = request.match_info["fs"]
            record = self.ontologies.get(oid)
            n = record["normalized"]
            if fid not in self._root_ids(record):
                raise RestError(404, f"Feature schema {fid} is not in ontology {oid}", "NOT_FOUND")
            if self.projects_using(oid):
                # A root node that projects may have labelled is archived, not removed.
                archived = set(record.get("archived", set())) | {fid}
                self.ontologies.update(oid, {"archived": archived, "updatedAt": self.stamp()})
                return web.json_response({"archived": True, "deleted": False})
            n = {k: [v for v in n[k] if v["featureSchemaId"] != fid] for k in ("tools", "classifications")}
            self.ontologies.update(oid, {"normalized": n, "updatedAt": self.stamp()})
            return web.json_response({"archived": False, "deleted": True})

        async def unarchive(request: web.Request) -> web.Response:
            oid = self._ontology_or_404(request.match_info["id"])
            fid = request.match_info["fs"]
            archived = set(self.ontologies.get(oid).get("archived", set()))
            was = fid in archived
            archived.discard(fid)
            self.ontologies.update(oid, {"archived": archived})
            return web.json_response({"unarchived": was})

        return [
            web.get("/ontologies/unused", unused_ontologies),
            web.get("/ontologies/{id}", get_ontology),
            web.delete("/ontologies/{id}", delete_ontology),
            web.post("/ontologies/{id}/feature-schemas/{fs}", insert_feature),
            web.delete("/ontologies/{id}/feature-schemas/{fs}", remove_feature),
            web.patch("/ontologies/{id}/feature-schemas/{fs}/unarchive", unarchive),
        ]
