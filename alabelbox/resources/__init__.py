"""Public namespaces reached as ``client.projects``, ``client.datasets``, ``client.data_rows``, ``client.labels``,
``client.users``, ``client.tasks``, ``client.exports``, ``client.batches``, ``client.workflow``,
``client.project_members``, ``client.models``, ``client.model_runs``; plus the typed filter input
:class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.batches import Batches
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.exports import Exports
from alabelbox.resources.labels import Labels
from alabelbox.resources.model_runs import ModelRuns
from alabelbox.resources.models import Models
from alabelbox.resources.project_members import ProjectMembers
from alabelbox.resources.projects import Projects
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users
from alabelbox.resources.workflow import Workflow

__all__ = [
    "Batches",
    "DataRows",
    "Datasets",
    "Exports",
    "LabelFilter",
    "Labels",
    "ModelRuns",
    "Models",
    "ProjectMembers",
    "Projects",
    "Tasks",
    "Users",
    "Workflow",
]
