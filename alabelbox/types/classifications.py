"""Classifications in export v2 records: radio, checklist and free-text answers, nested to any depth.

A classification carries one answer key; each answer can carry its own ``classifications``, which can carry answers
again, and so on. Export v2 classifications have no ``annotation_kind``: the answer key tells the kind (see
:attr:`ExportClassification.kind`).

================================  =============================================================================
answer key                        where it is seen
================================  =============================================================================
``radio_answer``                  every asset type (real: ``okavango_labels.ndjson``, the roof-wear sample)
``checklist_answers``             every asset type (documented: labelbox-python ``expected_export_v2_*``)
``text_answer``                   every asset type (documented, as above)
``conversational_radio_answer``   conversational rows, with ``message_id`` (documented: ``expected_exports_v2_mmc``)
``conversational_checklist_...``  conversational rows, with ``message_id`` (documented: ``..._conversation``)
``conversational_text_answer``    conversational rows, with ``message_id`` (documented, as above)
================================  =============================================================================
"""

from __future__ import annotations

from typing import Literal

from alabelbox.types._base import ExportModel, Lenient

__all__ = ["ClassificationAnswer", "ExportClassification", "TextAnswer"]


class ClassificationAnswer(ExportModel):
    """One chosen option of a radio or checklist classification."""

    feature_id: Lenient[str | None] = None
    """The id of this answer instance."""
    feature_schema_id: Lenient[str | None] = None
    """The ontology id of the option."""
    name: Lenient[str | None] = None
    """The option's display name."""
    value: Lenient[str | None] = None
    """The option's value as set in the ontology."""
    classifications: Lenient[list[ExportClassification] | None] = None
    """Classifications nested under this option."""


class TextAnswer(ExportModel):
    """The answer of a free-text classification."""

    content: Lenient[str | None] = None
    """The text typed by the labeler."""
    classifications: Lenient[list[ExportClassification] | None] = None
    """Classifications nested under this answer, if the ontology has any."""


class ExportClassification(ExportModel):
    """A classification (global, nested under an object or an answer, on video frames, or on one message)."""

    feature_id: Lenient[str | None] = None
    """The id of this classification instance."""
    feature_schema_id: Lenient[str | None] = None
    """The ontology id of the classification."""
    name: Lenient[str | None] = None
    value: Lenient[str | None] = None
    message_id: Lenient[str | None] = None
    """Conversational rows: the message the classification applies to."""
    radio_answer: Lenient[ClassificationAnswer | None] = None
    """Set for a radio (single choice) classification."""
    checklist_answers: Lenient[list[ClassificationAnswer] | None] = None
    """Set for a checklist (multiple choice) classification."""
    text_answer: Lenient[TextAnswer | None] = None
    """Set for a free-text classification."""
    conversational_radio_answer: Lenient[ClassificationAnswer | None] = None
    """Conversational rows: a radio classification of one message."""
    conversational_checklist_answers: Lenient[list[ClassificationAnswer] | None] = None
    """Conversational rows: a checklist classification of one message."""
    conversational_text_answer: Lenient[TextAnswer | None] = None
    """Conversational rows: a free-text classification of one message."""
    frames: Lenient[list[dict[str, int]] | None] = None
    """Video only: the frame ranges (``{"start": n, "end": m}``) the classification applies to."""

    @property
    def kind(self) -> Literal["radio", "checklist", "text", "unknown"]:
        """Which answer this classification carries (a conversational answer counts as its plain kind)."""
        if self.radio_answer is not None or self.conversational_radio_answer is not None:
            return "radio"
        if self.checklist_answers is not None or self.conversational_checklist_answers is not None:
            return "checklist"
        if self.text_answer is not None or self.conversational_text_answer is not None:
            return "text"
        return "unknown"


ClassificationAnswer.model_rebuild()
TextAnswer.model_rebuild()
