"""Resource tags: ``createResourceTag``, ``updateResourceTag``, ``Organization.resourceTag``, and project tags.

State: the organization's tags by id, in creation order, and each project's tag ids. ``updateProjectResourceTags``
replaces a project's tags with the ones given (an unknown id is refused) and answers the project's tags.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from ._base import Resolver, Resource, bad_input, not_found

SDL = """
input ResourceTagCreateInput { text: String! color: String! }
input ResourceTagUpdateInput { text: String color: String }
input UpdateProjectResourceTagsInput { resourceTagIds: [String!] }
type ResourceTag { id: ID! text: String! color: String! }

extend type Organization { resourceTag: [ResourceTag!]! }
extend type Project {
  resourceTags: [ResourceTag!]!
  updateProjectResourceTags(input: UpdateProjectResourceTagsInput!): [ResourceTag!]!
}
extend type Mutation {
  createResourceTag(input: ResourceTagCreateInput!): ResourceTag!
  updateResourceTag(where: WhereUniqueIdInput!, data: ResourceTagUpdateInput!): ResourceTag!
}
"""


class ResourceTags(Resource):
    """The organization's resource tags and the tags of each project."""

    SDL = SDL
    EXTENDS = frozenset({"Organization", "Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.by_id: dict[str, JSONDict] = {}
        self.project_tags: dict[Any, list[str]] = {}
        self._counter = 0

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "Organization":
            obj["resourceTag"] = lambda info: [dict(t) for t in self.by_id.values()]
            return
        obj["resourceTags"] = lambda info: self._of(key)
        obj["updateProjectResourceTags"] = lambda info, input: self._set(key, input.get("resourceTagIds") or [])

    def _of(self, key: Any) -> list[JSONDict]:
        return [dict(self.by_id[t]) for t in self.project_tags.get(key, []) if t in self.by_id]

    def _set(self, key: Any, tag_ids: list[str]) -> list[JSONDict]:
        for tag_id in tag_ids:
            if tag_id not in self.by_id:
                raise not_found("resource tag", tag_id)
        self.project_tags[key] = list(dict.fromkeys(tag_ids))
        return self._of(key)

    def create(self, data: JSONDict) -> JSONDict:
        text, color = str(data.get("text") or ""), str(data.get("color") or "")
        if not text.strip():
            raise bad_input("A resource tag's text must not be blank")
        if any(t["text"] == text for t in self.by_id.values()):
            raise bad_input(f"A resource tag {text!r} already exists")
        self._counter += 1
        tag_id = self.world.ids.encode("g", 36**3 - 5, self._counter)
        self.by_id[tag_id] = {"id": tag_id, "text": text, "color": color}
        return dict(self.by_id[tag_id])

    def update(self, where: JSONDict, data: JSONDict) -> JSONDict:
        tag = self.by_id.get(str(where.get("id")))
        if tag is None:
            raise not_found("resource tag", where.get("id"))
        for field in ("text", "color"):
            if data.get(field) is not None:
                tag[field] = str(data[field])
        return dict(tag)

    def root(self) -> dict[str, Resolver]:
        return {
            "createResourceTag": lambda info, input: self.create(input),
            "updateResourceTag": lambda info, where, data: self.update(where, data),
        }
