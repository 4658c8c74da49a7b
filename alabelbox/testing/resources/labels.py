"""Labels of projects: ``Project.labels`` (filters, orders, skip/first), ``labelCount``, ``label(where:)``,
``deleteLabels`` and ``Project.bulkDeleteLabels``.

State: :class:`~alabelbox.testing._store.Deletions`, the deleted labels per project (and which were kept as
templates); label ``i`` of project ``p`` is ``World.label_meta(p, i)`` until deleted. A label goes with its data
row: when seeded dataset ``p`` is deleted, project ``p`` has no labels left. Labels created by label imports
(``imports``) follow the seeded ones in every listing (first when newest come first), in ``labelCount``,
``label(where:)`` and the deletions.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from .._data import K_LABEL, K_ROW, K_USER, LABEL_STEP, LABEL_T0, JSONDict, LabelMeta, World
from .._execution import RawJson
from .._ids import iso_ms, parse_time
from .._store import Deletions
from ._base import ApiError, Info, LazyDict, Resolver, Resource, dumps_text, not_found, page

#: Encoded bytes of legacy ``label`` text kept by :class:`LegacyTextCache` (about 3 KB a label: ~16,000 labels).
LEGACY_CACHE_BYTES = 48 * 1024 * 1024
#: Seeded labels whose meta, timestamps and type are kept (a few hundred bytes each).
STATIC_CACHE_LABELS = 50_000

SDL = """
enum LabelOrderByInput { id_ASC id_DESC createdAt_ASC createdAt_DESC updatedAt_ASC updatedAt_DESC
  agreement_ASC agreement_DESC benchmarkAgreement_ASC benchmarkAgreement_DESC
  secondsToLabel_ASC secondsToLabel_DESC }
input LabelDatasetWhereInput { id: ID id_in: [ID!] }
input LabelDataRowWhereInput { id: ID id_in: [ID!] dataset: LabelDatasetWhereInput }
input LabelTypeWhereInput { id: ID name: String }
input LabelWhereInput { id: ID id_in: [ID!] createdBy: UserWhereInput createdAt_lt: DateTime
  createdAt_gt: DateTime createdAt_lte: DateTime createdAt_gte: DateTime type: LabelTypeWhereInput
  agreement_gt: Float agreement_lt: Float dataRow: LabelDataRowWhereInput
  AND: [LabelWhereInput!] }
input WhereBulkLabelDelete { id: ID id_in: [ID!] createdBy: UserWhereInput createdAt_lt: DateTime
  createdAt_gt: DateTime type: LabelTypeWhereInput agreement_gt: Float agreement_lt: Float
  dataRow: LabelDataRowWhereInput }

type LabelType { id: ID! name: String! }
type Review { id: ID! score: Float createdAt: DateTime updatedAt: DateTime createdBy: User }
type Label { id: ID! label: String createdAt: DateTime updatedAt: DateTime agreement: Float
  benchmarkAgreement: Float isBenchmarkReference: Boolean secondsToLabel: Float
  secondsToReview: Float secondsToCreate: Float deleted: Boolean
  createdBy: User! type: LabelType! dataRow: DataRow! project: Project! reviews: [Review!]! }
type BulkDeleteLabelsResult { count: Int! }
type DeletedLabel { id: ID! deleted: Boolean }

extend type Project {
  labels(where: LabelWhereInput, skip: Int, first: PageSize, orderBy: LabelOrderByInput): [Label!]!
  labelCount: Int
  bulkDeleteLabels(where: WhereBulkLabelDelete, makeTemplates: Boolean, waitForQueue: Boolean,
    first: PageSize, skip: Int): BulkDeleteLabelsResult!
}

extend type Query { label(where: WhereUniqueIdInput!): Label }
extend type Mutation { deleteLabels(labelIds: [ID!]!): [DeletedLabel!]! }
"""


class Labels(Resource):
    """The labels of every project, with deletions."""

    SDL = SDL
    EXTENDS = frozenset({"Project"})

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.deletions = Deletions()
        self.legacy_texts = LegacyTextCache(LEGACY_CACHE_BYTES)
        self._statics: dict[tuple[int, int], tuple[LabelMeta, str, str, JSONDict]] = {}
        self._types = {kind: {"id": type_id, "name": kind} for kind, type_id in self.world.label_type_ids.items()}
        self._scan_memo: OrderedDict[tuple[Any, ...], tuple[int, int]] = OrderedDict()

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        p: int | str = key
        imports = self.backend.imports
        obj["labelCount"] = lambda info: self.seeded_count(p) + len(imports.project_labels(p))
        obj["labels"] = lambda info, where=None, skip=0, first=None, orderBy=None: self.combined(
            p, where, skip or 0, first, orderBy
        )
        obj["bulkDeleteLabels"] = lambda info, where=None, makeTemplates=False, waitForQueue=None, first=None, skip=0: (
            self.bulk_delete(p, where, bool(makeTemplates), skip, first)
        )

    def seeded_count(self, p: int | str) -> int:
        """How many seeded labels project ``p`` has left (a created project has none)."""
        if not isinstance(p, int) or not self.rows_alive(p):
            return 0
        return self.world.n_rows - self.deletions.count(p)

    def _imported(self, p: int | str, where: JSONDict | None) -> list[Any]:
        return [label for label in self.backend.imports.project_labels(p) if _imported_match(label, where)]

    def combined(self, p: int | str, where: JSONDict | None, skip: int, first: int | None, order: str | None) -> Any:
        """``Project.labels``: the seeded labels then the imported ones (the other way round newest first)."""
        limit = first if first is not None else 100
        imports = self.backend.imports
        imported = self._imported(p, where)
        if order in ("id_DESC", "createdAt_DESC"):
            imported.reverse()
            head = [imports.label_obj(label) for label in imported[skip : skip + limit]]
            if len(head) >= limit or not isinstance(p, int):
                return head
            rest = self.listing(p, where, max(0, skip - len(imported)), limit - len(head), order)
            return head + [self.obj(p, i) for i in rest]
        seeded = self.listing(p, where, skip, limit, order) if isinstance(p, int) else []
        out = [self.obj(p, i) for i in seeded]  # type: ignore[arg-type]
        if len(out) < limit and imported:
            if seeded:
                total = skip + len(seeded)
            else:
                total = sum(1 for _ in self._matching(p, where, 0)) if isinstance(p, int) else 0
            start = max(0, skip - total)
            out.extend(imports.label_obj(label) for label in imported[start : start + limit - len(out)])
        return out

    def _static(self, p: int, i: int) -> tuple[LabelMeta, str, str, JSONDict]:
        """What never changes about seeded label ``(p, i)``: its meta, timestamps and type (kept, FIFO-bounded)."""
        key = (p, i)
        got = self._statics.get(key)
        if got is None:
            meta = self.world.label_meta(p, i)
            kind = "Skipped" if meta.skipped else "Submitted"
            got = (meta, iso_ms(meta.created_at), iso_ms(meta.updated_at), self._types[kind])
            statics = self._statics
            if len(statics) >= STATIC_CACHE_LABELS:
                del statics[next(iter(statics))]
            statics[key] = got
        return got

    def obj(self, p: int, i: int, *, template: bool = False) -> JSONDict:
        meta, created, updated, ltype = self._static(p, i)
        eager = {
            "id": meta.id,
            "createdAt": created,
            "updatedAt": updated,
            "agreement": meta.agreement,
            "benchmarkAgreement": meta.benchmark_agreement,
            "isBenchmarkReference": meta.is_benchmark_reference or self.backend.quality.is_benchmark(p, i),
            # Templates keep the label itself but not its timing metrics.
            "secondsToLabel": None if template else meta.seconds_to_label,
            "secondsToReview": None if template else meta.seconds_to_review,
            "secondsToCreate": None if template else meta.seconds_to_create,
            "deleted": template,
            "createdBy": lambda info: self.backend.users.obj(meta.creator),
            "type": dict(ltype),
            "dataRow": lambda info: self.backend.data_rows.obj(p, i),
            "project": lambda info: self.backend.projects.obj(p),
            "reviews": lambda info: self.reviews(p, i, meta) + self.backend.quality.created_reviews(p, i),
        }
        # The legacy label JSON is most of a label's cost: made only when selected, as a plain value.
        return LazyDict(eager, {"label": lambda: self.legacy_label_raw(p, i, meta)})

    def reviews(self, p: int, i: int, meta: LabelMeta) -> list[JSONDict]:
        out = []
        for r in self.world.label_reviews(p, i, meta):
            stamp = iso_ms(r.created_at)
            out.append(
                {
                    "id": r.id,
                    "score": float(r.score),
                    "createdAt": stamp,
                    "updatedAt": stamp,
                    "createdBy": lambda info, u=r.reviewer: self.backend.users.obj(u),
                }
            )
        return out

    def legacy_label_raw(self, p: int, i: int, meta: LabelMeta | None = None) -> RawJson:
        """The legacy ``label`` of seeded label ``(p, i)`` as the JSON string literal of an answer, made once and
        then kept (bounded), and written into answers as it is.

        A seeded label's text is a function of the seed, ``(p, i)`` and the two origins' URLs alone: deleting a
        label hides it (a template keeps its label) and imported labels are other labels, so nothing else changes
        it. The cache is keyed by the URLs too (they are set when the emulator starts serving).
        """
        cache = self.legacy_texts
        urls = (self.world.api_url, self.backend.api_url)
        raw = cache.get(p, i, urls)
        if raw is None:
            raw = RawJson(dumps_text(dumps_text(self.legacy_label(p, i, meta))).encode())
            cache.put(p, i, urls, raw)
        return raw

    def legacy_label_text(self, p: int, i: int, meta: LabelMeta | None = None) -> str:
        """The legacy ``label`` JSON text of seeded label ``(p, i)`` (the string :meth:`legacy_label_raw` encodes)."""
        text: str = self.legacy_label_raw(p, i, meta).value()
        return text

    def legacy_label(self, p: int, i: int, meta: LabelMeta | None = None) -> JSONDict:
        label = self.world.legacy_label_json(p, i, meta)
        if "frames" in label:
            label = {"frames": str(label["frames"]).replace("__API__", self.backend.api_url)}
        return label

    # ------------------------------------------------------------ labels

    def _label_where(self, p: int, where: JSONDict | None) -> tuple[Callable[[int], bool] | None, int, int]:
        """A predicate over label indices of project ``p`` plus an index window ``[lo, hi)``."""
        w = self.world
        lo, hi = 0, w.n_rows
        checks: list[Callable[[int], bool]] = []
        clauses = [where] if where else []
        while clauses:
            cl = clauses.pop()
            for sub in cl.get("AND") or []:
                clauses.append(sub)
            if cl.get("id") is not None or cl.get("id_in") is not None:
                ids = [cl["id"]] if cl.get("id") is not None else list(cl["id_in"])
                wanted = {g[1] for v in ids if (g := w.find(v, K_LABEL)) is not None and g[0] == p}
                checks.append(wanted.__contains__)
            creator = cl.get("createdBy")
            if creator:
                if creator.get("id") is not None:
                    got = w.find(creator["id"], K_USER)
                    u = got[1] if got else -1
                else:
                    emails = {w.email(k): k for k in range(w.n_users)}
                    u = emails.get(str(creator.get("email")), -1)
                checks.append(_creator_check(w, p, u))
            for key, strict, above in (
                ("createdAt_gt", True, True),
                ("createdAt_gte", False, True),
                ("createdAt_lt", True, False),
                ("createdAt_lte", False, False),
            ):
                if cl.get(key) is None:
                    continue
                try:
                    ts = parse_time(str(cl[key]))
                except ValueError as exc:
                    raise ApiError(f"Invalid DateTime {cl[key]!r}", "GRAPHQL_VALIDATION_FAILED") from exc
                # created_at(i) lies in [LABEL_T0 + i*STEP, LABEL_T0 + i*STEP + 2): narrow the window
                if above:
                    lo = max(lo, int((ts - LABEL_T0 - 2) // LABEL_STEP))
                else:
                    hi = min(hi, int((ts - LABEL_T0) // LABEL_STEP) + 1)
                checks.append(_time_check(w, p, ts, strict, above))
            ltype = cl.get("type")
            if ltype:
                names = {v: k for k, v in w.label_type_ids.items()}
                name = names.get(ltype.get("id"), ltype.get("name"))
                checks.append(_type_check(w, p, str(name)))
            for key, above in (("agreement_gt", True), ("agreement_lt", False)):
                if cl.get(key) is None:
                    continue
                bound = float(cl[key])
                checks.append(_agreement_check(w, p, bound, above))
            row = cl.get("dataRow")
            if row:
                if row.get("id") is not None or row.get("id_in") is not None:
                    ids = [row["id"]] if row.get("id") is not None else list(row["id_in"])
                    rows = {g[1] for v in ids if (g := w.find(v, K_ROW)) is not None and g[0] == p}
                    checks.append(rows.__contains__)
                ds = row.get("dataset")
                if ds:
                    ids = [ds["id"]] if ds.get("id") is not None else list(ds.get("id_in") or [])
                    if w.dataset_id(p) not in ids:
                        hi = lo
        lo, hi = max(0, lo), max(0, min(hi, w.n_rows))
        if not checks:
            return None, lo, hi
        return (lambda i: all(c(i) for c in checks)), lo, hi

    def row_labels(
        self, row: tuple[int, int] | str, where: JSONDict | None, skip: int | None, first: int | None
    ) -> list[JSONDict]:
        """``DataRow.labels``: the live labels of one data row in every project, the seeded one first, then the
        imported ones, oldest first (``where: {deleted: true}`` asks for deleted ones: none are served)."""
        out: list[Any] = []
        if (where or {}).get("deleted"):
            return []
        if isinstance(row, tuple):
            p, i = row
            if self.rows_alive(p) and self.backend.projects.table.has(p) and not self.deletions.is_deleted(p, i):
                out.append((p, i))
        row_id = self.world.row_id(*row) if isinstance(row, tuple) else row
        imports = self.backend.imports
        out.extend(label for label in list(imports.labels.values()) if label.row_id == row_id)
        out = [x for x in out if isinstance(x, tuple) or imports.find_label(x.id) is not None]
        return [self.obj(*x) if isinstance(x, tuple) else imports.label_obj(x) for x in page(out, skip, first)]

    def rows_alive(self, p: int) -> bool:
        """Whether the data rows of project ``p`` (seeded dataset ``p``) still exist: a label needs its row."""
        return self.backend.datasets.seeded_alive(p)

    def find(self, value: object) -> tuple[int, int] | None:
        """``(p, i)`` of the label with id ``value`` if its data row exists (deleted or not), else None."""
        got = self.world.find(value, K_LABEL)
        return got if got is not None and self.rows_alive(got[0]) else None

    def _matching(self, p: int, where: JSONDict | None, skip: int, descending: bool = False) -> Iterator[int]:
        """Alive labels of ``p`` matching ``where``, from the ``skip``-th match on."""
        if not self.rows_alive(p):
            return iter(())
        pred, lo, hi = self._label_where(p, where)
        if pred is None and not descending:
            start = self.deletions.nth_alive(p, skip + _alive_before(self.deletions, p, lo), self.world.n_rows)
            if start is None or start >= hi:
                return iter(())
            return self.deletions.alive(p, start, hi)
        key = (p, json.dumps(where, sort_keys=True, default=str), descending, self.deletions.version)
        memo = self._scan_memo.get((*key, skip))
        indices: Iterator[int]
        if descending:
            indices = (i for i in range(hi - 1, lo - 1, -1) if not self.deletions.is_deleted(p, i))
            pos, seen = hi - 1, 0
            if memo is not None:
                pos, seen = memo
                indices = (i for i in range(pos, lo - 1, -1) if not self.deletions.is_deleted(p, i))
        else:
            pos, seen = lo, 0
            if memo is not None:
                pos, seen = memo
            indices = self.deletions.alive(p, pos, hi)
        return self._skip_and_memo(indices, pred, skip - seen if memo else skip, key, skip, descending)

    def _skip_and_memo(
        self,
        indices: Iterator[int],
        pred: Callable[[int], bool] | None,
        to_skip: int,
        key: tuple[Any, ...],
        skip: int,
        descending: bool,
    ) -> Iterator[int]:
        taken = 0
        for i in indices:
            if pred is not None and not pred(i):
                continue
            if to_skip > 0:
                to_skip -= 1
                continue
            taken += 1
            # Remember where the next page starts so sequential paging stays linear.
            nxt = i - 1 if descending else i + 1
            self._scan_memo[(*key, skip + taken)] = (nxt, skip + taken)
            while len(self._scan_memo) > 256:
                self._scan_memo.popitem(last=False)
            yield i

    def listing(self, p: int, where: JSONDict | None, skip: int, first: int | None, order: str | None) -> list[int]:
        skip = skip or 0
        limit = first if first is not None else 100
        if order in (None, "id_ASC", "createdAt_ASC", "id_DESC", "createdAt_DESC"):
            out: list[int] = []
            for i in self._matching(p, where, skip, descending=bool(order and order.endswith("DESC"))):
                if len(out) >= limit:
                    break
                out.append(i)
            return out
        field, _, direction = order.rpartition("_")
        attr = {
            "updatedAt": "updated_at",
            "agreement": "agreement",
            "benchmarkAgreement": "benchmark_agreement",
            "secondsToLabel": "seconds_to_label",
        }[field]
        everything = list(self._matching(p, where, 0))

        def sort_key(i: int) -> tuple[bool, float, int]:
            value = getattr(self.world.label_meta(p, i), attr)
            return (value is None, value or 0.0, i)

        everything.sort(key=sort_key, reverse=direction == "DESC")
        return everything[skip : skip + limit]

    def all_label_indices(self, p: int) -> Iterator[int]:
        """Every live label of project ``p``, ascending."""
        return self.deletions.alive(p, 0, self.world.n_rows) if self.rows_alive(p) else iter(())

    # ----------------------------------------------------------- deletions

    def delete_labels(self, info: Info, labelIds: list[str]) -> list[JSONDict]:
        imports = self.backend.imports
        found: list[tuple[int, int] | str] = []
        for value in labelIds:
            got: tuple[int, int] | str | None = self.find(value)
            if got is None and imports.find_label(value) is not None:
                got = str(value)
            if got is None:
                raise not_found("label", value)
            found.append(got)
        out = []
        for key in found:
            if isinstance(key, str):
                imports.deleted.add(key)
                out.append({"id": key, "deleted": True})
            else:
                if self.deletions.delete(*key):
                    self.backend.webhooks.label_event("LABEL_DELETED", *key)
                out.append({"id": self.world.label_id(*key), "deleted": True})
        return out

    def bulk_delete(
        self, p: int | str, where: JSONDict | None, templates: bool, skip: int, first: int | None
    ) -> JSONDict:
        chosen: list[int] = []
        if isinstance(p, int):
            for i in self._matching(p, where, skip or 0):
                if first is not None and len(chosen) >= first:
                    break
                chosen.append(i)
        count = 0
        for i in chosen:
            if self.deletions.delete(p, i, template=templates):  # type: ignore[arg-type]
                count += 1
                self.backend.webhooks.label_event("LABEL_DELETED", p, i)  # type: ignore[arg-type]
        if first is None or count < first:
            imported = self._imported(p, where)
            seeded_total = len(chosen) + (skip or 0) if chosen else 0
            start = max(0, (skip or 0) - seeded_total) if not chosen else 0
            room = None if first is None else first - count
            picked = imported[start:] if room is None else imported[start : start + room]
            self.backend.imports.deleted.update(label.id for label in picked)
            count += len(picked)
        return {"count": count}

    def root(self) -> dict[str, Resolver]:
        def label(info: Info, where: JSONDict) -> JSONDict:
            got = self.find(where.get("id"))
            if got is None:
                imported = self.backend.imports.find_label(where.get("id"))
                if imported is not None:
                    return self.backend.imports.label_obj(imported)
                raise not_found("label", where.get("id"))
            p, i = got
            if self.deletions.is_deleted(p, i):
                if self.deletions.is_template(p, i):
                    return self.obj(p, i, template=True)
                raise not_found("label", where.get("id"))
            return self.obj(p, i)

        return {"label": label, "deleteLabels": self.delete_labels}


def _time_check(w: World, p: int, ts: float, strict: bool, above: bool) -> Callable[[int], bool]:
    def check(i: int) -> bool:
        c = w.label_created(p, i)
        if above:
            return c > ts if strict else c >= ts
        return c < ts if strict else c <= ts

    return check


def _creator_check(w: World, p: int, u: int) -> Callable[[int], bool]:
    return lambda i: w.label_meta(p, i).creator == u


def _type_check(w: World, p: int, name: str) -> Callable[[int], bool]:
    return lambda i: ("Skipped" if w.label_meta(p, i).skipped else "Submitted") == name


def _agreement_check(w: World, p: int, bound: float, above: bool) -> Callable[[int], bool]:
    def check(i: int) -> bool:
        a = w.label_meta(p, i).agreement
        return a is not None and (a > bound if above else a < bound)

    return check


def _alive_before(deletions: Deletions, p: int, lo: int) -> int:
    if lo <= 0:
        return 0
    return lo - sum(1 for i in deletions.deleted(p) if i < lo)


def _imported_match(label: Any, where: JSONDict | None) -> bool:
    """Whether an imported label passes a ``LabelWhereInput`` (ids, data rows, creation time, type, creator)."""
    if not where:
        return True
    for sub in where.get("AND") or []:
        if not _imported_match(label, sub):
            return False
    if where.get("id") is not None and label.id != where["id"]:
        return False
    if where.get("id_in") is not None and label.id not in where["id_in"]:
        return False
    row = where.get("dataRow") or {}
    if row.get("id") is not None and label.row_id != row["id"]:
        return False
    if row.get("id_in") is not None and label.row_id not in row["id_in"]:
        return False
    stamp: float = label.created_at
    for key, above, strict in (
        ("createdAt_gt", True, True),
        ("createdAt_gte", True, False),
        ("createdAt_lt", False, True),
        ("createdAt_lte", False, False),
    ):
        if where.get(key) is None:
            continue
        bound = parse_time(str(where[key]))
        if (stamp == bound and strict) or (stamp < bound if above else stamp > bound):
            return False
    ltype = where.get("type") or {}
    if ltype.get("name") is not None and ltype["name"] != "Submitted":
        return False
    creator = where.get("createdBy") or {}
    return not (creator.get("email") is not None and creator["email"] != "labeler@example.com")


class LegacyTextCache:
    """Legacy ``label`` texts by ``(p, i)``, kept encoded (the answer's UTF-8 bytes of the JSON string literal);
    the least recently used dropped beyond ``max_bytes``.

    Encoded, a text is neither decoded nor escaped again when it is listed, and takes one to three bytes a character
    (as ``str``, one with an emoji takes four). Everything is dropped when the origins' URLs change (the texts carry
    them).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._texts: OrderedDict[tuple[int, int], RawJson] = OrderedDict()
        self._bytes = 0
        self._urls: tuple[str, str] | None = None
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._texts)

    @property
    def size_bytes(self) -> int:
        """Encoded bytes held now."""
        return self._bytes

    def get(self, p: int, i: int, urls: tuple[str, str]) -> RawJson | None:
        if urls != self._urls:
            self.clear()
            self._urls = urls
            self.misses += 1
            return None
        raw = self._texts.get((p, i))
        if raw is None:
            self.misses += 1
            return None
        self._texts.move_to_end((p, i))
        self.hits += 1
        return raw

    def put(self, p: int, i: int, urls: tuple[str, str], raw: RawJson) -> None:
        if urls != self._urls:
            self.clear()
            self._urls = urls
        size = len(raw.encoded)
        if size > self.max_bytes:
            return
        old = self._texts.pop((p, i), None)
        if old is not None:
            self._bytes -= len(old.encoded)
        self._texts[(p, i)] = raw
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, dropped = self._texts.popitem(last=False)
            self._bytes -= len(dropped.encoded)

    def clear(self) -> None:
        self._texts.clear()
        self._bytes = 0
