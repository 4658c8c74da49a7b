"""Model queries: the official SDK's requests for ``client.create_model``, ``get_model``, ``get_models`` and
``Model.delete``."""

from __future__ import annotations

from typing import Final

__all__ = ["CREATE_MODEL", "DELETE_MODEL", "GET_MODEL", "GET_MODELS", "MODEL_FIELDS"]

#: The fields the SDK reads of a model.
MODEL_FIELDS: Final = "name ontologyId id"

CREATE_MODEL: Final = f"""mutation createModelPyApi($name: String!, $ontologyId: ID!){{
  createModel(data: {{name : $name, ontologyId : $ontologyId}}){{ {MODEL_FIELDS} }}
}}"""

GET_MODEL: Final = f"query GetModelPyApi($id: ID!){{model(where: {{id: $id}}){{ {MODEL_FIELDS} }}}}"

#: The SDK inlines ``skip``/``first``; here they are variables, and the name filter a ``where`` object.
GET_MODELS: Final = (
    "query GetModelsPyApi($where: ModelWhereInput, $skip: Int, $first: PageSize)"
    f"{{models(where: $where skip: $skip first: $first){{ {MODEL_FIELDS} }}}}"
)

DELETE_MODEL: Final = "mutation DeleteModelPyApi($ids: ID!) {deleteModels(where: {ids: [$ids]})}"
