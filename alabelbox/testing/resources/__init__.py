"""The emulator's resources, one module each: its SDL fragment, its resolvers and its state.

:data:`RESOURCES` lists them in the order the schema is assembled; ``Backend`` makes one of each.
"""

from __future__ import annotations

from ._base import Resource
from .batches import Batches
from .data_rows import DataRows
from .datasets import Datasets
from .exports import Exports
from .global_keys import GlobalKeys
from .iam_integrations import IamIntegrations
from .imports import AnnotationImports
from .ingestion import Ingestion
from .labels import Labels
from .legacy_exports import LegacyExports
from .masks import Masks
from .metadata import Metadata
from .ontologies import Ontologies
from .organization import Organizations
from .projects import Projects
from .tasks import Tasks
from .uploads import Uploads
from .users import Users

RESOURCES: dict[str, type[Resource]] = {
    "users": Users,
    "organization": Organizations,
    "iam_integrations": IamIntegrations,
    "projects": Projects,
    "ontologies": Ontologies,
    "datasets": Datasets,
    "data_rows": DataRows,
    "labels": Labels,
    "batches": Batches,
    "tasks": Tasks,
    "exports": Exports,
    "legacy_exports": LegacyExports,
    "metadata": Metadata,
    "uploads": Uploads,
    "ingestion": Ingestion,
    "global_keys": GlobalKeys,
    "masks": Masks,
    "imports": AnnotationImports,
}
"""Every resource, by the name of its module and of its attribute on ``Backend``."""

__all__ = ["RESOURCES", "Resource"]
