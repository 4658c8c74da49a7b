"""Public namespaces, reached as attributes of a :class:`~alabelbox.Client` (``client.projects``, ``client.exports``,
...), one module each; plus the typed filter input :class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.attachments import Attachments
from alabelbox.resources.batches import Batches
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.exports import Exports
from alabelbox.resources.feature_schemas import FeatureSchemas
from alabelbox.resources.foundry import Foundry
from alabelbox.resources.global_keys import GlobalKeys
from alabelbox.resources.imports import Imports
from alabelbox.resources.invites import Invites
from alabelbox.resources.labels import Labels
from alabelbox.resources.metadata import Metadata
from alabelbox.resources.model_runs import ModelRuns
from alabelbox.resources.models import Models
from alabelbox.resources.ontologies import Ontologies
from alabelbox.resources.organization import OrganizationResource
from alabelbox.resources.project_members import ProjectMembers
from alabelbox.resources.projects import Projects
from alabelbox.resources.quality import Quality
from alabelbox.resources.resource_tags import ResourceTags
from alabelbox.resources.slices import Slices
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users
from alabelbox.resources.webhooks import Webhooks
from alabelbox.resources.workflow import Workflow

__all__ = [
    "Attachments",
    "Batches",
    "DataRows",
    "Datasets",
    "Exports",
    "FeatureSchemas",
    "Foundry",
    "GlobalKeys",
    "Imports",
    "Invites",
    "LabelFilter",
    "Labels",
    "Metadata",
    "ModelRuns",
    "Models",
    "Ontologies",
    "OrganizationResource",
    "ProjectMembers",
    "Projects",
    "Quality",
    "ResourceTags",
    "Slices",
    "Tasks",
    "Users",
    "Webhooks",
    "Workflow",
]
