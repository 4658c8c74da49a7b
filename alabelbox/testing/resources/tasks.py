"""Tasks (long-running work): ``task(where:)`` and ``User.createdTasks``.

State: every task by id, in creation order. A task is any record with ``id``, ``user`` and
``as_graphql(now)``; export tasks are the first kind (``exports`` adds their file fields to ``Task``), and
data-row creation, global-key and import tasks register here through :meth:`Tasks.add`.
"""

from __future__ import annotations

from typing import Any, Protocol

from .._data import K_TASK, JSONDict
from ._base import Info, Resolver, Resource, not_found, page

SDL = """
input TaskWhereInput { id: ID }

type Task { id: ID! name: String type: String status: String completionPercentage: Float
  createdAt: DateTime updatedAt: DateTime errors: Json result: Json metadata: Json
  createdBy: User }

extend type User { createdTasks(where: TaskWhereInput, skip: Int, first: PageSize): [Task!]! }
extend type Query { task(where: WhereUniqueIdInput): Task }
"""


class TaskRecord(Protocol):
    """What the tasks resource needs of a task of any kind."""

    id: str
    user: int

    def as_graphql(self, now: float) -> JSONDict: ...


class Tasks(Resource):
    """Every task, of every kind."""

    SDL = SDL
    EXTENDS = frozenset({"User"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.by_id: dict[str, Any] = {}
        self._counter = 0

    def new_id(self) -> str:
        """A fresh task id."""
        self._counter += 1
        return self.world.ids.encode(K_TASK, 0, self._counter)

    def add(self, task: TaskRecord) -> None:
        """Register a task so that ``task(where:)`` and ``createdTasks`` find it."""
        self.by_id[task.id] = task

    def obj(self, task: TaskRecord, now: float) -> JSONDict:
        """``task`` as a GraphQL object at emulator time ``now``."""
        obj = task.as_graphql(now)
        obj["createdBy"] = lambda info: self.backend.users.obj(task.user)
        self.backend.extend("Task", obj, task)
        return obj

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        u: int = key
        obj["createdTasks"] = lambda info, where=None, skip=0, first=None: self.created_by(u, where, skip, first)

    def created_by(self, u: int, where: JSONDict | None, skip: int, first: int | None) -> list[JSONDict]:
        """``User.createdTasks``: the tasks of user ``u``, oldest first."""
        now = self.backend.clock.now()
        tasks = [t for t in self.by_id.values() if t.user == u]
        if where and where.get("id") is not None:
            tasks = [t for t in tasks if t.id == where["id"]]
        return [self.obj(t, now) for t in page(tasks, skip, first)]

    def root(self) -> dict[str, Resolver]:
        def task(info: Info, where: JSONDict | None = None) -> JSONDict:
            tid = (where or {}).get("id")
            found = self.by_id.get(str(tid))
            if found is None:
                raise not_found("task", tid)
            return self.obj(found, self.backend.clock.now())

        return {"task": task}
