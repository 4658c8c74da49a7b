"""``client.invites``: invite people to the organization (one or many, with per-address results), list, cancel."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from alabelbox._exceptions import InvalidArgumentError, ResponseModelError
from alabelbox._pagination import Paginator
from alabelbox._queries.invites import (
    CANCEL_INVITE,
    CREATE_INVITES,
    GET_ORG_INVITATIONS,
    GET_PROJECT_INVITATIONS,
    INVITE_MEMBERS,
    INVITES_LIMIT,
)
from alabelbox._validation import check_id, check_ids, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of, parse, parse_many
from alabelbox.resources.organization import RoleArg
from alabelbox.types.organization import Invite, InviteLimit, InviteResult, InviteStatus

__all__ = ["Invites"]

#: Addresses per ``inviteMembers`` request, as the SDK sends them.
INVITE_BATCH_SIZE = 100
#: The longest address the API accepts.
EMAIL_MAX_LENGTH = 320
#: Invites per page of a listing.
INVITES_PAGE_SIZE = 100


class Invites(Resource):
    """Invitations to the organization: ``client.invites``.

    Example:
        >>> results = await client.invites.create_many(["ada@example.org", "grace@example.org"], role="LABELER")
        >>> [str(r.status) for r in results]
        ['INVITED', 'INVITED']
    """

    async def create(
        self,
        email: str,
        role: RoleArg,
        *,
        project_roles: Iterable[tuple[str, RoleArg]] = (),
        timeout: TimeoutArg = DEFAULT,
    ) -> Invite:
        """Invite one person (the SDK's ``organization.invite_user``).

        Args:
            email: Their address.
            role: The organization role. With ``project_roles``, it must be ``NONE`` (a project-based member).
            project_roles: ``(project_id, role)`` pairs: the projects they get and their role in each.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: Project roles with an organization role other than ``NONE``, or an unknown role.
            UnexpectedResponseError: The server invited no one (the address is already a member, or no seat is
                left): use :meth:`create_many` to learn which.

        Example:
            >>> invite = await client.invites.create("linus@example.org", "REVIEWER")
            >>> invite.email, invite.organization_role_name
            ('linus@example.org', 'Reviewer')
        """
        organization = self._client.organization
        chosen = await organization.role(role, timeout=timeout)
        pairs = [(check_id("project_id", p), await organization.role(r, timeout=timeout)) for p, r in project_roles]
        if pairs and chosen.key != "NONE":
            raise InvalidArgumentError(
                "project_roles", f"need the organization role NONE (a project-based member), got {chosen.name!r}"
            )
        me = await self._client.users.me(timeout=timeout)
        org = await organization.retrieve(timeout=timeout)
        item = {
            "inviterId": me.id,
            "inviteeEmail": email,
            "organizationId": org.id,
            "organizationRoleId": chosen.id,
            "projects": [{"projectId": p, "projectRoleId": r.id} for p, r in pairs],
            "userGroupIds": [],
            "userGroupWithRoleIds": [],
        }
        operation, _ = operation_of(CREATE_INVITES)
        answers = await self._mutate(CREATE_INVITES, {"data": [item]}, timeout=timeout)
        invite = answers[0].get("invite") if isinstance(answers, list) and answers else None
        if not isinstance(invite, dict):
            raise ResponseModelError(
                f"the server invited no one for {email!r} (already a member, or no seat left)", operation=operation
            )
        return parse(Invite, invite, operation)

    async def create_many(
        self,
        emails: Iterable[str],
        role: RoleArg,
        *,
        project_ids: Iterable[str] = (),
        timeout: TimeoutArg = DEFAULT,
    ) -> builtins.list[InviteResult]:
        """Invite many people at once: one result per address, in order (the SDK's ``organization.invite_users``).

        Without ``project_ids`` this is a workspace-wide invitation and ``role`` is the organization role; with
        them, ``role`` is the role on each project. One bad address does not stop the others. Addresses go in
        requests of 100; a repeated address (in any case, with spaces around) is ``DUPLICATE`` without being sent
        twice, and one longer than the API allows is ``INVALID_EMAIL`` without being sent. Sending the same list
        again is safe: those invited before come back ``ALREADY_INVITED`` or ``ALREADY_MEMBER``.

        Raises:
            InvalidArgumentError: No address, a string instead of a list, or a workspace-wide ``NONE`` role.
            LabelboxError: A request refused as a whole; the requests before it stay sent (send the same list
                again to continue).

        Example:
            >>> results = await client.invites.create_many(["a@example.org", "A@example.org "], role="LABELER")
            >>> [str(r.status) for r in results]
            ['INVITED', 'DUPLICATE']
        """
        if isinstance(emails, str):
            raise InvalidArgumentError("emails", "must be a list of addresses, not a string")
        addresses = builtins.list(emails)
        if not addresses:
            raise InvalidArgumentError("emails", "must hold at least one address")
        for index, email in enumerate(addresses):
            if not isinstance(email, str):
                raise InvalidArgumentError("emails", f"[{index}] is a {type(email).__name__}, not an address")
        projects = check_ids("project_ids", builtins.list(project_ids)) if project_ids else []
        chosen = await self._client.organization.role(role, timeout=timeout)
        workspace_wide = not projects
        if workspace_wide and chosen.key == "NONE":
            raise InvalidArgumentError("role", "a workspace-wide invitation needs an organization role, not NONE")

        first: dict[str, int] = {}
        unique: builtins.list[str] = []
        blocked: dict[str, InviteResult] = {}
        for email in addresses:
            key = email.strip().lower()
            if key in first or key in blocked:
                continue
            if len(email.strip()) > EMAIL_MAX_LENGTH:
                blocked[key] = InviteResult(email=email.strip(), status=InviteStatus.INVALID_EMAIL)
                continue
            first[key] = len(unique)
            unique.append(email)
        operation, _ = operation_of(INVITE_MEMBERS)
        sent: builtins.list[InviteResult] = []
        for start in range(0, len(unique), INVITE_BATCH_SIZE):
            batch = unique[start : start + INVITE_BATCH_SIZE]
            data = {
                "emails": batch,
                "workspaceWide": workspace_wide,
                "roleId": chosen.id,
                "projectIds": projects,
                "groupIds": [],
            }
            path = ("inviteMembers", "results")
            answer = await self._mutate(INVITE_MEMBERS, {"data": data}, path=path, timeout=timeout)
            got = parse_many(InviteResult, answer, operation)
            if len(got) != len(batch):
                raise ResponseModelError(f"{len(batch)} addresses sent, {len(got)} answered", operation=operation)
            sent.extend(got)
        results: builtins.list[InviteResult] = []
        seen: set[str] = set()
        for email in addresses:
            key = email.strip().lower()
            prior = blocked[key] if key in blocked else sent[first[key]]
            if key in seen:
                results.append(InviteResult(email=prior.email, status=InviteStatus.DUPLICATE))
            else:
                seen.add(key)
                results.append(prior)
        return results

    def list(
        self,
        *,
        project_id: str | None = None,
        page_size: int = INVITES_PAGE_SIZE,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Invite]:
        """Pending invitations of the organization, or those giving access to one project, by cursor (the SDK's
        ``organization.get_invites()`` / ``get_project_invites(project_id)``).

        Example:
            >>> pending = [invite.email async for invite in client.invites.list()]
        """
        check_positive_int("page_size", page_size)
        if project_id is None:
            return self._cursor_listing(
                GET_ORG_INVITATIONS,
                {},
                Invite,
                path=("organization", "invites"),
                cursor=("nextCursor",),
                has_more=None,
                page_size=page_size,
                timeout=timeout,
            )
        return self._cursor_listing(
            GET_PROJECT_INVITATIONS,
            {"projectId": check_id("project_id", project_id)},
            Invite,
            path=("project", "invites"),
            cursor=("nextCursor",),
            has_more=None,
            page_size=page_size,
            timeout=timeout,
        )

    async def cancel(self, invite_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Cancel a pending invitation, so it can no longer be accepted (the SDK's ``invite.cancel()``).

        Raises:
            ResourceNotFoundError: No such pending invitation.

        Example:
            >>> invite = await client.invites.create("tim@example.org", "LABELER")
            >>> await client.invites.cancel(invite.id)
        """
        variables = {"where": {"id": check_id("invite_id", invite_id)}}
        await self._mutate(CANCEL_INVITE, variables, experimental=True, timeout=timeout)

    async def limit(self, *, timeout: TimeoutArg = DEFAULT) -> InviteLimit:
        """The organization's seats: used (users and pending invites), the limit, what remains (the SDK's
        ``organization.invite_limit()``).

        Example:
            >>> seats = await client.invites.limit()
            >>> seats.remaining == seats.limit - seats.used
            True
        """
        org = await self._client.organization.retrieve(timeout=timeout)
        return await self._retrieve(INVITES_LIMIT, {"organizationId": org.id}, InviteLimit, timeout=timeout)
