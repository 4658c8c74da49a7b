"""A label as the GraphQL API returns it (``project.labels``, ``label(where: {id})``).

The ``label`` member is the legacy (v1) JSON string; :attr:`Label.legacy_label` parses it on first use only, so
listing a million labels does not parse a million annotation documents nobody reads.
"""

from __future__ import annotations

import enum
import json
from datetime import datetime
from functools import cached_property
from typing import Literal

from pydantic import ValidationError

from alabelbox._exceptions import UnexpectedResponseError
from alabelbox.types._api import ApiModel
from alabelbox.types.legacy import LegacyLabel
from alabelbox.types.user import UserRef

__all__ = ["Label", "LabelDataRow", "LabelOrder", "LabelProject", "LabelType", "LabelTypeName", "Review"]

LabelTypeName = Literal["Submitted", "Skipped"]
"""What a label is: a submitted label, or a skipped asset."""


class LabelType(ApiModel):
    """``type { id name }``: Submitted or Skipped."""

    id: str
    name: str


class LabelDataRow(ApiModel):
    """``dataRow { id rowData }``: the asset a label is on."""

    id: str
    row_data: str | None = None
    external_id: str | None = None
    global_key: str | None = None


class LabelOrder(enum.StrEnum):
    """The orders of ``client.labels.list(order_by=...)``, as the API's ``LabelOrderByInput`` (the SDK's
    ``Project.labels(order_by=(Label.created_at, Order.Desc))`` sends ``createdAt_DESC``).

    Example:
        >>> LabelOrder("createdAt_DESC") is LabelOrder.CREATED_AT_DESC
        True
    """

    ID_ASC = "id_ASC"
    ID_DESC = "id_DESC"
    CREATED_AT_ASC = "createdAt_ASC"
    CREATED_AT_DESC = "createdAt_DESC"
    UPDATED_AT_ASC = "updatedAt_ASC"
    UPDATED_AT_DESC = "updatedAt_DESC"
    AGREEMENT_ASC = "agreement_ASC"
    AGREEMENT_DESC = "agreement_DESC"
    BENCHMARK_AGREEMENT_ASC = "benchmarkAgreement_ASC"
    BENCHMARK_AGREEMENT_DESC = "benchmarkAgreement_DESC"
    SECONDS_TO_LABEL_ASC = "secondsToLabel_ASC"
    SECONDS_TO_LABEL_DESC = "secondsToLabel_DESC"


class LabelProject(ApiModel):
    """The project a label belongs to, in short (``project { id name }``)."""

    id: str
    name: str | None = None


class Review(ApiModel):
    """A review of a label."""

    id: str
    score: float | None = None
    """``1`` approved, ``-1`` rejected."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: UserRef | None = None


class Label(ApiModel):
    """A label: the annotations of one asset, with its timing and agreement metrics.

    Example:
        >>> label = await client.labels.retrieve(label_id)
        >>> label.seconds_to_create, label.type.name
        (..., '...')
        >>> [o.title for o in label.legacy_label.objects or []]
        [...]
    """

    id: str
    label: str | None = None
    """The annotations as the legacy (v1) JSON string; see :attr:`legacy_label` for the parsed form."""
    agreement: float | None = None
    """Consensus agreement, 0..1; None when there is none."""
    benchmark_agreement: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    is_benchmark_reference: bool | None = None
    seconds_to_label: float | None = None
    """Deprecated by Labelbox ("should be ignored"); kept for code that still reads it."""
    seconds_to_review: float | None = None
    """Seconds other labelers, reviewers and admins spent on the label after it was submitted."""
    seconds_to_create: float | None = None
    """Seconds the original labeler spent on the label, across visits."""
    created_by: UserRef | None = None
    type: LabelType | None = None
    data_row: LabelDataRow | None = None
    reviews: list[Review] | None = None
    project: LabelProject | None = None
    """The label's project (the SDK's ``Label.project``): selected by ``client.labels.retrieve``, and by
    ``client.labels.list`` with ``include={"project", ...}``."""

    @property
    def project_id(self) -> str | None:
        """The id of the label's project; None if ``project`` was not selected."""
        return None if self.project is None else self.project.id

    @property
    def is_skipped(self) -> bool | None:
        """Whether the asset was skipped; None if ``type`` was not selected."""
        return None if self.type is None else self.type.name == "Skipped"

    @cached_property
    def legacy_label(self) -> LegacyLabel | None:
        """The ``label`` JSON parsed into :class:`~alabelbox.types.LegacyLabel`, on first access; None if absent.

        Raises:
            UnexpectedResponseError: The string is not JSON, or not a label object.
        """
        if self.label is None:
            return None
        try:
            return LegacyLabel.model_validate(json.loads(self.label))
        except (ValueError, ValidationError) as exc:
            raise UnexpectedResponseError(
                f"label {self.id}: the label JSON is not a legacy label: {exc}",
                body_excerpt=self.label[:200],
            ) from exc
