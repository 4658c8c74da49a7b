"""Public namespaces reached as ``client.projects``, ``client.datasets``, ``client.data_rows``, ``client.labels``,
``client.users``, ``client.tasks``, ``client.imports``, ``client.exports``; plus the typed filter input
:class:`LabelFilter`."""

from __future__ import annotations

from alabelbox._filters import LabelFilter
from alabelbox.resources.data_rows import DataRows
from alabelbox.resources.datasets import Datasets
from alabelbox.resources.exports import Exports
from alabelbox.resources.imports import Imports
from alabelbox.resources.labels import Labels
from alabelbox.resources.projects import Projects
from alabelbox.resources.tasks import Tasks
from alabelbox.resources.users import Users

__all__ = ["DataRows", "Datasets", "Exports", "Imports", "LabelFilter", "Labels", "Projects", "Tasks", "Users"]
