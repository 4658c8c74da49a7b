"""``client.users``: the current user, a user by id, the organization's users."""

from __future__ import annotations

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._pagination import Paginator
from alabelbox._queries.users import CURRENT_USER, LIST_USERS, RETRIEVE_USER
from alabelbox._validation import check_id
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.user import User

__all__ = ["Users"]


class Users(Resource):
    """Users: ``client.users``.

    Example:
        >>> me = await client.users.me()
        >>> me.email
        '...@...'
    """

    async def me(self, *, timeout: TimeoutArg = DEFAULT) -> User:
        """The user who owns the API key.

        Example:
            >>> me = await client.users.me()
            >>> me.id == user_id
            True
        """
        return await self._retrieve(CURRENT_USER, {}, User, timeout=timeout)

    async def retrieve(self, user_id: str, *, timeout: TimeoutArg = DEFAULT) -> User:
        """One user by id.

        Raises:
            ResourceNotFoundError: There is no such user.

        Example:
            >>> user = await client.users.retrieve(user_id)
            >>> user.email
            '...@...'
        """
        return await self._retrieve(RETRIEVE_USER, {"id": check_id("user_id", user_id)}, User, timeout=timeout)

    def list(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[User]:
        """The users of the organization.

        Example:
            >>> emails = [u.email async for u in client.users.list()]
        """
        return self._offset_listing(
            LIST_USERS, {}, User, path=("organization", "users"), page_size=page_size, window=window, timeout=timeout
        )
