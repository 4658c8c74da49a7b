"""Public namespaces, reached as attributes of a :class:`~alabelbox.Client` (``client.projects``, ``client.exports``,
...), one module each; plus the typed filter input :class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.attachments import Attachments
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.exports import Exports
from alabelbox.resources.global_keys import GlobalKeys
from alabelbox.resources.invites import Invites
from alabelbox.resources.labels import Labels
from alabelbox.resources.metadata import Metadata
from alabelbox.resources.model_runs import ModelRuns
from alabelbox.resources.models import Models
from alabelbox.resources.organization import OrganizationResource
from alabelbox.resources.projects import Projects
from alabelbox.resources.quality import Quality
from alabelbox.resources.resource_tags import ResourceTags
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users
from alabelbox.resources.webhooks import Webhooks

__all__ = [
    "Attachments",
    "DataRows",
    "Datasets",
    "Exports",
    "GlobalKeys",
    "Invites",
    "LabelFilter",
    "Labels",
    "Metadata",
    "ModelRuns",
    "Models",
    "OrganizationResource",
    "Projects",
    "Quality",
    "ResourceTags",
    "Tasks",
    "Users",
    "Webhooks",
]
