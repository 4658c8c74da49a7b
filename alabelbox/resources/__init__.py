"""Public namespaces reached as ``client.projects``, ``client.datasets``, ``client.data_rows``, ``client.labels``,
``client.users``, ``client.tasks``, ``client.batches``, ``client.workflow``, ``client.project_members``; plus
the typed filter input :class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.batches import Batches
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.labels import Labels
from alabelbox.resources.project_members import ProjectMembers
from alabelbox.resources.projects import Projects
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users
from alabelbox.resources.workflow import Workflow

__all__ = [
    "Batches",
    "DataRows",
    "Datasets",
    "LabelFilter",
    "Labels",
    "ProjectMembers",
    "Projects",
    "Tasks",
    "Users",
    "Workflow",
]
