"""A Foundry app: a Foundry model, its inference parameters and the mapping of its classes to an ontology."""

from __future__ import annotations

from typing import Any

from alabelbox.types._api import ApiModel

__all__ = ["FoundryApp"]


class FoundryApp(ApiModel):
    """A Foundry app, as the official SDK's ``App`` reads it (``client.foundry.retrieve_app``).

    Example:
        >>> app = FoundryApp.model_validate(
        ...     {"id": "a1", "modelId": "m1", "name": "boxes", "inferenceParams": {}, "classToSchemaId": {"car": "s1"},
        ...      "ontologyId": "o1"}
        ... )
        >>> app.class_to_schema_id
        {'car': 's1'}
    """

    id: str
    model_id: str
    """The Foundry model that makes the predictions (the model the app's runs belong to)."""
    name: str
    description: str | None = None
    inference_params: dict[str, Any]
    """What the model is run with (thresholds, prompts...), by the model's own names."""
    class_to_schema_id: dict[str, str]
    """The model's class names -> the feature schema ids of :attr:`ontology_id` its predictions are written as."""
    ontology_id: str
    created_by: str | None = None
    """The id of the user who created the app."""
