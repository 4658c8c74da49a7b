"""Invitations: ``createInvites``, ``inviteMembers``, ``invitesLimit``, ``cancelInvite``, and the invites listings.

State: the pending invites by id, in creation order. The seat limit counts the organization's users and its pending
invites (``used = users + invites``, as the SDK documents ``invite_limit``); an invite past it is refused per address
with ``SEAT_LIMIT``. ``inviteMembers`` answers one result per address of the request, in order: an address that is not
one is ``INVALID_EMAIL``, one already in the organization ``ALREADY_MEMBER`` (or ``ADDED`` when projects are given),
one already invited ``ALREADY_INVITED``, and a repeat within the request ``DUPLICATE``.
"""

from __future__ import annotations

import re
from typing import Any

from .._data import JSONDict
from .._ids import iso_ms
from ._base import Info, Resolver, Resource, bad_input, experimental_only, not_found

SDL = """
input CreateInviteProjectInput { projectId: ID! projectRoleId: ID! }
input UserGroupWithRoleInput { groupId: ID! roleId: ID! }
input CreateInviteInput { inviterId: ID! inviteeEmail: String! organizationId: ID! organizationRoleId: ID!
  projects: [CreateInviteProjectInput!] userGroupIds: [ID!] userGroupWithRoleIds: [UserGroupWithRoleInput!] }
input InviteMembersInput { emails: [String!]! workspaceWide: Boolean! roleId: ID! projectIds: [ID!] groupIds: [ID!] }

type ProjectInvite { id: ID! projectRoleName: String! projectId: ID! }
type Invite { id: ID! createdAt: DateTime organizationRoleName: String! inviteeEmail: String! inviter: User
  projectInvites: [ProjectInvite!]! }
type InviteResponse { invite: Invite }
type InviteMemberResult { email: String! status: String! reason: String inviteId: ID }
type InviteMembersResponse { results: [InviteMemberResult!]! }
type InvitesLimit { used: Int! limit: Int! remaining: Int! }
type InviteConnection { nodes: [Invite!]! nextCursor: String }

extend type Organization { invites(from: ID, first: PageSize): InviteConnection! }
extend type Project { invites(from: ID, first: PageSize): InviteConnection! }
extend type Query { invitesLimit(where: WhereUniqueIdInput!): InvitesLimit! }
extend type Mutation {
  createInvites(data: [CreateInviteInput!]): [InviteResponse!]!
  inviteMembers(data: InviteMembersInput!): InviteMembersResponse!
  cancelInvite(where: WhereUniqueIdInput!): Invite
}
"""

#: Seats of the emulated organization: users plus pending invites.
SEAT_LIMIT = 100
#: The longest address the API accepts.
EMAIL_MAX_LENGTH = 320
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Invites(Resource):
    """Pending invitations of the organization."""

    SDL = SDL
    EXTENDS = frozenset({"Organization", "Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.by_id: dict[str, JSONDict] = {}
        self._counter = 0
        self.seat_limit = SEAT_LIMIT

    # ------------------------------------------------------------ state

    def _members(self) -> dict[str, int]:
        roles = self.backend.roles
        return {self.world.email(u).lower(): u for u in range(self.world.n_users) if roles.live(u)}

    def _pending(self) -> dict[str, str]:
        return {record["inviteeEmail"].lower(): invite_id for invite_id, record in self.by_id.items()}

    def limit(self) -> JSONDict:
        used = len(self._members()) + len(self.by_id)
        return {"used": used, "limit": self.seat_limit, "remaining": max(0, self.seat_limit - used)}

    def _add(self, email: str, role_name: str, projects: list[JSONDict]) -> str:
        self._counter += 1
        invite_id = self.world.ids.encode("i", 36**3 - 4, self._counter)
        roles = self.backend.roles
        self.by_id[invite_id] = {
            "id": invite_id,
            "createdAt": iso_ms(self.backend.clock.now()),
            "organizationRoleName": role_name,
            "inviteeEmail": email,
            "projectInvites": [
                {
                    "id": f"{invite_id}-{k}",
                    "projectRoleName": roles.names.get(str(p.get("projectRoleId")), "None"),
                    "projectId": p["projectId"],
                }
                for k, p in enumerate(projects)
            ],
        }
        return invite_id

    def obj(self, invite_id: str) -> JSONDict:
        obj = dict(self.by_id[invite_id])
        obj["inviter"] = lambda info: self.backend.users.obj(0)
        return obj

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if type_name == "Organization":
            obj["invites"] = lambda info, first=None, **cursor: self._connection(list(self.by_id), cursor, first)
        else:
            project_id = key if isinstance(key, str) else self.world.project_id(key)  # a created key is its id
            obj["invites"] = lambda info, first=None, **cursor: self._connection(
                [i for i, r in self.by_id.items() if any(p["projectId"] == project_id for p in r["projectInvites"])],
                cursor,
                first,
            )

    def _connection(self, ids: list[str], cursor: JSONDict, first: int | None) -> JSONDict:
        after = cursor.get("from")
        start = ids.index(after) + 1 if after in ids else 0
        size = first or 100
        chosen = ids[start : start + size]
        more = start + size < len(ids)
        return {"nodes": [self.obj(i) for i in chosen], "nextCursor": chosen[-1] if more and chosen else None}

    # ------------------------------------------------------------ writes

    def _role_name(self, role_id: object) -> str:
        name = self.backend.roles.names.get(str(role_id))
        if name is None:
            raise not_found("role", role_id)
        return name

    def create_invites(self, data: list[JSONDict] | None) -> list[JSONDict]:
        out: list[JSONDict] = []
        for item in data or []:
            email = str(item.get("inviteeEmail") or "").strip()
            role_name = self._role_name(item.get("organizationRoleId"))
            projects = list(item.get("projects") or [])
            for p in projects:
                if self.backend.projects.find_key(p.get("projectId")) is None:
                    raise not_found("project", p.get("projectId"))
            if not _EMAIL.match(email) or len(email) > EMAIL_MAX_LENGTH:
                raise bad_input(f"{email!r} is not an email address")
            if email.lower() in self._members() or self.limit()["remaining"] <= 0:
                out.append({"invite": None})  # the API answers null for an address it will not invite
                continue
            out.append({"invite": self.obj(self._add(email, role_name, projects))})
        return out

    def invite_members(self, data: JSONDict) -> JSONDict:
        role_name = self._role_name(data.get("roleId"))
        workspace_wide = bool(data.get("workspaceWide"))
        if workspace_wide and role_name == "None":
            raise bad_input("A workspace-wide invitation needs an organization role")
        project_ids = list(data.get("projectIds") or [])
        for project_id in project_ids:
            if self.backend.projects.find_key(project_id) is None:
                raise not_found("project", project_id)
        projects = [{"projectId": p, "projectRoleId": data.get("roleId")} for p in project_ids]
        members, pending = self._members(), self._pending()
        seen: set[str] = set()
        results = []
        for raw in data.get("emails") or []:
            email = str(raw).strip()
            key = email.lower()
            result: JSONDict = {"email": email, "reason": None, "inviteId": None}
            if not _EMAIL.match(email) or len(email) > EMAIL_MAX_LENGTH:
                result["status"] = "INVALID_EMAIL"
            elif key in seen:
                result.update(email=key, status="DUPLICATE")
            elif key in members:
                result.update(email=key, status="ALREADY_MEMBER" if workspace_wide else "ADDED")
            elif key in pending:
                result.update(email=key, status="ALREADY_INVITED", inviteId=pending[key])
            elif self.limit()["remaining"] <= 0:
                result.update(email=key, status="SEAT_LIMIT")
            else:
                organization_role = role_name if workspace_wide else "None"
                result.update(email=key, status="INVITED", inviteId=self._add(key, organization_role, projects))
            seen.add(key)
            results.append(result)
        return {"results": results}

    def cancel(self, info: Info, where: JSONDict) -> JSONDict:
        experimental_only(info, "cancelInvite", "Mutation")
        invite_id = where.get("id")
        if invite_id not in self.by_id:
            raise not_found("invite", invite_id)
        obj = self.obj(str(invite_id))
        del self.by_id[str(invite_id)]
        return obj

    def root(self) -> dict[str, Resolver]:
        def invites_limit(info: Info, where: JSONDict) -> JSONDict:
            if where.get("id") != self.world.org_id:
                raise not_found("organization", where.get("id"))
            return self.limit()

        return {
            "invitesLimit": invites_limit,
            "createInvites": lambda info, data=None: self.create_invites(data),
            "inviteMembers": lambda info, data: self.invite_members(data),
            "cancelInvite": self.cancel,
        }
