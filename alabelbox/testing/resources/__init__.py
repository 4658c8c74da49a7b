"""The emulator's resources, one module each: its SDL fragment, its resolvers and its state.

:data:`RESOURCES` lists them in the order the schema is assembled; ``Backend`` makes one of each.
"""

from __future__ import annotations

from ._base import Resource
from .attachments import Attachments
from .batches import Batches
from .data_rows import DataRows
from .datasets import Datasets
from .exports import Exports
from .feature_schemas import FeatureSchemas
from .foundry import Foundry
from .global_keys import GlobalKeys
from .iam_integrations import IamIntegrations
from .imports import AnnotationImports
from .ingestion import Ingestion
from .invites import Invites
from .labels import Labels
from .legacy_exports import LegacyExports
from .masks import Masks
from .metadata import Metadata
from .model_runs import ModelRuns
from .models import Models
from .ontologies import Ontologies
from .organization import Organizations
from .project_members import Members
from .projects import Projects
from .quality import Quality
from .resource_tags import ResourceTags
from .roles import Roles
from .slices import Slices
from .tasks import Tasks
from .uploads import Uploads
from .users import Users
from .webhooks import Webhooks
from .workflow import Workflow

RESOURCES: dict[str, type[Resource]] = {
    "users": Users,
    "roles": Roles,
    "organization": Organizations,
    "invites": Invites,
    "resource_tags": ResourceTags,
    "iam_integrations": IamIntegrations,
    "projects": Projects,
    "ontologies": Ontologies,
    "feature_schemas": FeatureSchemas,
    "datasets": Datasets,
    "data_rows": DataRows,
    "labels": Labels,
    "batches": Batches,
    "workflow": Workflow,
    "project_members": Members,
    "tasks": Tasks,
    "exports": Exports,
    "legacy_exports": LegacyExports,
    "metadata": Metadata,
    "uploads": Uploads,
    "ingestion": Ingestion,
    "global_keys": GlobalKeys,
    "attachments": Attachments,
    "masks": Masks,
    "models": Models,
    "model_runs": ModelRuns,
    "slices": Slices,
    "foundry": Foundry,
    "webhooks": Webhooks,
    "quality": Quality,
    "imports": AnnotationImports,
}
"""Every resource, by the name of its module and of its attribute on ``Backend``."""

__all__ = ["RESOURCES", "Resource"]
