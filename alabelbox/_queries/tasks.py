"""Task queries: one server-side task of the key's user, by id."""

from __future__ import annotations

from typing import Final

__all__ = ["GET_USER_CREATED_TASKS"]

#: One call per poll: the key's own user, and its task by id (the SDK first asks for the user id, then polls).
GET_USER_CREATED_TASKS: Final = (
    "query GetUserCreatedTasksPyApi($taskId: ID!)"
    "{user{createdTasks(where: {id: $taskId} skip: 0 first: 1)"
    "{completionPercentage createdAt errors metadata name result status type id updatedAt}}}"
)
