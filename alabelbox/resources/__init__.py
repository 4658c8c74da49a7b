"""Public namespaces reached as ``client.projects``, ``client.datasets``, ``client.data_rows``, ``client.labels``,
``client.users``, ``client.tasks``, ``client.webhooks``, ``client.organization``, ``client.invites``,
``client.resource_tags``, ``client.quality``; plus the typed filter input :class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.invites import Invites
from alabelbox.resources.labels import Labels
from alabelbox.resources.organization import OrganizationResource
from alabelbox.resources.projects import Projects
from alabelbox.resources.quality import Quality
from alabelbox.resources.resource_tags import ResourceTags
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users
from alabelbox.resources.webhooks import Webhooks

__all__ = [
    "DataRows",
    "Datasets",
    "Invites",
    "LabelFilter",
    "Labels",
    "OrganizationResource",
    "Projects",
    "Quality",
    "ResourceTags",
    "Tasks",
    "Users",
    "Webhooks",
]
