"""A Labelbox model: the ML model whose runs are evaluated against an ontology."""

from __future__ import annotations

from alabelbox.types._api import ApiModel

__all__ = ["Model"]


class Model(ApiModel):
    """A model, as the official SDK's ``Model`` reads it.

    Example:
        >>> model = Model.model_validate({"id": "m1", "name": "detector", "ontologyId": "o1"})
        >>> model.ontology_id
        'o1'
    """

    id: str
    name: str
    ontology_id: str | None = None
    """The ontology its runs' labels and predictions use."""
