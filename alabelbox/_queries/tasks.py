"""Task queries: one server-side task of the key's user, by id."""

from __future__ import annotations

from typing import Final

__all__ = ["GET_USER_CREATED_TASKS", "LIST_USER_CREATED_TASKS", "TASK_FIELDS"]

#: The fields the SDK reads of a task.
TASK_FIELDS: Final = "completionPercentage createdAt errors metadata name result status type id updatedAt"

#: One call per poll: the key's own user (its id: the task's creator), and its task by id (the SDK first asks for
#: the user id, then polls).
GET_USER_CREATED_TASKS: Final = (
    "query GetUserCreatedTasksPyApi($taskId: ID!)"
    f"{{user{{id createdTasks(where: {{id: $taskId}} skip: 0 first: 1){{{TASK_FIELDS}}}}}}}"
)

#: The key's user's tasks, oldest first, as the SDK's ``User.created_tasks()`` walks them (its id: their creator).
LIST_USER_CREATED_TASKS: Final = (
    "query ListUserCreatedTasks($skip: Int, $first: PageSize)"
    f"{{user{{id createdTasks(skip: $skip first: $first){{{TASK_FIELDS}}}}}}}"
)
