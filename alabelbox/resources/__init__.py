"""Public namespaces reached as ``client.projects``, ``client.datasets``, ``client.data_rows``, ``client.labels``,
``client.users``, ``client.tasks``, ``client.global_keys``, ``client.attachments``, ``client.metadata``; plus the
typed filter input :class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.attachments import Attachments
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.global_keys import GlobalKeys
from alabelbox.resources.labels import Labels
from alabelbox.resources.metadata import Metadata
from alabelbox.resources.projects import Projects
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users

__all__ = [
    "Attachments",
    "DataRows",
    "Datasets",
    "GlobalKeys",
    "LabelFilter",
    "Labels",
    "Metadata",
    "Projects",
    "Tasks",
    "Users",
]
