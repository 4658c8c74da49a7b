"""A Labelbox project, the enums that set one up, and the short forms of what a project points to."""

from __future__ import annotations

import enum
from datetime import datetime

from alabelbox.types._api import ApiModel
from alabelbox.types.user import UserRef

__all__ = [
    "EditorTaskType",
    "LabelingFrontend",
    "MediaType",
    "OntologyRef",
    "OrganizationRef",
    "Project",
    "QualityMode",
]


class MediaType(enum.StrEnum):
    """The kind of data a project (or an ontology) is for, in the API's spelling.

    Example:
        >>> MediaType("IMAGE") is MediaType.IMAGE
        True
    """

    AUDIO = "AUDIO"
    CONVERSATIONAL = "CONVERSATIONAL"
    DOCUMENT = "PDF"
    GEOSPATIAL_TILE = "TMS_GEO"
    HTML = "HTML"
    IMAGE = "IMAGE"
    SIMPLE_TILE = "TMS_SIMPLE"
    TEXT = "TEXT"
    UNKNOWN = "UNKNOWN"
    VIDEO = "VIDEO"
    POINT_CLOUD = "POINT_CLOUD"
    LLM = "LLM"


class QualityMode(enum.StrEnum):
    """A project's quality mode: benchmark labels (gold standards), consensus (several labels per data row), or
    both (the SDK's default).

    Example:
        >>> sorted(QualityMode)
        [<QualityMode.BENCHMARK: 'BENCHMARK'>, <QualityMode.CONSENSUS: 'CONSENSUS'>]
    """

    BENCHMARK = "BENCHMARK"
    CONSENSUS = "CONSENSUS"


class EditorTaskType(enum.StrEnum):
    """The special editors a project can be created for (chat model evaluation); None is the default editor."""

    MODEL_CHAT_EVALUATION = "MODEL_CHAT_EVALUATION"
    OFFLINE_MODEL_CHAT_EVALUATION = "OFFLINE_MODEL_CHAT_EVALUATION"
    RESPONSE_CREATION = "RESPONSE_CREATION"


class OrganizationRef(ApiModel):
    """The organization a project belongs to (``organization { id name }``)."""

    id: str
    name: str | None = None


class OntologyRef(ApiModel):
    """The ontology a project uses, in short (``ontology { id name }``); the whole one is
    ``await client.projects.ontology(project_id)``."""

    id: str
    name: str | None = None


class LabelingFrontend(ApiModel):
    """The editor a project is labelled in (the API's ``LabelingFrontend``; ``"Editor"`` is the default one)."""

    id: str
    name: str
    description: str | None = None
    iframe_url_path: str | None = None


class Project(ApiModel):
    """A project, with the fields the official SDK's ``Project`` reads.

    The relationship fields (``created_by``, ``organization``, ``labeling_frontend``, ``ontology``) are filled by
    ``client.projects.retrieve(project_id)``; listings leave them None. Listings of what a project holds are calls:
    ``client.projects.ontology(id)`` (the whole ontology), ``client.projects.datasets(id)``.
    """

    id: str
    name: str
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    setup_complete: datetime | None = None
    """When the project's setup was completed (its ontology connected); None while it is not."""
    last_activity_time: datetime | None = None
    auto_audit_number_of_labels: int | None = None
    """Labels per data row of the consensus quality mode (1 for benchmark only)."""
    auto_audit_percentage: float | None = None
    """The share of data rows that get consensus labels (the API's "coverage")."""
    data_row_count: int | None = None
    editor_task_type: str | None = None
    allowed_media_type: str | None = None
    """The media type of the project's data rows, e.g. ``"IMAGE"``."""
    model_setup_complete: bool | None = None
    upload_type: str | None = None
    is_benchmark_enabled: bool | None = None
    is_consensus_enabled: bool | None = None
    queue_mode: str | None = None
    """How the project queues its data rows, as the SDK's ``Project.queue_mode``: ``"BATCH"`` (batches; the one mode
    the API still creates) or the legacy ``"DATA_SET"`` (retrieve only)."""
    created_by: UserRef | None = None
    """Who created the project (retrieve only)."""
    organization: OrganizationRef | None = None
    """The project's organization (retrieve only)."""
    labeling_frontend: LabelingFrontend | None = None
    """The project's editor, once connected (retrieve only)."""
    ontology: OntologyRef | None = None
    """The project's ontology, once connected (retrieve only)."""

    @property
    def quality_modes(self) -> frozenset[QualityMode]:
        """The quality modes the project was created with.

        Example:
            >>> project = await client.projects.create(
            ...     "Roofs", media_type=MediaType.IMAGE, quality_modes={QualityMode.BENCHMARK}
            ... )
            >>> (await client.projects.retrieve(project.id)).quality_modes
            frozenset({<QualityMode.BENCHMARK: 'BENCHMARK'>})
        """
        modes = {QualityMode.BENCHMARK} if self.is_benchmark_enabled else set()
        if self.is_consensus_enabled:
            modes.add(QualityMode.CONSENSUS)
        return frozenset(modes)
