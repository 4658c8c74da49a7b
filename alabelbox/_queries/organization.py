"""Organization queries: the organization, roles, users' roles and removal, IAM integrations, invitations.

Operation names and texts follow the SDK's.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CANCEL_INVITE",
    "CREATE_INVITES",
    "DELETE_MEMBER",
    "GET_ALL_INTEGRATIONS",
    "GET_AVAILABLE_USER_ROLES",
    "GET_ORGANIZATION",
    "GET_ORG_INVITATIONS",
    "GET_PROJECT_INVITATIONS",
    "INVITES_LIMIT",
    "INVITE_FIELDS",
    "INVITE_MEMBERS",
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
INVITES_LIMIT: Final = (
    "query InvitesLimitPyApi($organizationId: ID!) "
    "{ invitesLimit(where: {id: $organizationId}) { used limit remaining } }"
)

#: An invitation as the listings give it.
INVITE_FIELDS: Final = "id createdAt organizationRoleName inviteeEmail projectInvites { id projectRoleName projectId }"
CREATE_INVITES: Final = (
    "mutation createInvitesPyApi($data: [CreateInviteInput!])"
    f"{{createInvites(data: $data){{ invite {{ {INVITE_FIELDS} }}}}}}"
)
INVITE_MEMBERS: Final = (
    "mutation InviteMembersPyApi($data: InviteMembersInput!) "
    "{ inviteMembers(data: $data) { results { email status reason inviteId } } }"
)
GET_ORG_INVITATIONS: Final = (
    "query GetOrgInvitationsPyApi($from: ID, $first: PageSize) "
    f"{{ organization {{ id invites(from: $from, first: $first) {{ nodes {{ {INVITE_FIELDS} }} nextCursor }} }} }}"
)
GET_PROJECT_INVITATIONS: Final = (
    "query GetProjectInvitationsPyApi($from: ID, $first: PageSize, $projectId: ID!) "
    "{ project(where: { id: $projectId }) { id invites(from: $from, first: $first) "
    f"{{ nodes {{ {INVITE_FIELDS} }} nextCursor }} }} }}"
)
CANCEL_INVITE: Final = "mutation CancelInvitePyApi($where: WhereUniqueIdInput!) { cancelInvite(where: $where) { id } }"
