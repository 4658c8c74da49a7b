"""Foundry apps: a Foundry model with its inference parameters and a mapping of the model's classes to the feature
schemas of an ontology; running one on data rows makes a model run of predictions.

The requests are the official SDK's: ``findModelFoundryApp`` (``GetFoundryAppByIdPyApi``), ``createModelFoundryApp``,
``deleteModelFoundryApp`` and ``createModelJobForDataRows`` (``client.run_foundry_app``), whose ``taskId`` the SDK
reads back through ``User.createdTasks``.

State: the Foundry models (seeded, never created: they are Labelbox's) and a
:class:`~alabelbox.testing._store.Table` of apps over the seeded ones: one app per seeded project, over that
project's ontology, mapping the model's classes (the tool values, ``radio_q0``) to its feature schemas. A detector
app (image, video and document projects) boxes; a tagger app (text and conversation projects) tags entities.

Running an app (``createModelJobForDataRows``) does what the API does, at once: the Foundry model becomes a model of
the organization (same id, the app's ontology) the first time one of its apps runs, a run of it is created (named as
asked, ``modelAppId`` the app's), every data row named is added to it and gets the model's predictions (export v2
labels, written with ``model_runs.add_predictions``, so that the run's export carries them), deterministic per app
and row. Predictions are made for the mapped feature schemas the emulator knows how to predict (boxes, polygons,
points, lines, entities; radio, checklist and text classifications); other mapped schemas are left out. The task
(``foundry-model-job``) ends COMPLETE, or FAILED naming every data row it did not know (the others are predicted).
``modelFoundryModelRunInfo`` of such a run answers its cost (``COST_PER_DATA_ROW`` per row), status and row count.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from typing import Any

from .._data import JSONDict, _first_word
from .._ids import iso_ms
from .._store import Table
from ._base import ApiError, Info, Resolver, Resource, bad_input, not_found
from .model_runs import RunTask

SDL = """
type ModelFoundryApp { id: ID modelId: ID! name: String! description: String inferenceParams: Json!
  classToSchemaId: Json! ontologyId: ID! createdBy: String }
type DeleteModelFoundryAppResult { success: Boolean! }
type CreateModelJobForDataRowsResult { taskId: ID! }

input CreateModelFoundryAppInput { name: String! modelId: ID! ontologyId: ID! description: String
  inferenceParams: Json! classToSchemaId: Json! }
input CreateModelJobForDataRowsInput { modelId: ID! name: String! classToSchemaId: Json! inferenceParams: Json!
  ontologyId: ID! modelAppId: ID dataRowIds: [ID!] globalKeys: [ID!] }

extend type Query { findModelFoundryApp(where: WhereUniqueIdInput!): ModelFoundryApp! }
extend type Mutation {
  createModelFoundryApp(input: CreateModelFoundryAppInput!): ModelFoundryApp!
  deleteModelFoundryApp(id: ID!): DeleteModelFoundryAppResult!
  createModelJobForDataRows(input: CreateModelJobForDataRowsInput!): CreateModelJobForDataRowsResult!
}
"""

TASK_KIND = "foundry-model-job"
"""The ``type`` of the task a Foundry app's run is."""
COST_PER_DATA_ROW = 0.002
"""What one data row costs, in USD, in ``modelFoundryModelRunInfo``."""
MAX_DATA_ROWS = 100_000
"""The most data rows one run of an app may name."""
TEXT_MEDIA = frozenset({"TEXT", "CONVERSATIONAL"})


@dataclass(frozen=True)
class FoundryModel:
    """A model of Labelbox's Foundry (the SDK's ``FoundryModel``)."""

    id: str
    name: str
    description: str
    kind: str
    """``detector`` or ``tagger``: which media it takes."""
    inference_params: JSONDict
    """The default inference parameters its apps are seeded with."""


def _uuid(*parts: object) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:16], version=4))


def app_not_found(app_id: object) -> ApiError:
    """What the API answers for an app it does not know: not RESOURCE_NOT_FOUND but an INTERNAL_SERVER_ERROR with
    status 400 whose message says "not found" (a client error, not retried), which the SDK maps back to
    ``ResourceNotFoundError``."""
    return ApiError(f"Model foundry app not found: no app with id {app_id!r}", "INTERNAL_SERVER_ERROR", status=400)


class Foundry(Resource):
    """Foundry models (seeded), apps (seeded and created) and the runs of apps."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        seed = self.world.seed
        self.models: dict[str, FoundryModel] = {
            m.id: m
            for m in (
                FoundryModel(
                    _uuid("foundry-model", seed, "detector"),
                    "Grounding DINO",
                    "Open-set object detection: boxes for the classes it is given",
                    "detector",
                    {"box_threshold": 0.3, "max_objects": 3},
                ),
                FoundryModel(
                    _uuid("foundry-model", seed, "tagger"),
                    "Entity tagger",
                    "Named-entity recognition in text",
                    "tagger",
                    {"max_objects": 2},
                ),
            )
        }
        self._by_kind = {m.kind: m for m in self.models.values()}
        self.apps = Table(self._seeded_app, self.world.n_projects)
        self.runs: dict[str, str] = {}
        """Model run id -> the id of the app it ran (the runs ``modelFoundryModelRunInfo`` answers)."""
        self._serial = 0

    # ------------------------------------------------------------ apps

    def app_id(self, p: int) -> str:
        """The id of seeded app ``p`` (over seeded project ``p``'s ontology)."""
        return _uuid("foundry-app", self.world.seed, p)

    def _seeded_app(self, p: int) -> JSONDict:
        world = self.world
        model = self._by_kind["tagger" if world.media[p] in TEXT_MEDIA else "detector"]
        mapping = {_first_word(name).lower(): world.schema_id(p, name) for name in world.ontology_roots(p)}
        for skipped in ("moss_mask", "attached_to"):  # masks and relationships are not predicted
            mapping.pop(skipped, None)
        return {
            "id": self.app_id(p),
            "modelId": model.id,
            "name": f"{model.name} on {world.project_name(p)}",
            "description": f"{model.name} predictions in the ontology of {world.project_name(p)}",
            "inferenceParams": dict(model.inference_params),
            "classToSchemaId": mapping,
            "ontologyId": world.ontology_id(p),
            "createdBy": world.user_id(0),
        }

    def find_key(self, app_id: object) -> int | str | None:
        """The table key of the live app with id ``app_id``, or None."""
        if not isinstance(app_id, str):
            return None
        if self.apps.has(app_id):
            return app_id
        for p in range(self.apps.count):
            if self.app_id(p) == app_id:
                return p if self.apps.has(p) else None
        return None

    def _app_or_404(self, app_id: object) -> JSONDict:
        key = self.find_key(app_id)
        if key is None:
            raise app_not_found(app_id)
        return self.apps.get(key)

    def _check_app_fields(self, data: JSONDict) -> None:
        model_id = data.get("modelId")
        if model_id not in self.models:
            raise not_found("Foundry model", model_id)
        oid = data.get("ontologyId")
        if not isinstance(oid, str) or not self.backend.ontologies.ontologies.has(oid):
            raise not_found("ontology", oid)
        if not isinstance(data.get("inferenceParams"), dict):
            raise bad_input("inferenceParams must be a JSON object")
        mapping = data.get("classToSchemaId")
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise bad_input("classToSchemaId must be a JSON object of class names to feature schema ids")
        known = set(self._schema_nodes(oid))
        unknown = sorted(str(k) for k, v in mapping.items() if v not in known)
        if unknown:
            raise bad_input(
                f"classToSchemaId: the feature schemas of {', '.join(map(repr, unknown))} are not in ontology {oid}"
            )

    def create_app(self, data: JSONDict) -> JSONDict:
        """``createModelFoundryApp``: a new app."""
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_input("A Foundry app name must not be blank")
        self._check_app_fields(data)
        self._serial += 1
        record = {
            "id": _uuid("foundry-app", self.world.seed, "created", self._serial),
            "modelId": data["modelId"],
            "name": name,
            "description": data.get("description"),
            "inferenceParams": dict(data["inferenceParams"]),
            "classToSchemaId": dict(data["classToSchemaId"]),
            "ontologyId": data["ontologyId"],
            "createdBy": self.world.user_id(0),
        }
        return self.apps.get(self.apps.create(record))

    def delete_app(self, app_id: object) -> JSONDict:
        """``deleteModelFoundryApp``: the app is gone (its runs stay)."""
        key = self.find_key(app_id)
        if key is None:
            raise app_not_found(app_id)
        self.apps.delete(key)
        return {"success": True}

    # ------------------------------------------------------------ runs

    def _schema_nodes(self, oid: str) -> dict[str, JSONDict]:
        """Every root tool and classification of ontology ``oid``, by feature schema id."""
        normalized = self.backend.ontologies.ontologies.get(oid)["normalized"]
        return {n["featureSchemaId"]: n for n in [*normalized["tools"], *normalized["classifications"]]}

    def _org_model(self, model: FoundryModel, ontology_id: str) -> str:
        """The organization's model of Foundry model ``model`` (created, with its id, the first time)."""
        models = self.backend.models
        if models.find(model.id) is None:
            if models.table.is_deleted(model.id):
                raise not_found("model", model.id)
            stamp = iso_ms(self.backend.clock.now())
            models.table.create(
                {"id": model.id, "name": model.name, "ontologyId": ontology_id, "createdAt": stamp, "updatedAt": stamp}
            )
        return model.id

    def run(self, data: JSONDict) -> JSONDict:
        """``createModelJobForDataRows``: a run of the app over the rows, predicted; the task."""
        app_id = data.get("modelAppId") or None
        if app_id is not None:
            app = self._app_or_404(app_id)
            if app["modelId"] != data.get("modelId"):
                raise bad_input(f"modelId {data.get('modelId')!r} is not the model of app {app_id}")
        self._check_app_fields(data)
        ids, keys = data.get("dataRowIds") or [], data.get("globalKeys") or []
        total = len(ids) + len(keys)
        if total == 0:
            raise bad_input("No data rows given: dataRowIds or globalKeys")
        if total > MAX_DATA_ROWS:
            raise bad_input(f"At most {MAX_DATA_ROWS} data rows per run, got {total}")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_input("A model run name must not be blank")
        model = self.models[str(data["modelId"])]
        runs = self.backend.model_runs
        model_id = self._org_model(model, str(data["ontologyId"]))
        run_id = runs.create(model_id, name, None)
        runs.table.update(run_id, {"modelAppId": app_id})
        found, missing = runs.resolve_rows(ids, keys)
        nodes = self._schema_nodes(str(data["ontologyId"]))
        mapping: dict[str, str] = data["classToSchemaId"]
        params: JSONDict = data["inferenceParams"]
        for row_id, _ in found:
            predicted = self.prediction(run_id, app_id or model.id, row_id, mapping, nodes, params)
            runs.add_predictions(run_id, row_id, [predicted])
        self.runs[run_id] = str(app_id or "")
        error = None
        if missing:
            error = f"{len(missing)} of {total} data rows were not found: {', '.join(missing)}"
        now = self.backend.clock.now()
        task = RunTask(
            self.backend.tasks_resource.new_id(),
            f"Foundry: {name}",
            TASK_KIND,
            now,
            now + self.backend.settings.task_seconds,
            error,
        )
        self.backend.tasks_resource.add(task)
        return {"taskId": task.id}

    def prediction(
        self, run_id: str, app: str, row_id: str, mapping: dict[str, str], nodes: dict[str, JSONDict], params: JSONDict
    ) -> JSONDict:
        """The model's prediction (an export v2 label) for one row: the same for the same app and row."""
        rng = random.Random(hashlib.sha256(f"{self.world.seed}|{app}|{row_id}".encode()).digest())
        limit = params.get("max_objects", 3)
        most = limit if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0 else 3
        serial = [0]

        def fid() -> str:
            serial[0] += 1
            return self.world.ids.opaque("foundry-feature", run_id, row_id, serial[0])

        objects: list[JSONDict] = []
        classifications: list[JSONDict] = []
        for cls, sid in mapping.items():
            node = nodes.get(sid)
            if node is None:
                continue
            base = {"feature_id": fid(), "feature_schema_id": sid, "name": node.get("name") or cls}
            if "tool" in node:
                base["value"] = node.get("value") or _first_word(str(base["name"])).lower()
                for _ in range(rng.randint(1, max(1, most)) if most else 0):
                    shaped = _shape(str(node["tool"]), rng)
                    if shaped is None:
                        break
                    objects.append({**base, "feature_id": fid(), **shaped, "classifications": []})
            else:
                answered = _answer(node, rng, fid)
                if answered is not None:
                    classifications.append({**base, "value": node.get("name") or cls, **answered})
        return {
            "label_kind": "Default",
            "version": "1.0.0",
            "id": self.world.ids.opaque("foundry-prediction", run_id, row_id),
            "annotations": {"objects": objects, "classifications": classifications, "relationships": []},
        }

    def run_info(self, run_id: str) -> JSONDict | None:
        """``modelFoundryModelRunInfo`` of a run made by an app (None for other runs)."""
        run = self.backend.model_runs.find(run_id)
        if run_id not in self.runs or run is None:
            return None
        n = len(self.backend.model_runs.live_rows(run))
        return {"cost": round(n * COST_PER_DATA_ROW, 6), "status": "COMPLETE", "totalDataRows": n}

    # ------------------------------------------------------------ GraphQL

    def root(self) -> dict[str, Resolver]:
        def find_app(info: Info, where: JSONDict) -> JSONDict:
            return self._app_or_404(where.get("id"))

        return {
            "findModelFoundryApp": find_app,
            "createModelFoundryApp": lambda info, input: self.create_app(input),
            "deleteModelFoundryApp": lambda info, id: self.delete_app(id),
            "createModelJobForDataRows": lambda info, input: self.run(input),
        }


_KINDS = {"rectangle": "ImageBoundingBox", "polygon": "ImagePolygon", "point": "ImagePoint", "line": "ImagePolyline"}


def _xy(rng: random.Random) -> JSONDict:
    return {"x": round(rng.uniform(0, 1000), 2), "y": round(rng.uniform(0, 1000), 2)}


def _shape(tool: str, rng: random.Random) -> JSONDict | None:
    """The geometry of one predicted object of a ``tool`` (export v2 members), or None if it is not predicted."""
    if tool == "rectangle":
        box = {"top": rng.randint(0, 900), "left": rng.randint(0, 900)}
        box.update(height=rng.randint(5, 400), width=rng.randint(5, 400))
        return {"annotation_kind": _KINDS[tool], "bounding_box": box}
    if tool == "polygon":
        return {"annotation_kind": _KINDS[tool], "polygon": [_xy(rng) for _ in range(rng.randint(3, 8))]}
    if tool == "point":
        return {"annotation_kind": _KINDS[tool], "point": _xy(rng)}
    if tool == "line":
        return {"annotation_kind": _KINDS[tool], "line": [_xy(rng) for _ in range(rng.randint(2, 6))]}
    if tool == "named-entity":
        start = rng.randint(0, 380)
        return {"annotation_kind": "TextEntity", "location": {"start": start, "end": start + rng.randint(1, 30)}}
    return None


def _answer(node: JSONDict, rng: random.Random, fid: Any) -> JSONDict | None:
    """The answer members of a predicted global classification, or None if it is not predicted."""
    kind = node.get("type")
    options = [o for o in node.get("options") or () if isinstance(o, dict) and "featureSchemaId" in o]

    def option(o: JSONDict) -> JSONDict:
        label = str(o.get("label") or o.get("value") or "")
        value = o.get("value") or _first_word(label)
        return {
            "feature_id": fid(),
            "feature_schema_id": o["featureSchemaId"],
            "name": label,
            "value": value,
            "classifications": [],
        }

    if kind == "radio" and options:
        return {"radio_answer": option(rng.choice(options))}
    if kind == "checklist" and options:
        return {"checklist_answers": [option(o) for o in rng.sample(options, k=rng.randint(1, len(options)))]}
    if kind == "text":
        return {"text_answer": {"content": "predicted"}}
    return None
