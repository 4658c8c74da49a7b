"""The :class:`Backend`: one instance of every resource over the shared world, clock, faults and storage."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._data import JSONDict, World
from ._exports import ExportTask
from ._faults import Faults
from ._storage import Signer, StorageApp
from ._store import Clock, Deletions
from .resources import RESOURCES, Resource
from .resources.attachments import Attachments
from .resources.batches import Batches
from .resources.data_rows import DataRows
from .resources.datasets import Datasets
from .resources.exports import Exports
from .resources.feature_schemas import FeatureSchemas
from .resources.foundry import Foundry
from .resources.global_keys import GlobalKeys
from .resources.iam_integrations import IamIntegrations
from .resources.imports import AnnotationImports
from .resources.ingestion import Ingestion
from .resources.invites import Invites
from .resources.labels import Labels
from .resources.legacy_exports import LegacyExports
from .resources.masks import Masks
from .resources.metadata import Metadata
from .resources.model_runs import ModelRuns
from .resources.models import Models
from .resources.ontologies import Ontologies
from .resources.organization import Organizations
from .resources.project_members import Members
from .resources.projects import Projects
from .resources.quality import Quality
from .resources.resource_tags import ResourceTags
from .resources.roles import Roles
from .resources.slices import Slices
from .resources.tasks import Tasks
from .resources.uploads import Uploads
from .resources.users import Users
from .resources.webhooks import Webhooks
from .resources.workflow import Workflow


@dataclass
class Settings:
    """Knobs of the backend that tests and the CLI set."""

    shard_bytes: int = 4 * 1024 * 1024
    task_seconds: float = 1.0
    url_ttl: float = 3600.0


class Backend:
    """What the resolvers share (world, clock, faults, storage, settings) and one instance of every resource.

    Resources reach each other through it (``backend.datasets.find(...)``); :meth:`extend` lets a resource add
    its fields to another resource's objects; :attr:`root` is every resource's root fields, merged.
    """

    users: Users
    organization: Organizations
    iam_integrations: IamIntegrations
    projects: Projects
    ontologies: Ontologies
    feature_schemas: FeatureSchemas
    datasets: Datasets
    data_rows: DataRows
    labels: Labels
    batches: Batches
    workflow: Workflow
    project_members: Members
    tasks_resource: Tasks
    exports: Exports
    legacy_exports: LegacyExports
    metadata: Metadata
    uploads: Uploads
    ingestion: Ingestion
    global_keys: GlobalKeys
    attachments: Attachments
    masks: Masks
    webhooks: Webhooks
    roles: Roles
    invites: Invites
    resource_tags: ResourceTags
    quality: Quality
    models: Models
    model_runs: ModelRuns
    slices: Slices
    foundry: Foundry
    imports: AnnotationImports

    def __init__(
        self,
        world: World,
        clock: Clock,
        faults: Faults,
        storage: StorageApp,
        signer: Signer,
        workdir: Path,
        settings: Settings,
    ) -> None:
        self.world = world
        self.clock = clock
        self.faults = faults
        self.storage = storage
        self.signer = signer
        self.workdir = workdir
        self.settings = settings
        self.threads: list[threading.Thread] = []
        self.stop = threading.Event()
        self.api_url = ""
        self.resources: dict[str, Resource] = {}
        for name, cls in RESOURCES.items():
            resource = cls(self)
            self.resources[name] = resource
            setattr(self, "tasks_resource" if name == "tasks" else name, resource)
        self._extenders: dict[str, list[Callable[[str, JSONDict, Any], None]]] = {}
        for resource in self.resources.values():
            for type_name in sorted(resource.EXTENDS):
                self._extenders.setdefault(type_name, []).append(resource.extend)
        self.root = self._root()

    def _root(self) -> JSONDict:
        root: JSONDict = {}
        for name, resource in self.resources.items():
            for field, resolver in resource.root().items():
                # One root object serves Query and Mutation, so a field name names one resolver (``project``).
                if field in root:
                    raise RuntimeError(f"root field {field!r} of {name} is already resolved by another resource")
                root[field] = resolver
        return root

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        """Let every resource that adds fields to ``type_name`` decorate ``obj`` (identified by ``key``)."""
        for extend in self._extenders.get(type_name, ()):
            extend(type_name, obj, key)

    @property
    def schema_sdl(self) -> list[str]:
        """Every resource's SDL fragment, in assembly order."""
        return [resource.SDL for resource in self.resources.values()]

    # ------------------------------------------------- shortcuts kept for tests and the truth API

    @property
    def tasks(self) -> dict[str, ExportTask]:
        """Every task by id (``emu.backend.tasks``)."""
        return self.tasks_resource.by_id

    @property
    def deletions(self) -> Deletions:
        return self.labels.deletions

    def label_obj(self, p: int, i: int, *, template: bool = False) -> JSONDict:
        return self.labels.obj(p, i, template=template)

    def _legacy_label_text(self, p: int, i: int) -> str:
        return self.labels.legacy_label_text(p, i)

    def all_label_indices(self, p: int) -> Iterator[int]:
        return self.labels.all_label_indices(p)
