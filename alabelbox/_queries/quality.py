"""Quality queries: reviews, benchmarks, review metrics, labeler performance, the issues export.

Operation names and fields follow the SDK's; its literal page bounds are variables here.
"""

from __future__ import annotations

from typing import Final

from alabelbox._queries.users import USER_FIELDS

__all__ = [
    "BENCHMARK_FIELDS",
    "CREATE_BENCHMARK",
    "CREATE_REVIEW",
    "DELETE_BENCHMARK",
    "GET_LABEL_PROJECT",
    "GET_PROJECT_BENCHMARKS",
    "GET_PROJECT_ISSUES_EXPORT",
    "LABELER_PERFORMANCE",
    "project_review_metrics",
]

CREATE_REVIEW: Final = (
    "mutation CreateReviewPyApi($score: Float!, $label: ID!, $project: ID!)"
    "{createReview(data: {score: $score label: {connect: {id: $label}} project: {connect: {id: $project}}})"
    " {createdAt score id updatedAt}}"
)
GET_LABEL_PROJECT: Final = "query GetLabelProjectPyApi($id: ID!){label(where: {id: $id}){project{id}}}"

BENCHMARK_FIELDS: Final = "averageAgreement completedCount createdAt lastActivity id referenceLabel { id }"
CREATE_BENCHMARK: Final = (
    "mutation CreateBenchmarkPyApi($labelId: ID!) "
    f"{{createBenchmark(data: {{labelId: $labelId}}) {{{BENCHMARK_FIELDS}}}}}"
)
DELETE_BENCHMARK: Final = (
    "mutation DeleteBenchmarkPyApi($labelId: ID!) {deleteBenchmark(where: {labelId: $labelId}) {id}}"
)
GET_PROJECT_BENCHMARKS: Final = (
    "query GetProjectBenchmarksPyApi($projectId: ID!, $skip: Int, $first: PageSize)"
    f"{{project(where: {{id: $projectId}}){{benchmarks(skip: $skip first: $first){{{BENCHMARK_FIELDS}}}}}}}"
)
LABELER_PERFORMANCE: Final = (
    "query LabelerPerformancePyApi($projectId: ID!, $skip: Int, $first: PageSize) {project(where: {id: $projectId})"
    f" {{labelerPerformance(skip: $skip first: $first) {{count user {{{USER_FIELDS}}} secondsPerLabel"
    " totalTimeLabeling consensus averageBenchmarkAgreement lastActivityTime}}}"
)
GET_PROJECT_ISSUES_EXPORT: Final = (
    "query GetProjectIssuesExportPyApi($projectId: ID!, $status: IssueStatus)"
    " {project(where: { id: $projectId }) {issueExportUrl(where: { status: $status })}}"
)


def project_review_metrics(net_score: str) -> str:
    """The SDK's ``ProjectReviewMetricsPyApi`` for one (already checked) net score literal (``None``, ``Positive``...).

    Example:
        >>> project_review_metrics("Positive").endswith("{reviewMetrics {labelAggregate(netScore: Positive) {count}}}}")
        True
    """
    return (
        "query ProjectReviewMetricsPyApi($projectId: ID!){project(where: {id:$projectId})"
        f"{{reviewMetrics {{labelAggregate(netScore: {net_score}) {{count}}}}}}}}"
    )
