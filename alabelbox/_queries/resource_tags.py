"""Resource tag queries, with the SDK's operation names and texts."""

from __future__ import annotations

from typing import Final

__all__ = [
    "CREATE_RESOURCE_TAG",
    "GET_ORGANIZATION_RESOURCE_TAGS",
    "GET_PROJECT_RESOURCE_TAGS",
    "RESOURCE_TAG_FIELDS",
    "UPDATE_PROJECT_RESOURCE_TAGS",
    "update_resource_tag",
]

RESOURCE_TAG_FIELDS: Final = "color text id"

CREATE_RESOURCE_TAG: Final = (
    "mutation CreateResourceTagPyApi($text:String!,$color:String!) "
    f"{{ createResourceTag(input:{{text:$text,color:$color}}) {{{RESOURCE_TAG_FIELDS}}}}}"
)
GET_ORGANIZATION_RESOURCE_TAGS: Final = (
    f"query GetOrganizationResourceTagsPyApi{{organization{{resourceTag{{{RESOURCE_TAG_FIELDS}}}}}}}"
)
GET_PROJECT_RESOURCE_TAGS: Final = (
    "query GetProjectResourceTagsPyApi($projectId: ID!) "
    f"{{ project(where: {{id: $projectId}}) {{ name resourceTags {{{RESOURCE_TAG_FIELDS}}} }} }}"
)
UPDATE_PROJECT_RESOURCE_TAGS: Final = (
    "mutation UpdateProjectResourceTagsPyApi($projectId:ID!,$resourceTagIds:[String!]) "
    "{ project(where:{id:$projectId}){updateProjectResourceTags(input:{resourceTagIds:$resourceTagIds})"
    f"{{{RESOURCE_TAG_FIELDS}}}}}}}"
)


def update_resource_tag(fields: list[str]) -> str:
    """The SDK's ``updateResourceTagPyApi``, setting only ``fields`` (``text``, ``color``), each a variable.

    Example:
        >>> print(update_resource_tag(["text"]))  # doctest: +NORMALIZE_WHITESPACE
        mutation updateResourceTagPyApi($text: String!, $ResourceTagId: ID!){updateResourceTag(where:
        {id: $ResourceTagId} data: {text: $text}) {color text id}}
    """
    declared = "".join(f"${name}: String!, " for name in fields)
    data = ", ".join(f"{name}: ${name}" for name in fields)
    return (
        f"mutation updateResourceTagPyApi({declared}$ResourceTagId: ID!)"
        f"{{updateResourceTag(where: {{id: $ResourceTagId}} data: {{{data}}}) {{{RESOURCE_TAG_FIELDS}}}}}"
    )
