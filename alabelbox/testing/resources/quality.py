"""Quality: ``createReview``, benchmarks (``createBenchmark``, ``deleteBenchmark``, ``Project.benchmarks``), review
metrics, labeler performance, and the issues export URL.

State: the reviews created per label (they follow the generated ones in ``Label.reviews`` and count in the review
metrics) and the benchmarks by reference label, in creation order (a benchmark's label reads
``isBenchmarkReference: true``). Review metrics and labeler performance are aggregations over the project's live
labels, computed when asked. The labels resource asks :meth:`Quality.created_reviews` and
:meth:`Quality.is_benchmark` when it builds a label. Issues are not modelled: the issues export is an empty JSON array.
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from .._ids import iso_ms
from ._base import Info, Resolver, Resource, bad_input, not_found, page

SDL = """
enum ReviewNetScore { None Negative Zero Positive }
enum IssueStatus { Open Resolved }
input ConnectIdInput { id: ID! }
input ConnectInput { connect: ConnectIdInput! }
input ReviewCreateInput { score: Float! label: ConnectInput! project: ConnectInput! }
input BenchmarkCreateInput { labelId: ID! }
input BenchmarkWhereInput { labelId: ID! }
input IssueWhereInput { status: IssueStatus }

type Benchmark { id: ID! createdAt: DateTime lastActivity: DateTime averageAgreement: Float completedCount: Int
  createdBy: User referenceLabel: Label }
type LabelAggregate { count: Int! }
type ReviewMetrics { labelAggregate(netScore: ReviewNetScore): LabelAggregate! }
type LabelerPerformance { count: Int! user: User! secondsPerLabel: Float totalTimeLabeling: Float consensus: Float
  averageBenchmarkAgreement: Float lastActivityTime: DateTime }

extend type Project {
  benchmarks(skip: Int, first: PageSize): [Benchmark!]!
  reviewMetrics: ReviewMetrics!
  labelerPerformance(skip: Int, first: PageSize): [LabelerPerformance!]!
  issueExportUrl(where: IssueWhereInput): String
}
extend type Query { benchmark(where: WhereUniqueIdInput!): Benchmark }
extend type Mutation {
  createReview(data: ReviewCreateInput!): Review!
  createBenchmark(data: BenchmarkCreateInput!): Benchmark!
  deleteBenchmark(where: BenchmarkWhereInput!): Benchmark
}
"""


class Quality(Resource):
    """Reviews created through the API, benchmarks, and the project's quality aggregations."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.reviews: dict[tuple[int, int], list[JSONDict]] = {}
        self.benchmarks: dict[tuple[int, int], JSONDict] = {}
        self._counter = 0

    def _new_id(self, kind: str) -> str:
        self._counter += 1
        return self.world.ids.encode(kind, 36**3 - 6, self._counter)

    def _label(self, value: object) -> tuple[int, int]:
        labels = self.backend.labels
        got = labels.find(value)
        if got is None or labels.deletions.is_deleted(*got):
            raise not_found("label", value)
        return got

    # ------------------------------------------------------------ labels

    def is_benchmark(self, p: int, i: int) -> bool:
        """Whether label ``(p, i)`` was made a benchmark through the API."""
        return bool(self.benchmarks) and (p, i) in self.benchmarks

    def created_reviews(self, p: int, i: int) -> list[JSONDict]:
        """The reviews created through the API for label ``(p, i)``, as GraphQL objects (``Label.reviews``)."""
        if not self.reviews:
            return []
        return [{**r, "createdBy": lambda info: self.backend.users.obj(0)} for r in self.reviews.get((p, i), [])]

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        if not isinstance(key, int):  # a created project has no labels yet
            obj["benchmarks"] = lambda info, skip=0, first=None: []
            obj["reviewMetrics"] = {"labelAggregate": lambda info, netScore=None: {"count": 0}}
            obj["labelerPerformance"] = lambda info, skip=0, first=None: []
            obj["issueExportUrl"] = lambda info, where=None: self._issues_url(str(key))
            return
        p = key
        obj["benchmarks"] = lambda info, skip=0, first=None: [
            self._benchmark_obj(k) for k in page([k for k in self.benchmarks if k[0] == p], skip, first)
        ]
        obj["reviewMetrics"] = {"labelAggregate": lambda info, netScore=None: {"count": self._count(p, netScore)}}
        obj["labelerPerformance"] = lambda info, skip=0, first=None: page(self._performance(p), skip, first)
        obj["issueExportUrl"] = lambda info, where=None: self._issues_url(self.world.project_id(p))

    def net_score(self, p: int, i: int) -> int | None:
        """The sum of the scores of label ``(p, i)``'s reviews, or None when it has none."""
        scores = [r.score for r in self.world.label_reviews(p, i)] + [r["score"] for r in self.reviews.get((p, i), [])]
        return sum(scores) if scores else None

    def _count(self, p: int, net_score: str | None) -> int:
        count = 0
        for i in self.backend.labels.all_label_indices(p):
            score = self.net_score(p, i)
            if score is None:
                continue
            if (
                net_score in (None, "None")
                or (net_score == "Negative" and score < 0)
                or (net_score == "Zero" and score == 0)
                or (net_score == "Positive" and score > 0)
            ):
                count += 1
        return count

    def _performance(self, p: int) -> list[JSONDict]:
        by_user: dict[int, list[Any]] = {}
        for i in self.backend.labels.all_label_indices(p):
            meta = self.world.label_meta(p, i)
            by_user.setdefault(meta.creator, []).append(meta)
        out = []
        for u in sorted(by_user):
            metas = by_user[u]
            total = sum(m.seconds_to_label for m in metas)
            agreements = [m.benchmark_agreement for m in metas if m.benchmark_agreement is not None]
            out.append(
                {
                    "count": len(metas),
                    "user": self.backend.users.obj(u),
                    "secondsPerLabel": total / len(metas),
                    "totalTimeLabeling": total,
                    "consensus": None,
                    "averageBenchmarkAgreement": sum(agreements) / len(agreements) if agreements else None,
                    "lastActivityTime": iso_ms(max(m.updated_at for m in metas)),
                }
            )
        return out

    def _issues_url(self, project_id: str) -> str:
        key = f"issues/{project_id}.json"
        self.backend.storage.put(key, b"[]")
        return str(self.backend.signer.sign(key, 3600.0))

    # ------------------------------------------------------------ writes

    def create_review(self, data: JSONDict) -> JSONDict:
        p, i = self._label((data.get("label") or {}).get("connect", {}).get("id"))
        project_id = (data.get("project") or {}).get("connect", {}).get("id")
        if project_id != self.world.project_id(p):
            raise bad_input(f"label {self.world.label_id(p, i)} is not in project {project_id}")
        score = data.get("score")
        if not isinstance(score, (int, float)) or score not in (-1, 0, 1):
            raise bad_input(f"a review's score is -1, 0 or 1, not {score!r}")
        stamp = iso_ms(self.backend.clock.now())
        review = {"id": self._new_id("e"), "score": float(score), "createdAt": stamp, "updatedAt": stamp}
        self.reviews.setdefault((p, i), []).append(review)
        return {**review, "createdBy": lambda info: self.backend.users.obj(0)}

    def _benchmark_obj(self, key: tuple[int, int]) -> JSONDict:
        obj = dict(self.benchmarks[key])
        obj["createdBy"] = lambda info: self.backend.users.obj(0)
        obj["referenceLabel"] = lambda info: self.backend.labels.obj(*key)
        return obj

    def create_benchmark(self, data: JSONDict) -> JSONDict:
        key = self._label(data.get("labelId"))
        if key in self.benchmarks:
            raise bad_input(f"label {data.get('labelId')} is already a benchmark")
        stamp = iso_ms(self.backend.clock.now())
        self.benchmarks[key] = {
            "id": self._new_id("k"),
            "createdAt": stamp,
            "lastActivity": stamp,
            "averageAgreement": None,
            "completedCount": 0,
        }
        return self._benchmark_obj(key)

    def delete_benchmark(self, where: JSONDict) -> JSONDict:
        key = self._label(where.get("labelId"))
        if key not in self.benchmarks:
            raise not_found("benchmark of label", where.get("labelId"))
        obj = self._benchmark_obj(key)
        del self.benchmarks[key]
        return obj

    def root(self) -> dict[str, Resolver]:
        def benchmark(info: Info, where: JSONDict) -> JSONDict:
            for key, record in self.benchmarks.items():
                if record["id"] == where.get("id"):
                    return self._benchmark_obj(key)
            raise not_found("benchmark", where.get("id"))

        return {
            "benchmark": benchmark,
            "createReview": lambda info, data: self.create_review(data),
            "createBenchmark": lambda info, data: self.create_benchmark(data),
            "deleteBenchmark": lambda info, where: self.delete_benchmark(where),
        }
