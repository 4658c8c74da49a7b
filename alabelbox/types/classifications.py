"""Classifications in export v2 records: radio, checklist and free-text answers, nested to any depth.

A classification carries exactly one of ``radio_answer``, ``checklist_answers`` or ``text_answer``; each answer can
carry its own ``classifications``, which can carry answers again, and so on. Export v2 classifications have no
``annotation_kind``: the answer key tells the kind (see :attr:`ExportClassification.kind`).
"""

from __future__ import annotations

from typing import Literal

from alabelbox.types._base import ExportModel

__all__ = ["ClassificationAnswer", "ExportClassification", "TextAnswer"]


class ClassificationAnswer(ExportModel):
    """One chosen option of a radio or checklist classification."""

    feature_id: str | None = None
    """The id of this answer instance."""
    feature_schema_id: str | None = None
    """The ontology id of the option."""
    name: str | None = None
    """The option's display name."""
    value: str | None = None
    """The option's value as set in the ontology."""
    classifications: list[ExportClassification] | None = None
    """Classifications nested under this option."""


class TextAnswer(ExportModel):
    """The answer of a free-text classification."""

    content: str | None = None
    """The text typed by the labeler."""
    classifications: list[ExportClassification] | None = None
    """Classifications nested under this answer, if the ontology has any."""


class ExportClassification(ExportModel):
    """A classification (global, nested under an object, or on video frames)."""

    feature_id: str | None = None
    """The id of this classification instance."""
    feature_schema_id: str | None = None
    """The ontology id of the classification."""
    name: str | None = None
    value: str | None = None
    radio_answer: ClassificationAnswer | None = None
    """Set for a radio (single choice) classification."""
    checklist_answers: list[ClassificationAnswer] | None = None
    """Set for a checklist (multiple choice) classification."""
    text_answer: TextAnswer | None = None
    """Set for a free-text classification."""
    frames: list[dict[str, int]] | None = None
    """Video only: the frame ranges (``{"start": n, "end": m}``) the classification applies to."""

    @property
    def kind(self) -> Literal["radio", "checklist", "text", "unknown"]:
        """Which answer this classification carries."""
        if self.radio_answer is not None:
            return "radio"
        if self.checklist_answers is not None:
            return "checklist"
        if self.text_answer is not None:
            return "text"
        return "unknown"


ClassificationAnswer.model_rebuild()
TextAnswer.model_rebuild()
