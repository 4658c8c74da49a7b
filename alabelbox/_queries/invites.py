"""Invitation queries, with the SDK's operation names and texts."""

from __future__ import annotations

from typing import Final

__all__ = [
    "CANCEL_INVITE",
    "CREATE_INVITES",
    "GET_ORG_INVITATIONS",
    "GET_PROJECT_INVITATIONS",
    "INVITES_LIMIT",
    "INVITE_FIELDS",
    "INVITE_MEMBERS",
]

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
