"""Projects: ``projects``, ``project(where:)``, the ``project`` mutation root, and the projects of users,
the organization and datasets. Project ``k`` is fed by dataset ``k``.

Writes, as the official SDK 7.17 sends them: ``createProject``, ``updateProject`` (``deleted: true`` deletes, as
``Project.delete`` sends it), ``cloneProject``, ``Project.connectOntology`` and ``Project.setupEditor`` (the
ontology lives in ``ontologies``), the labeling frontend (``labelingFrontend``, ``labelingFrontends``), its
options (``createLabelingFrontendOptions``, ``Project.labelingFrontendOptions``; ``setProjectInstructions`` writes
the instructions URL into them as ``projectInstructions``), and reads of a project's ``taskQueues`` (labeling,
review, done; ``workflow`` counts their rows).

State: a :class:`~alabelbox.testing._store.Table` of projects. A created project's key is its id (parent
:data:`CREATED`, so it never decodes as a seeded one); it has no datasets or labels yet, so this module answers
those fields empty for it; its batches, workflow and members are served as a seeded project's are.
"""

from __future__ import annotations

import json
from typing import Any

from .._data import K_PROJECT, JSONDict
from .._ids import iso_ms
from .._store import Table
from ._base import Info, Resolver, Resource, bad_input, match_simple, not_found, page, table_listing

CREATED = 36**3 - 1
"""The id ``parent`` of created projects (seeded ones have parent 0)."""
K_QUEUE, K_FRONTEND, K_ROLE = "q", "e", "a"
EDITOR = "Editor"
"""The name of the one labeling frontend the emulator offers (the API's default editor)."""
QUEUES = (
    ("Initial labeling task", "MANUAL", "INITIAL_LABELING_TASK"),
    ("Initial review task", "MANUAL", "INITIAL_REVIEW_TASK"),
    ("Done", "MANUAL", "DONE"),
)
"""A new project's workflow queues: ``(name, queueType, taskType)``."""

SDL = """
enum ProjectOrderByInput { id_ASC id_DESC name_ASC name_DESC createdAt_ASC createdAt_DESC
  updatedAt_ASC updatedAt_DESC }
input ProjectWhereInput { id: ID id_in: [ID!] name: String name_contains: String deleted: Boolean
  AND: [ProjectWhereInput!] OR: [ProjectWhereInput!] }

type Project { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  setupComplete: DateTime lastActivityTime: DateTime autoAuditNumberOfLabels: Int
  autoAuditPercentage: Float dataRowCount: Int editorTaskType: String allowedMediaType: MediaType
  mediaType: MediaType modelSetupComplete: Boolean uploadType: String isBenchmarkEnabled: Boolean
  isConsensusEnabled: Boolean queueMode: String deleted: Boolean
  createdBy: User organization: Organization
  labelingFrontend: LabelingFrontend taskQueues: [TaskQueue!]!
  connectOntology(ontologyId: ID!): Project
  setupEditor(ontologyId: ID!): Project
  labelingFrontendConnect: Boolean
  labelingFrontendOptions(skip: Int, first: PageSize): [LabelingFrontendOptions!]! }

input ProjectCreateInput { name: String! description: String allowedMediaType: MediaType mediaType: MediaType
  autoAuditPercentage: Float autoAuditNumberOfLabels: Int isBenchmarkEnabled: Boolean
  isConsensusEnabled: Boolean queueMode: String editorTaskType: String numberOfLabels: Int }
input ProjectUpdateInput { name: String description: String deleted: Boolean mediaType: MediaType
  allowedMediaType: MediaType autoAuditPercentage: Float autoAuditNumberOfLabels: Int
  isBenchmarkEnabled: Boolean isConsensusEnabled: Boolean setupComplete: DateTime
  labelingFrontend: LabelingFrontendConnectInput }
input LabelingFrontendConnectInput { connect: WhereUniqueIdInput }
input LabelingFrontendOptionsCreateInput { project: LabelingFrontendConnectInput!
  labelingFrontend: LabelingFrontendConnectInput! customizationOptions: String! }
type LabelingFrontendOptions { id: ID! customizationOptions: String }
input SetProjectInstructionsInput { instructionsUrl: String! }
type ProjectInstructionsOntology { id: ID options: Json }
type ProjectInstructions { id: ID! ontology: ProjectInstructionsOntology }
input CloneProjectInput { projectId: ID! }
input LabelingFrontendWhereInput { id: ID name: String deleted: Boolean
  AND: [LabelingFrontendWhereInput!] OR: [LabelingFrontendWhereInput!] }

type LabelingFrontend { id: ID! name: String! description: String iframeUrlPath: String }
type TaskQueue { id: ID! name: String! description: String createdAt: DateTime updatedAt: DateTime
  queueType: String taskType: String dataRowCount(input: DataRowCountQueryInput): Int rowCount: Int }

extend type Organization { projects(where: ProjectWhereInput, skip: Int, first: PageSize): [Project!]! }
extend type User {
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]! }
extend type Dataset { projects(skip: Int, first: PageSize): [Project!]! }

extend type Query {
  projects(where: ProjectWhereInput, skip: Int, first: PageSize, orderBy: ProjectOrderByInput): [Project!]!
  project(where: WhereUniqueIdInput!): Project
  labelingFrontends(where: LabelingFrontendWhereInput, skip: Int, first: PageSize): [LabelingFrontend!]!
}
extend type Mutation {
  project(where: WhereUniqueIdInput!): Project
  createProject(data: ProjectCreateInput!): Project!
  updateProject(where: WhereUniqueIdInput!, data: ProjectUpdateInput!): Project
  cloneProject(data: CloneProjectInput!): Project!
  createLabelingFrontendOptions(data: LabelingFrontendOptionsCreateInput!): LabelingFrontendOptions!
  setProjectInstructions(where: WhereUniqueIdInput!, data: SetProjectInstructionsInput!): ProjectInstructions
}
"""


class Projects(Resource):
    """Projects over a writable table; keys are seeded indices or created ids."""

    SDL = SDL
    EXTENDS = frozenset({"Organization", "User", "Dataset"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.table = Table(self.world.project, self.world.n_projects)
        self.frontend = {
            "id": self.world.ids.encode(K_FRONTEND, 0, 0),
            "name": EDITOR,
            "description": "The Labelbox editor",
            "iframeUrlPath": "https://editor.labelbox.com",
        }
        self.frontends: dict[int | str, str] = {}
        """Project key -> id of its labeling frontend (once connected)."""
        self.frontend_options: dict[int | str, str] = {}
        """Project key -> its editor customization options (a JSON string), as the SDK writes them."""
        self.frontend_option_ids: dict[int | str, str] = {}
        """Project key -> the id of its labeling frontend options."""
        self._created = 0

    def find(self, value: object) -> int | None:
        """The seeded index of the live seeded project with id ``value``, or None."""
        got = self.world.find(value, K_PROJECT)
        if got is None or got[0] != 0 or not self.table.has(got[1]):
            return None
        return got[1]

    def find_key(self, value: object) -> int | str | None:
        """The key of the live project (seeded or created) with id ``value``, or None."""
        if isinstance(value, str) and self.table.has(value):
            return value
        return self.find(value)

    def _key_or_404(self, value: object) -> int | str:
        key = self.find_key(value)
        if key is None:
            raise not_found("project", value)
        return key

    def obj(self, key: int | str) -> JSONDict:
        """Project ``key`` as a GraphQL object."""
        obj = self.table.get(key)
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["organization"] = lambda info: self.backend.organization.obj()
        obj["labelingFrontend"] = lambda info: dict(self.frontend) if key in self.frontends else None
        obj["taskQueues"] = lambda info: self.task_queues(key)
        obj["connectOntology"] = lambda info, ontologyId: self.connect_ontology(key, ontologyId)
        obj["setupEditor"] = lambda info, ontologyId: self.connect_ontology(key, ontologyId)
        obj["labelingFrontendOptions"] = lambda info, skip=0, first=None: page(self.options_of(key), skip, first)
        if isinstance(key, int):
            self.backend.extend("Project", obj, key)
        else:
            # A created project has no datasets or labels yet: answer those fields empty here.
            self.backend.ontologies.extend("Project", obj, key)
            obj["datasets"] = lambda info, skip=0, first=None: []
            # Its labels are those imports created (``labels`` serves them with the seeded projects' ones); batches,
            # workflow, members, quality, webhooks, tags and invites serve created projects as they do seeded ones.
            b = self.backend
            for resource in (
                b.labels,
                b.batches,
                b.workflow,
                b.project_members,
                b.quality,
                b.webhooks,
                b.resource_tags,
                b.invites,
            ):
                resource.extend("Project", obj, key)
        return obj

    def options_of(self, key: int | str) -> list[JSONDict]:
        """``Project.labelingFrontendOptions``: the project's editor options (none until written)."""
        if key not in self.frontend_options:
            return []
        if key not in self.frontend_option_ids:
            self.frontend_option_ids[key] = self.world.ids.encode(K_FRONTEND, 1, len(self.frontend_option_ids) + 1)
        return [{"id": self.frontend_option_ids[key], "customizationOptions": self.frontend_options[key]}]

    def set_instructions(self, key: int | str, data: JSONDict) -> JSONDict:
        """``setProjectInstructions``: the project's instructions URL, kept in its editor options as
        ``projectInstructions`` (the other options are left as they are)."""
        url = str(data.get("instructionsUrl") or "")
        if not url.strip():
            raise bad_input("instructionsUrl must not be blank")
        try:
            options = json.loads(self.frontend_options.get(key) or "{}")
        except ValueError:
            options = {}
        if not isinstance(options, dict):
            options = {}
        options["projectInstructions"] = url
        self.frontend_options[key] = json.dumps(options)
        ontology = self.backend.ontologies.project_ontology.get(key)
        return {"id": self.table.get(key)["id"], "ontology": {"id": ontology, "options": options}}

    def listing(self, where: JSONDict | None, skip: int, first: int | None, order_by: str | None) -> list[JSONDict]:
        """The ``projects`` listing: filter, order, then the ``skip``/``first`` window."""
        return table_listing(self.table, self.obj, where, skip, first, order_by)

    # ------------------------------------------------------------ writes

    def create(self, data: JSONDict) -> str:
        """``createProject``: a new empty project; its key (= its id)."""
        name = str(data.get("name") or "")
        if not name.strip():
            raise bad_input("A project name must not be blank")
        media = data.get("allowedMediaType") or data.get("mediaType")
        self._created += 1
        stamp = iso_ms(self.backend.clock.now())
        return self.table.create(
            {
                "id": self.world.ids.encode(K_PROJECT, CREATED, self._created),
                "name": name,
                "description": data.get("description"),
                "createdAt": stamp,
                "updatedAt": stamp,
                "setupComplete": None,
                "lastActivityTime": None,
                "autoAuditNumberOfLabels": data.get("autoAuditNumberOfLabels", 1),
                "autoAuditPercentage": data.get("autoAuditPercentage", 1.0),
                "dataRowCount": 0,
                "editorTaskType": data.get("editorTaskType"),
                "allowedMediaType": media,
                "mediaType": media,
                "modelSetupComplete": False,
                "uploadType": None,
                "isBenchmarkEnabled": bool(data.get("isBenchmarkEnabled", False)),
                "isConsensusEnabled": bool(data.get("isConsensusEnabled", False)),
                "deleted": False,
                "queueMode": data.get("queueMode") or "BATCH",
            }
        )

    def update(self, key: int | str, data: JSONDict) -> JSONDict:
        """``updateProject``'s ``data``; ``deleted: true`` deletes."""
        if data.get("deleted"):
            record = self.obj(key)
            self.table.delete(key)
            record["deleted"] = True
            return record
        fields = (
            "name",
            "description",
            "mediaType",
            "allowedMediaType",
            "autoAuditPercentage",
            "autoAuditNumberOfLabels",
            "isBenchmarkEnabled",
            "isConsensusEnabled",
            "setupComplete",
        )
        patch: JSONDict = {k: data[k] for k in fields if k in data}
        if "name" in patch and not str(patch["name"] or "").strip():
            raise bad_input("A project name must not be blank")
        for media_key in ("mediaType", "allowedMediaType"):
            if media_key in patch:
                patch["mediaType"] = patch["allowedMediaType"] = patch[media_key]
        connect = (data.get("labelingFrontend") or {}).get("connect")
        if connect is not None:
            if connect.get("id") != self.frontend["id"]:
                raise not_found("labeling frontend", connect.get("id"))
            self.frontends[key] = self.frontend["id"]
        patch["updatedAt"] = iso_ms(self.backend.clock.now())
        self.table.update(key, patch)
        return self.obj(key)

    def clone(self, key: int | str) -> str:
        """``cloneProject``: a new project with this one's settings and ontology (no data rows or labels)."""
        source = self.table.get(key)
        copy_key = self.create({**source, "name": f"{source['name']} (copy)"})
        if key in self.frontends:
            self.frontends[copy_key] = self.frontends[key]
        ontology = self.backend.ontologies.project_ontology.get(key)
        if ontology is not None:
            self.backend.ontologies.connect(copy_key, ontology)
        return copy_key

    def connect_ontology(self, key: int | str, ontology_id: str) -> JSONDict:
        """``Project.connectOntology`` / ``setupEditor``: use the ontology (and the editor) from now on."""
        self.backend.ontologies.connect(key, ontology_id)
        self.frontends.setdefault(key, self.frontend["id"])
        if self.table.get(key).get("setupComplete") is None:
            self.table.update(key, {"setupComplete": iso_ms(self.backend.clock.now())})
        return self.obj(key)

    # ------------------------------------------------------------ reads

    def task_queues(self, key: int | str) -> list[JSONDict]:
        """The project's workflow queues: initial labeling, initial review, done."""
        record = self.table.get(key)
        if isinstance(key, int):
            parent, index = 0, key
        else:
            decoded = self.world.ids.decode(key, K_PROJECT)
            parent, index = CREATED, decoded[1] if decoded is not None else 0
        return [
            {
                "id": self.world.ids.encode(K_QUEUE, parent, index * len(QUEUES) + q),
                "name": name,
                "description": None,
                "createdAt": record["createdAt"],
                "updatedAt": record["createdAt"],
                "queueType": queue_type,
                "taskType": task_type,
                "dataRowCount": 0,
                "rowCount": 0,
            }
            for q, (name, queue_type, task_type) in enumerate(QUEUES)
        ]

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "Dataset":
            # Seeded dataset k feeds project k; a created dataset feeds none yet.
            linked = [key] if isinstance(key, int) and self.table.has(key) else []
            obj["projects"] = lambda info, skip=0, first=None: [self.obj(p) for p in page(linked, skip, first)]
        elif type_name == "Organization":
            obj["projects"] = lambda info, where=None, skip=0, first=None: self.listing(where, skip, first, None)
        else:
            obj["projects"] = lambda info, where=None, skip=0, first=None, orderBy=None: self.listing(
                where, skip, first, orderBy
            )

    def root(self) -> dict[str, Resolver]:
        def project(info: Info, where: JSONDict) -> JSONDict:
            return self.obj(self._key_or_404(where.get("id")))

        def frontends(info: Info, where: JSONDict | None = None, skip: int = 0, first: int | None = None) -> Any:
            return (
                [dict(self.frontend)]
                if match_simple({**self.frontend, "deleted": False}, where) and not skip and first != 0
                else []
            )

        def create_options(info: Info, data: JSONDict) -> JSONDict:
            key = self._key_or_404((data["project"].get("connect") or {}).get("id"))
            frontend = (data["labelingFrontend"].get("connect") or {}).get("id")
            if frontend != self.frontend["id"]:
                raise not_found("labeling frontend", frontend)
            self.frontend_options[key] = data["customizationOptions"]
            return self.options_of(key)[0]

        return {
            "setProjectInstructions": lambda info, where, data: self.set_instructions(
                self._key_or_404(where.get("id")), data
            ),
            "createLabelingFrontendOptions": create_options,
            "projects": lambda info, where=None, skip=0, first=None, orderBy=None: self.listing(
                where, skip, first, orderBy
            ),
            "project": project,
            "labelingFrontends": frontends,
            "createProject": lambda info, data: self.obj(self.create(data)),
            "updateProject": lambda info, where, data: self.update(self._key_or_404(where.get("id")), data),
            "cloneProject": lambda info, data: self.obj(self.clone(self._key_or_404(data.get("projectId")))),
        }
