"""Organization queries: the organization, roles, users' roles and removal, IAM integrations.

Operation names and texts follow the SDK's.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DELETE_MEMBER",
    "GET_ALL_INTEGRATIONS",
    "GET_AVAILABLE_USER_ROLES",
    "GET_ORGANIZATION",
    "SET_ORGANIZATION_ROLE",
]

GET_ORGANIZATION: Final = "query GetOrganizationPyApi{organization{createdAt name id updatedAt}}"
GET_AVAILABLE_USER_ROLES: Final = "query GetAvailableUserRolesPyApi { roles { id name } }"
SET_ORGANIZATION_ROLE: Final = (
    "mutation SetOrganizationRolePyApi($userId: ID!, $roleId: ID!) "
    "{ setOrganizationRole(data: {userId: $userId, roleId: $roleId}) { id name } }"
)
DELETE_MEMBER: Final = (
    "mutation DeleteMemberPyApi($userId: ID!) "
    "{ updateUser(where: {id: $userId}, data: {deleted: true}) { id deleted } }"
)
GET_ALL_INTEGRATIONS: Final = (
    "query getAllIntegrationsPyApi { iamIntegrations { createdAt isOrgDefault lastValidAt name provider id updatedAt"
    " valid settings { __typename ... on AwsIamIntegrationSettings {roleArn}"
    " ... on GcpIamIntegrationSettings {serviceAccountEmailId readBucket} } } }"
)
