"""``client.projects``: create, update, delete, clone, connect an ontology; list, retrieve (with its relationships),
the current user's projects, a project's ontology and datasets, label counts."""

from __future__ import annotations

import json
import math
import mimetypes
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import InvalidArgumentError, ResourceNotFoundError, ResponseModelError
from alabelbox._filters import named_where
from alabelbox._pagination import Paginator
from alabelbox._queries.ingestion import UPLOAD_FILE
from alabelbox._queries.projects import (
    CLONE_PROJECT,
    CONNECT_LABELING_FRONTEND,
    CONNECT_ONTOLOGY,
    CREATE_LABELING_FRONTEND_OPTIONS,
    CREATE_PROJECT,
    DELETE_PROJECT,
    LIST_LABELING_FRONTENDS,
    LIST_PROJECTS,
    LIST_USER_PROJECTS,
    PROJECT_DATASETS,
    PROJECT_LABEL_COUNT,
    PROJECT_LABELING_FRONTEND_OPTIONS,
    PROJECT_ONTOLOGY,
    PROJECT_ONTOLOGY_SETUP,
    RETRIEVE_PROJECT,
    SET_PROJECT_INSTRUCTIONS,
    UPDATE_PROJECT,
)
from alabelbox._transport._multipart import FilePart, Multipart
from alabelbox._validation import check_id
from alabelbox.resources._base import COUNT, DEFAULT, Resource, TimeoutArg, dig, operation_of
from alabelbox.types._api import ApiModel
from alabelbox.types.dataset import Dataset
from alabelbox.types.ontology import Ontology
from alabelbox.types.project import EditorTaskType, LabelingFrontend, MediaType, Project, QualityMode

__all__ = ["Projects"]

#: The name of the API's default editor, which ``connect_ontology`` connects to a project that has none.
DEFAULT_EDITOR = "Editor"
#: The quality settings each set of modes stands for, as the SDK sends them:
#: (autoAuditNumberOfLabels, autoAuditPercentage, isBenchmarkEnabled, isConsensusEnabled).
_QUALITY: dict[frozenset[QualityMode], tuple[int, float, bool, bool]] = {
    frozenset({QualityMode.BENCHMARK, QualityMode.CONSENSUS}): (3, 0, True, True),
    frozenset({QualityMode.BENCHMARK}): (1, 1, True, False),
    frozenset({QualityMode.CONSENSUS}): (3, 0, False, True),
}
_ALL_MODES = (QualityMode.BENCHMARK, QualityMode.CONSENSUS)
_ID: TypeAdapter[str] = TypeAdapter(str)
_FRONTENDS: TypeAdapter[list[LabelingFrontend]] = TypeAdapter(list[LabelingFrontend])
_OPTIONS: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[dict[str, Any]])


class _WithOntology(ApiModel):
    """A project's ``ontology``, null while it has none."""

    ontology: Ontology | None = None


def _enum_value(argument: str, kind: type[Any], value: object) -> str:
    try:
        return str(kind(value).value)
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise InvalidArgumentError(argument, f"{value!r} is not a {kind.__name__} (one of {known})") from None


def _name(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, f"must be a non-blank string, got {value!r}")
    return value


def _quality(
    quality_modes: Collection[QualityMode | str], consensus_labels: int | None, consensus_coverage: float | None
) -> dict[str, Any]:
    if isinstance(quality_modes, str):
        raise InvalidArgumentError("quality_modes", "must be a collection of QualityMode, not one string")
    modes = frozenset(QualityMode(_enum_value("quality_modes", QualityMode, m)) for m in quality_modes)
    if modes not in _QUALITY:
        raise InvalidArgumentError("quality_modes", "must name at least one of QualityMode.BENCHMARK, CONSENSUS")
    labels, coverage, benchmark, consensus = _QUALITY[modes]
    if consensus_labels is not None or consensus_coverage is not None:
        if not consensus:
            raise InvalidArgumentError("consensus_labels", "consensus settings need QualityMode.CONSENSUS")
        if consensus_labels is not None:
            if isinstance(consensus_labels, bool) or not isinstance(consensus_labels, int) or consensus_labels < 2:
                raise InvalidArgumentError(
                    "consensus_labels", f"must be an integer of 2 or more, got {consensus_labels!r}"
                )
            labels = consensus_labels
        if consensus_coverage is not None:
            if (
                isinstance(consensus_coverage, bool)
                or not isinstance(consensus_coverage, int | float)
                or not math.isfinite(consensus_coverage)
                or not 0 <= consensus_coverage <= 1
            ):
                raise InvalidArgumentError(
                    "consensus_coverage", f"must be a number from 0 to 1, got {consensus_coverage!r}"
                )
            coverage = consensus_coverage
    return {
        "autoAuditNumberOfLabels": labels,
        "autoAuditPercentage": coverage,
        "isBenchmarkEnabled": benchmark,
        "isConsensusEnabled": consensus,
    }


class Projects(Resource):
    """Projects of the organization: ``client.projects``.

    Example:
        >>> async for project in client.projects.list(name_contains="roof"):
        ...     print(project.id, project.name, await client.projects.label_count(project.id))
    """

    def list(
        self,
        *,
        name: str | None = None,
        name_contains: str | None = None,
        where: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Project]:
        """Projects that are not deleted, as the SDK's ``client.get_projects(where=...)``.

        Args:
            name: Only the project(s) with exactly this name.
            name_contains: Only projects whose name contains this.
            where: A raw ``ProjectWhereInput``, ANDed with the other filters.
            page_size: Projects per request.
            window: Requests in flight at once, pinned; None (the default) adapts it to the latency.
            timeout: Limits for each request, overriding the client's.

        Returns:
            A :class:`~alabelbox.Paginator`; nothing is sent until it is awaited or iterated.

        Raises:
            InvalidArgumentError: A filter is malformed (raised here, before any request).

        Example:
            >>> projects = [p async for p in client.projects.list(name="Roof wear")]
        """
        variables = {"where": named_where(name=name, name_contains=name_contains, where=where)}
        return self._offset_listing(
            LIST_PROJECTS, variables, Project, page_size=page_size, window=window, timeout=timeout
        )

    def list_mine(
        self,
        *,
        where: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Project]:
        """The current user's projects (``user { projects }``).

        Example:
            >>> mine = await client.projects.list_mine().get_many(10)
        """
        variables = {"where": named_where(name=None, name_contains=None, where=where)}
        return self._offset_listing(
            LIST_USER_PROJECTS,
            variables,
            Project,
            path=("user", "projects"),
            page_size=page_size,
            window=window,
            timeout=timeout,
        )

    async def retrieve(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> Project:
        """One project by id, with its ``queue_mode`` and its relationships: ``created_by``, ``organization``,
        ``labeling_frontend`` and ``ontology`` (id and name; the whole one is :meth:`ontology`).

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> project = await client.projects.retrieve(project_id)
            >>> project.created_by.email, project.organization.name, project.queue_mode
            ('...', '...', 'BATCH')
        """
        return await self._retrieve(
            RETRIEVE_PROJECT, {"id": check_id("project_id", project_id)}, Project, timeout=timeout
        )

    # -- writes ------------------------------------------------------------------------------------------------

    async def create(
        self,
        name: str,
        *,
        media_type: MediaType | str,
        description: str | None = None,
        quality_modes: Collection[QualityMode | str] = _ALL_MODES,
        consensus_labels: int | None = None,
        consensus_coverage: float | None = None,
        editor_task_type: EditorTaskType | str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Project:
        """Create a project (``createProject``), as the SDK's ``client.create_project``.

        Args:
            name: The project's name (not blank).
            media_type: The kind of data rows it labels.
            description: A short summary.
            quality_modes: Benchmark, consensus, or both (the SDK's default). Benchmark alone is one label per data
                row; consensus is ``consensus_labels`` labels (3 by default) on a ``consensus_coverage`` share of
                the rows (0 by default: the API decides).
            consensus_labels: Labels per data row with consensus (2 or more).
            consensus_coverage: The share of data rows that get consensus labels, 0 to 1.
            editor_task_type: A special editor (chat model evaluation); None is the default editor.
            timeout: Limits for the request, overriding the client's.

        Returns:
            The new project. It appears in :meth:`list` at once; connect an ontology with :meth:`connect_ontology`.

        Raises:
            InvalidArgumentError: An argument is not valid (raised before any request).

        Example:
            >>> project = await client.projects.create(
            ...     "Street scenes", media_type=MediaType.IMAGE, quality_modes={QualityMode.BENCHMARK}
            ... )
            >>> project.is_benchmark_enabled, project.auto_audit_number_of_labels
            (True, 1)
        """
        data: dict[str, Any] = {
            "name": _name("name", name),
            "allowedMediaType": _enum_value("media_type", MediaType, media_type),
            **_quality(quality_modes, consensus_labels, consensus_coverage),
        }
        if description is not None:
            data["description"] = description
        if editor_task_type is not None:
            data["editorTaskType"] = _enum_value("editor_task_type", EditorTaskType, editor_task_type)
        return await self._mutate(CREATE_PROJECT, {"data": data}, Project, timeout=timeout)

    async def update(
        self,
        project_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        media_type: MediaType | str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Project:
        """Change a project's name, description or media type (``updateProject``); what is None stays.

        The quality modes cannot change once a project exists (the API refuses a switch), as in the SDK.

        Raises:
            InvalidArgumentError: Nothing to change, or a blank name (before any request).
            ResourceNotFoundError: There is no such project.

        Example:
            >>> project = await client.projects.update(project_id, name="Street scenes v2")
            >>> project.name
            'Street scenes v2'
        """
        data: dict[str, Any] = {}
        if name is not None:
            data["name"] = _name("name", name)
        if description is not None:
            data["description"] = description
        if media_type is not None:
            data["allowedMediaType"] = _enum_value("media_type", MediaType, media_type)
        if not data:
            raise InvalidArgumentError("update", "give at least one of name, description, media_type")
        variables = {"id": check_id("project_id", project_id), "data": data}
        return await self._mutate(UPDATE_PROJECT, variables, Project, timeout=timeout, idempotent=True)

    async def delete(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a project (``updateProject`` with ``deleted: true``, as the SDK's ``Project.delete``).

        It disappears from :meth:`list` and :meth:`retrieve` at once.

        Raises:
            ResourceNotFoundError: There is no such project (or it is already deleted).

        Example:
            >>> await client.projects.delete(project_id)
            >>> project_id in [p.id async for p in client.projects.list()]
            False
        """
        await self._mutate(DELETE_PROJECT, {"id": check_id("project_id", project_id)}, timeout=timeout)

    async def clone(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> Project:
        """Copy a project: its settings, editor and ontology, no data rows or labels (``cloneProject``).

        Returns:
            The copy, retrieved with its relationships.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> original = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
            >>> copy = await client.projects.clone(original.id)
            >>> copy.name, copy.id != original.id
            ('Roofs (copy)', True)
        """
        variables = {"projectId": check_id("project_id", project_id)}
        copy_id = await self._value(CLONE_PROJECT, variables, _ID, path=("cloneProject", "id"), timeout=timeout)
        return await self.retrieve(copy_id, timeout=timeout)

    async def connect_ontology(self, project_id: str, ontology_id: str, *, timeout: TimeoutArg = DEFAULT) -> Project:
        """Use an ontology in a project from now on (``connectOntology``); also to change a project's ontology.

        As the SDK's ``Project.connect_ontology``: a project without an editor gets the default one first
        (``"Editor"``, with empty customization options). The project's labels keep their feature schema ids;
        the new ontology should hold every kind of annotation they use.

        Returns:
            The project, its setup complete.

        Raises:
            ResourceNotFoundError: There is no such project or ontology.
            InvalidArgumentError: The ontology is for another media type than the project (an ontology without
                one fits any project). Nothing is changed.

        Example:
            >>> project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
            >>> ontology = await client.ontologies.create("Parts", {"tools": [{"tool": "polygon", "name": "tile"}]})
            >>> project = await client.projects.connect_ontology(project.id, ontology.id)
            >>> project.setup_complete is not None
            True
            >>> (await client.projects.retrieve(project.id)).labeling_frontend.name
            'Editor'
        """
        variables = {
            "projectId": check_id("project_id", project_id),
            "ontologyId": check_id("ontology_id", ontology_id),
        }
        operation, _ = operation_of(PROJECT_ONTOLOGY_SETUP)
        data = await self._execute(PROJECT_ONTOLOGY_SETUP, variables, timeout=timeout)
        project, ontology = dig(data, ("project",), operation), dig(data, ("ontology",), operation)
        theirs, ours = ontology.get("mediaType"), project.get("allowedMediaType")
        if theirs not in (None, MediaType.UNKNOWN.value) and theirs != ours:
            raise InvalidArgumentError(
                "ontology_id",
                f"ontology {ontology_id} is for {theirs} data and project {project_id} for {ours}: they must share "
                "a media type, unless the ontology has none",
            )
        if project.get("labelingFrontend") is None:
            await self._connect_default_editor(variables["projectId"], timeout=timeout)
        return await self._mutate(
            CONNECT_ONTOLOGY, variables, Project, path=("project", "connectOntology"), timeout=timeout, idempotent=True
        )

    async def _connect_default_editor(self, project_id: str, *, timeout: TimeoutArg) -> None:
        found = await self._value(LIST_LABELING_FRONTENDS, {"name": DEFAULT_EDITOR}, _FRONTENDS, timeout=timeout)
        if not found:
            operation, _ = operation_of(LIST_LABELING_FRONTENDS)
            raise ResourceNotFoundError(
                f"the API offers no labeling frontend named {DEFAULT_EDITOR!r}", operation=operation
            )
        editor = found[0]
        ids = {"projectId": project_id, "labelingFrontendId": editor.id}
        await self._mutate(CONNECT_LABELING_FRONTEND, ids, timeout=timeout, idempotent=True)
        options = {
            "project": project_id,
            "labelingFrontend": editor.id,
            "customizationOptions": json.dumps({"tools": [], "classifications": []}),
        }
        await self._mutate(CREATE_LABELING_FRONTEND_OPTIONS, options, timeout=timeout, idempotent=True)

    # -- instructions --------------------------------------------------------------------------------------------

    async def upsert_instructions(
        self, project_id: str, path: str | os.PathLike[str], *, timeout: TimeoutArg = DEFAULT
    ) -> str:
        """Upload a PDF or HTML file as the project's labeling instructions (replacing any before).

        The file is streamed from disk (an upload, ``uploadFile``), then its URL is set as the instructions.

        Args:
            project_id: The project.
            path: A local ``.pdf`` or ``.html`` file.
            timeout: Limits for each request, overriding the client's.

        Returns:
            The URL of the uploaded instructions.

        Raises:
            InvalidArgumentError: The file is not a PDF or HTML file, or cannot be read (before anything is sent).
            ResourceNotFoundError: There is no such project.

        Example:
            >>> import pathlib, tempfile
            >>> page = pathlib.Path(tempfile.mkdtemp()) / "guide.html"
            >>> _ = page.write_text("<h1>Label every roof</h1>")
            >>> url = await client.projects.upsert_instructions(project_id, page)
            >>> await client.projects.instructions_url(project_id) == url
            True
        """
        check_id("project_id", project_id)
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidArgumentError("path", f"must be a path to a local file, not {type(path).__name__}")
        local = Path(path)
        if local.suffix.lower() not in (".pdf", ".html"):
            raise InvalidArgumentError("path", f"instructions must be a .pdf or .html file, got {str(local)!r}")
        try:
            part = FilePart(local, local.name, mimetypes.guess_type(local.name)[0], part="1")
        except OSError as exc:
            raise InvalidArgumentError("path", f"{str(local)!r} cannot be read: {exc.strerror or exc}") from exc
        data = await self._client._upload(
            UPLOAD_FILE,
            {"file": None, "contentLength": part.size, "sign": False},
            Multipart.single(part),
            timeout=timeout,
        )
        url = dig(data, ("uploadFile", "url"), operation_of(UPLOAD_FILE)[0])
        if not isinstance(url, str) or not url:
            raise ResponseModelError(
                f"uploadFile answered no url: {url!r:.200}", operation=operation_of(UPLOAD_FILE)[0]
            )
        await self._mutate(
            SET_PROJECT_INSTRUCTIONS,
            {"projectId": project_id, "instructions_url": url},
            path=("setProjectInstructions", "id"),
            timeout=timeout,
            idempotent=True,
        )
        return url

    async def instructions_url(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> str | None:
        """The URL of the project's labeling instructions, or None while it has none.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
            >>> await client.projects.instructions_url(project.id) is None
            True
        """
        variables = {"projectId": check_id("project_id", project_id)}
        operation = operation_of(PROJECT_LABELING_FRONTEND_OPTIONS)[0]
        options = await self._value(
            PROJECT_LABELING_FRONTEND_OPTIONS,
            variables,
            _OPTIONS,
            path=("project", "labelingFrontendOptions"),
            timeout=timeout,
        )
        for item in options:
            text = item.get("customizationOptions")
            if not text:
                continue
            try:
                parsed = json.loads(text) if isinstance(text, str) else text
            except ValueError as exc:
                raise ResponseModelError(f"customizationOptions is not JSON: {exc}", operation=operation) from exc
            url = parsed.get("projectInstructions") if isinstance(parsed, dict) else None
            if url is not None:
                if not isinstance(url, str):
                    raise ResponseModelError(f"projectInstructions is {url!r:.200}", operation=operation)
                return url
        return None

    # -- relationships -------------------------------------------------------------------------------------------

    async def ontology(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> Ontology | None:
        """The whole ontology the project uses, or None while it has none.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
            >>> await client.projects.ontology(project.id) is None
            True
            >>> ontology = await client.ontologies.create("Parts", {"tools": [{"tool": "polygon", "name": "tile"}]})
            >>> _ = await client.projects.connect_ontology(project.id, ontology.id)
            >>> (await client.projects.ontology(project.id)).feature_schema_ids() == ontology.feature_schema_ids()
            True
        """
        variables = {"id": check_id("project_id", project_id)}
        project = await self._retrieve(PROJECT_ONTOLOGY, variables, _WithOntology, timeout=timeout)
        return project.ontology

    def datasets(
        self, project_id: str, *, page_size: int = DEFAULT_PAGE_SIZE, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[Dataset]:
        """The datasets whose data rows the project holds.

        Example:
            >>> [d.id async for d in client.projects.datasets(project_id)] == [dataset_id]
            True
        """
        return self._offset_listing(
            PROJECT_DATASETS,
            {"id": check_id("project_id", project_id)},
            Dataset,
            path=("project", "datasets"),
            page_size=page_size,
            window=1,
            timeout=timeout,
        )

    async def label_count(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> int:
        """How many labels the project has.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> await client.projects.label_count(project_id)
            12
        """
        return await self._value(
            PROJECT_LABEL_COUNT,
            {"id": check_id("project_id", project_id)},
            COUNT,
            path=("project", "labelCount"),
            timeout=timeout,
        )
