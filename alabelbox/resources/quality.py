"""``client.quality``: reviews and benchmarks on labels, a project's review metrics, labeler performance, issues."""

from __future__ import annotations

import json
from typing import Any

from alabelbox._exceptions import InvalidArgumentError, UnexpectedResponseError
from alabelbox._pagination import Paginator
from alabelbox._queries.quality import (
    CREATE_BENCHMARK,
    CREATE_REVIEW,
    DELETE_BENCHMARK,
    GET_LABEL_PROJECT,
    GET_PROJECT_BENCHMARKS,
    GET_PROJECT_ISSUES_EXPORT,
    LABELER_PERFORMANCE,
    project_review_metrics,
)
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, dig, operation_of
from alabelbox.types.label import Review
from alabelbox.types.quality import Benchmark, LabelerPerformance, NetScore

__all__ = ["Quality"]

#: The SDK's page size for these listings.
QUALITY_PAGE_SIZE = 100
#: The issue statuses the issues export filters by.
ISSUE_STATUSES = ("Open", "Resolved")


class Quality(Resource):
    """Label quality: ``client.quality``.

    Example:
        >>> review = await client.quality.create_review(label_id, score=1)
        >>> await client.quality.review_count(project_id, NetScore.POSITIVE) > 0
        True
    """

    async def create_review(
        self, label_id: str, score: int, *, project_id: str | None = None, timeout: TimeoutArg = DEFAULT
    ) -> Review:
        """Review a label: ``1`` approves, ``-1`` rejects, ``0`` is neutral (the SDK's ``label.create_review``).

        Args:
            label_id: The label.
            score: ``1``, ``0`` or ``-1``.
            project_id: The label's project; looked up when not given (one more request, as the SDK does).
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: A score other than -1, 0 or 1 (nothing is sent).
            ResourceNotFoundError: No such label.

        Example:
            >>> (await client.quality.create_review(label_id, score=-1, project_id=project_id)).score
            -1.0
        """
        if isinstance(score, bool) or score not in (-1, 0, 1):
            raise InvalidArgumentError("score", f"must be -1, 0 or 1, got {score!r}")
        label = check_id("label_id", label_id)
        if project_id is None:
            operation, _ = operation_of(GET_LABEL_PROJECT)
            data = await self._execute(GET_LABEL_PROJECT, {"id": label}, timeout=timeout)
            project_id = dig(data, ("label", "project", "id"), operation)
        variables = {"score": score, "label": label, "project": check_id("project_id", project_id)}
        return await self._mutate(CREATE_REVIEW, variables, Review, timeout=timeout)

    async def review_count(
        self, project_id: str, net_score: NetScore | str | None = None, *, timeout: TimeoutArg = DEFAULT
    ) -> int:
        """How many of the project's labels have reviews, and of them how many sum to a negative, zero or positive
        score (the SDK's ``project.review_metrics(net_score)``).

        Args:
            project_id: The project.
            net_score: None counts every reviewed label; a :class:`~alabelbox.types.quality.NetScore` only those.
            timeout: Limits for the request, overriding the client's.

        Example:
            >>> reviewed = await client.quality.review_count(project_id)
            >>> reviewed >= await client.quality.review_count(project_id, "Negative")
            True
        """
        literal = "None"
        if net_score is not None:
            try:
                literal = NetScore(net_score).value
            except ValueError:
                known = ", ".join(s.value for s in NetScore)
                raise InvalidArgumentError("net_score", f"is {net_score!r}, not None or one of {known}") from None
        query = project_review_metrics(literal)
        operation, _ = operation_of(query)
        data = await self._execute(query, {"projectId": check_id("project_id", project_id)}, timeout=timeout)
        count = dig(data, ("project", "reviewMetrics", "labelAggregate", "count"), operation)
        if not isinstance(count, int):
            raise UnexpectedResponseError(f"the review count is {count!r}, not an integer", operation=operation)
        return count

    async def create_benchmark(self, label_id: str, *, timeout: TimeoutArg = DEFAULT) -> Benchmark:
        """Make a label its project's benchmark for its data row (the SDK's ``label.create_benchmark()``).

        Example:
            >>> benchmark = await client.quality.create_benchmark(label_ids[1])
            >>> benchmark.label_id == label_ids[1]
            True
        """
        variables = {"labelId": check_id("label_id", label_id)}
        return await self._mutate(CREATE_BENCHMARK, variables, Benchmark, timeout=timeout)

    async def delete_benchmark(self, label_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Stop using a label as a benchmark (the SDK's ``benchmark.delete()``).

        Raises:
            ResourceNotFoundError: The label is not a benchmark.

        Example:
            >>> benchmark = await client.quality.create_benchmark(label_ids[2])
            >>> await client.quality.delete_benchmark(label_ids[2])
        """
        await self._mutate(DELETE_BENCHMARK, {"labelId": check_id("label_id", label_id)}, timeout=timeout)

    def benchmarks(
        self, project_id: str, *, page_size: int = QUALITY_PAGE_SIZE, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[Benchmark]:
        """A project's benchmarks (the SDK's ``project.benchmarks()``).

        Example:
            >>> ids = [b.label_id async for b in client.quality.benchmarks(project_id)]
        """
        return self._offset_listing(
            GET_PROJECT_BENCHMARKS,
            {"projectId": check_id("project_id", project_id)},
            Benchmark,
            path=("project", "benchmarks"),
            page_size=check_positive_int("page_size", page_size),
            window=None,
            timeout=timeout,
        )

    def labeler_performance(
        self, project_id: str, *, page_size: int = QUALITY_PAGE_SIZE, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[LabelerPerformance]:
        """Each labeler's work on a project: labels made, time per label, benchmark agreement (the SDK's
        ``project.labeler_performance()``).

        Example:
            >>> async for row in client.quality.labeler_performance(project_id):
            ...     print(row.user.email, row.count, round(row.seconds_per_label or 0))
            labeler...
        """
        return self._offset_listing(
            LABELER_PERFORMANCE,
            {"projectId": check_id("project_id", project_id)},
            LabelerPerformance,
            path=("project", "labelerPerformance"),
            page_size=check_positive_int("page_size", page_size),
            window=None,
            timeout=timeout,
        )

    async def issues_url(self, project_id: str, *, status: str | None = None, timeout: TimeoutArg = DEFAULT) -> str:
        """The URL of a JSON file of the project's issues, ``Open`` or ``Resolved`` or all (the SDK's
        ``project.export_issues(status)``). :meth:`issues` reads it for you.

        Example:
            >>> url = await client.quality.issues_url(project_id, status="Open")
        """
        if status is not None and status not in ISSUE_STATUSES:
            raise InvalidArgumentError("status", f"is {status!r}, not None, 'Open' or 'Resolved'")
        operation, _ = operation_of(GET_PROJECT_ISSUES_EXPORT)
        variables = {"projectId": check_id("project_id", project_id), "status": status}
        data = await self._execute(GET_PROJECT_ISSUES_EXPORT, variables, timeout=timeout)
        url = dig(data, ("project", "issueExportUrl"), operation)
        if not isinstance(url, str):
            raise UnexpectedResponseError(f"the issues export URL is {url!r}", operation=operation)
        return url

    async def issues(
        self, project_id: str, *, status: str | None = None, timeout: TimeoutArg = DEFAULT
    ) -> list[dict[str, Any]]:
        """The project's issues, downloaded from :meth:`issues_url` (the key stays on the API's origin).

        Example:
            >>> await client.quality.issues(project_id)
            []
        """
        url = await self.issues_url(project_id, status=status, timeout=timeout)
        async with self._client.download(url, timeout=timeout) as response:
            body = await response.read()
        try:
            issues = json.loads(body)
        except json.JSONDecodeError as exc:
            raise UnexpectedResponseError(f"the issues file is not JSON: {exc}") from None
        if not isinstance(issues, list):
            raise UnexpectedResponseError(f"the issues file holds a {type(issues).__name__}, not a list")
        return issues
