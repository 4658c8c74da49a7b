"""Models (the ML models that model runs belong to): ``createModel``, ``model``, ``models``, ``deleteModels``.

State: a :class:`~alabelbox.testing._store.Table` of created models (none are seeded). A model names the ontology
its runs are judged against, which must exist when the model is created. Deleting a model deletes its runs
(``model_runs`` is asked to). Other resources look a model up with :meth:`Models.find`.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from .._ids import iso_ms
from .._store import Table
from ._base import Info, Resolver, Resource, bad_input, not_found, table_listing

K_MODEL = "m"
"""The id kind of models."""
CREATED = 36**3 - 1
"""The id ``parent`` of created models."""

SDL = """
input ModelWhereInput { id: ID name: String name_contains: String }
input ModelCreateInput { name: String! ontologyId: ID! }
input ModelIdsWhereInput { ids: [ID!]! }

type Model { id: ID! name: String! ontologyId: ID! createdAt: DateTime updatedAt: DateTime
  ontology: Ontology }

extend type Query {
  model(where: ModelWhereInput!): Model
  models(where: ModelWhereInput, skip: Int, first: PageSize): [Model!]!
}
extend type Mutation {
  createModel(data: ModelCreateInput!): Model!
  deleteModels(where: ModelIdsWhereInput!): Boolean
}
"""


class Models(Resource):
    """Created models, over a writable table keyed by id."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.table = Table(lambda k: {}, 0)
        self._serial = 0

    def find(self, value: object) -> str | None:
        """The id of the live model with id ``value``, or None."""
        return value if isinstance(value, str) and self.table.has(value) else None

    def obj(self, key: str) -> JSONDict:
        """Model ``key`` as a GraphQL object (``modelRuns`` is added by ``model_runs``)."""
        obj = self.table.get(key)
        oid = obj["ontologyId"]
        ontologies = self.backend.ontologies
        obj["ontology"] = lambda info: ontologies.ontology_obj(oid) if ontologies.ontologies.has(oid) else None
        self.backend.extend("Model", obj, key)
        return obj

    def create(self, name: str, ontology_id: str) -> str:
        """Create a model judged against ontology ``ontology_id``; its id."""
        if not name.strip():
            raise bad_input("A model name must not be blank")
        if not self.backend.ontologies.ontologies.has(ontology_id):
            raise not_found("ontology", ontology_id)
        self._serial += 1
        stamp = iso_ms(self.backend.clock.now())
        return self.table.create(
            {
                "id": self.world.ids.encode(K_MODEL, CREATED, self._serial),
                "name": name,
                "ontologyId": ontology_id,
                "createdAt": stamp,
                "updatedAt": stamp,
            }
        )

    def delete(self, ids: list[str]) -> bool:
        """Delete the models ``ids`` (and their runs); an unknown id is RESOURCE_NOT_FOUND and deletes nothing."""
        missing = [i for i in ids if self.find(i) is None]
        if missing:
            raise not_found("model", missing[0])
        for key in ids:
            self.backend.model_runs.delete_of_model(key)
            self.table.delete(key)
        return True

    def root(self) -> dict[str, Resolver]:
        def model(info: Info, where: JSONDict) -> JSONDict | None:
            key = self.find(where.get("id"))
            return None if key is None else self.obj(key)

        def models(info: Info, where: JSONDict | None = None, skip: int = 0, first: int | None = None) -> Any:
            return table_listing(self.table, self.obj, where, skip, first, None)

        def create_model(info: Info, data: JSONDict) -> JSONDict:
            return self.obj(self.create(str(data["name"]), str(data["ontologyId"])))

        def delete_models(info: Info, where: JSONDict) -> bool:
            return self.delete([str(i) for i in where["ids"]])

        return {"model": model, "models": models, "createModel": create_model, "deleteModels": delete_models}
