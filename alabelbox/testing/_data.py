"""The emulator's world: deterministic entities and rows generated from their index.

Nothing here is stored per row. A data row, its label and its export line are pure functions of
``(seed, project/dataset index, row index)``; the store (``_store.py``) only remembers mutations.

Layout: one organization, ``users`` users (user 0 owns the API key), ``projects`` projects and as
many datasets. Dataset ``d`` holds ``data_rows`` rows, all of which are queued in project ``d``
in batches of ``batch_size``. Each data row has exactly one label in its project until deleted.
Project media types cycle through IMAGE, VIDEO, TEXT, CONVERSATIONAL and PDF.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from ._ids import IdCodec, iso_export, iso_ms

JSONDict = dict[str, Any]

MEDIA_CYCLE: tuple[str, ...] = ("IMAGE", "VIDEO", "TEXT", "CONVERSATIONAL", "PDF")
T0 = 1_704_067_200.0  # 2024-01-01T00:00:00Z
LABEL_T0 = T0 + 30 * 86_400.0
DATA_ROW_STEP = 2.0
LABEL_STEP = 2.5  # label i is created in [LABEL_T0 + 2.5 i, LABEL_T0 + 2.5 i + 2): monotonic in i
MASK64 = (1 << 64) - 1

# id kinds (one letter in the id, see _ids.IdCodec)
K_ORG, K_USER, K_PROJECT, K_DATASET = "o", "u", "p", "d"
K_ROW, K_LABEL, K_BATCH, K_TASK, K_TYPE, K_LEGACY = "r", "l", "b", "t", "y", "x"

_PROJECT_NAMES = (
    "Roof wear 屋根の摩耗 🏠",
    "Traffic cams 交通 🚗",
    "Review sentiment 情感分析 💬",
    "Support chats 客服对话 🗨️",
    "Invoices 請求書 📄",
    "Street signs",
)
_USER_NAMES = (
    "Ada Lovelace",
    "山田 太郎",
    "Zoë 🦊 Martin",
    "Ğülşen Çelik",
    "김민준",
    "Bob Stone",
    "Лена Петрова",
    "Priya Raman",
)
_ANSWERS = ("good", "wear", "rust 錆", "moss 🌿", "unsure", "損傷あり", "ok 👍")
_TEXTS = (
    "Looks fine to me",
    "屋根の端に小さな亀裂があります",
    "Needs a second look 👀",
    "看不清楚，建议重拍",  # noqa: RUF001 - CJK punctuation on purpose
    "Café sign partly hidden — ½ visible",
)
_WORKFLOW = ("DONE", "DONE", "DONE", "IN_REVIEW", "IN_REVIEW", "IN_REWORK")


def mix(*parts: int) -> int:
    """A fast 64-bit hash of ints (splitmix64 steps): cheap enough to call per row and field."""
    h = 0x9E3779B97F4A7C15
    for part in parts:
        h = (h ^ (part & MASK64)) * 0xBF58476D1CE4E5B9 & MASK64
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & MASK64
        h ^= h >> 29
    return h


def mix_step(h: int, part: int) -> int:
    """One more part folded into a :func:`mix` state: ``mix(a, b, c) == mix_step(mix(a, b), c)``."""
    h = (h ^ (part & MASK64)) * 0xBF58476D1CE4E5B9 & MASK64
    h = (h ^ (h >> 31)) * 0x94D049BB133111EB & MASK64
    return h ^ (h >> 29)


def unit(h: int) -> float:
    """Map a 64-bit hash to [0, 1)."""
    return (h >> 11) / float(1 << 53)


SPLIT_SCHEMA_ID = "cko8sbczn0002h2dkdaxb5kal"
"""The reserved ``split`` schema of the metadata ontology (``resources/metadata.RESERVED``)."""
TRAIN_OPTION_ID = "cko8sbscr0003h2dk04w86hof"
"""Its ``train`` option: the metadata every seeded data row has, in GraphQL, in metadata exports and in exports."""


@dataclass(frozen=True)
class WorldConfig:
    """The size and shape of the emulated organization."""

    seed: int = 0
    projects: int = 3
    data_rows: int = 1_000
    users: int = 6
    batch_size: int = 1_000
    media_types: Sequence[str] | None = None


class LabelMeta(NamedTuple):
    """Scalar facts about one label, cheap to compute for filter scans."""

    id: str
    created_at: float
    updated_at: float
    creator: int
    agreement: float | None
    benchmark_agreement: float | None
    is_benchmark_reference: bool
    skipped: bool
    seconds_to_create: float
    seconds_to_review: float
    seconds_to_label: float
    reviews: int


class Review(NamedTuple):
    """One review of a label: score 1 approves (export action ``Approve``), -1 rejects."""

    id: str
    score: int
    created_at: float
    reviewer: int


@dataclass
class _Ontology:
    tools: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, schema id)


@lru_cache(maxsize=64)
def _first_word(text: str) -> str:
    return text.split()[0]


@lru_cache(maxsize=4096)
def _schema_id(ids: IdCodec, p: int, name: str) -> str:
    return ids.opaque("s", p, name)


@lru_cache(maxsize=256)
def _color(seed: int, name: str) -> str:
    # A stable digest of the name: ``hash(str)`` is salted per process (PYTHONHASHSEED).
    digest = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
    return "#%06X" % (mix(seed, digest) & 0xFFFFFF)


class World:
    """Deterministic entities of one seed. All methods are pure."""

    def __init__(self, config: WorldConfig) -> None:
        if config.projects < 1 or config.data_rows < 0 or config.users < 1:
            raise ValueError("need at least one project and one user")
        self.config = config
        self.seed = config.seed
        #: The API origin in mask URLs: the emulator's own once it serves (it serves the masks there).
        self.api_url = "https://api.labelbox.com"
        self.ids = IdCodec(config.seed)
        self.n_projects = config.projects
        self.n_rows = config.data_rows
        self.n_users = config.users
        media = tuple(config.media_types or MEDIA_CYCLE)
        self.media = tuple(media[p % len(media)].upper() for p in range(config.projects))
        self.org_id = self.ids.encode(K_ORG, 0, 0)
        self.label_type_ids = {
            "Submitted": self.ids.encode(K_TYPE, 0, 0),
            "Skipped": self.ids.encode(K_TYPE, 0, 1),
        }
        # The feature ids of one label share a prefix and a hash state: ((p, i), prefix, mix(seed, p, i)).
        # One immutable tuple, replaced whole, so threads (export writers) can share it without a lock.
        self._fid_state: tuple[tuple[int, int], str, int] = ((-1, -1), "", 0)

    # ----------------------------------------------------------------- ids

    def project_id(self, p: int) -> str:
        return self.ids.encode(K_PROJECT, 0, p)

    def dataset_id(self, d: int) -> str:
        return self.ids.encode(K_DATASET, 0, d)

    def user_id(self, u: int) -> str:
        return self.ids.encode(K_USER, 0, u)

    def row_id(self, d: int, i: int) -> str:
        return self.ids.encode(K_ROW, d, i)

    def label_id(self, p: int, i: int) -> str:
        return self.ids.encode(K_LABEL, p, i)

    def batch_id(self, p: int, b: int) -> str:
        return self.ids.encode(K_BATCH, p, b)

    def find(self, value: object, kind: str, parents: int = 1) -> tuple[int, int] | None:
        """Decode ``value`` as an id of ``kind`` that exists in this world."""
        got = self.ids.decode(value, kind)
        if got is None:
            return None
        parent, index = got
        if kind in (K_ROW, K_LABEL, K_BATCH):
            limit = self.n_rows if kind != K_BATCH else self.n_batches
            if parent >= self.n_projects or index >= limit:
                return None
        elif kind in (K_PROJECT, K_DATASET):
            if index >= self.n_projects:
                return None
        elif kind == K_USER and index >= self.n_users:
            return None
        return parent, index

    # ------------------------------------------------------------ entities

    @property
    def n_batches(self) -> int:
        return -(-self.n_rows // self.config.batch_size)

    def user(self, u: int) -> JSONDict:
        name = _USER_NAMES[u % len(_USER_NAMES)]
        created = T0 - 86_400.0 * (400 - u)
        return {
            "id": self.user_id(u),
            "email": self.email(u),
            "name": name,
            "nickname": name.split()[0],
            "picture": f"https://gravatar.com/avatar/{mix(self.seed, u) & 0xFFFFFFFF:08x}",
            "isExternalUser": False,
            "isViewer": False,
            "createdAt": iso_ms(created),
            "updatedAt": iso_ms(created + 3600),
            "lastLoginAt": iso_ms(T0 + 40 * 86_400.0),
            "timezone": "UTC" if u % 2 == 0 else "Asia/Tokyo",
            "role": "ADMIN" if u == 0 else "LABELER",
        }

    def email(self, u: int) -> str:
        return "labeler@example.com" if u == 0 else f"labeler{u}@example.com"

    def organization(self) -> JSONDict:
        return {
            "id": self.org_id,
            "name": "Emulated Org 模擬組織 🧪",
            "createdAt": iso_ms(T0 - 500 * 86_400.0),
            "updatedAt": iso_ms(T0 - 499 * 86_400.0),
        }

    def project_name(self, p: int) -> str:
        base = _PROJECT_NAMES[p % len(_PROJECT_NAMES)]
        return base if p < len(_PROJECT_NAMES) else f"{base} #{p}"

    def dataset_name(self, d: int) -> str:
        icons = {"IMAGE": "📷", "VIDEO": "🎞️", "TEXT": "📝", "CONVERSATIONAL": "💬", "PDF": "📄"}
        return f"dataset-{d:03d} データ {icons.get(self.media[d], '🗂️')}"

    def project(self, p: int) -> JSONDict:
        created = T0 + p * 3600.0
        return {
            "id": self.project_id(p),
            "name": self.project_name(p),
            "description": f"Emulated {self.media[p].lower()} project {p} — 説明",
            "createdAt": iso_ms(created),
            "updatedAt": iso_ms(created + 7200),
            "setupComplete": iso_ms(created + 600),
            "lastActivityTime": iso_ms(LABEL_T0 + self.n_rows * LABEL_STEP),
            "autoAuditNumberOfLabels": 1,
            "autoAuditPercentage": 1.0,
            "dataRowCount": self.n_rows,
            "editorTaskType": None,
            "allowedMediaType": self.media[p],
            "mediaType": self.media[p],
            "modelSetupComplete": False,
            "uploadType": "Auto",
            "isBenchmarkEnabled": p % 3 == 2,
            "isConsensusEnabled": p % 3 == 1,
            "deleted": False,
            "queueMode": "BATCH",
        }

    def dataset(self, d: int) -> JSONDict:
        created = T0 - 86_400.0 + d * 60.0
        return {
            "id": self.dataset_id(d),
            "name": self.dataset_name(d),
            "description": f"Rows for project {d}",
            "createdAt": iso_ms(created),
            "updatedAt": iso_ms(created + 60),
            "rowCount": self.n_rows,
            "deleted": False,
        }

    def batch(self, p: int, b: int) -> JSONDict:
        size = min(self.config.batch_size, self.n_rows - b * self.config.batch_size)
        return {
            "id": self.batch_id(p, b),
            "name": self.batch_name(b),
            "size": size,
            "createdAt": iso_ms(T0 + p * 3600.0 + b * 60.0),
            "updatedAt": iso_ms(T0 + p * 3600.0 + b * 60.0 + 5),
            "consensusSettingsJson": json.dumps({"numberOfLabels": 1, "coveragePercentage": 0}),
        }

    def batch_name(self, b: int) -> str:
        return f"batch-{b:04d} バッチ"

    # ------------------------------------------------------------ data rows

    def row_created(self, d: int, i: int) -> float:
        return T0 + d * 3600.0 + i * DATA_ROW_STEP

    def global_key(self, d: int, i: int) -> str:
        return f"{mix(self.seed, d, i, 1):016x}_{d}_{i}"

    def external_id(self, d: int, i: int) -> str | None:
        h = mix(self.seed, d, i, 2)
        if h % 10 == 0:
            return None
        if h % 10 < 3:
            return f"画像_{i:07d}_🐱"
        ext = {"IMAGE": "png", "VIDEO": "mp4", "TEXT": "txt", "PDF": "pdf"}.get(self.media[d], "json")
        return f"asset_{i:07d}.{ext}"

    def row_data(self, d: int, i: int) -> str:
        media = self.media[d]
        gk = self.global_key(d, i)
        base = "https://storage.googleapis.com/lb-emulator-assets"
        if media == "IMAGE":
            return f"{base}/images/{gk}.png"
        if media == "VIDEO":
            return f"{base}/videos/{gk}.mp4"
        if media == "TEXT":
            return f"{base}/texts/{gk}.txt"
        if media == "PDF":
            return f"{base}/pdfs/{gk}.pdf"
        messages = [
            {
                "messageId": f"message-{m}",
                "timestampUsec": int(self.row_created(d, i) * 1e6) + m,
                "content": _TEXTS[(i + m) % len(_TEXTS)],
                "user": {"userId": f"user-{m % 2}", "name": ("客户", "Agent 🤖")[m % 2]},
                "align": ("left", "right")[m % 2],
                "canLabel": True,
            }
            for m in range(3)
        ]
        return json.dumps(
            {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": messages},
            ensure_ascii=False,
        )

    def media_attributes(self, d: int, i: int) -> JSONDict:
        h = mix(self.seed, d, i, 3)
        media = self.media[d]
        if media == "IMAGE":
            return {
                "height": 200 + h % 1800,
                "width": 200 + (h >> 12) % 2400,
                "mime_type": "image/png",
                "exif_rotation": "1",
            }
        if media == "VIDEO":
            return {
                "height": 720,
                "width": 1280,
                "mime_type": "video/mp4",
                "frame_rate": 30,
                "frame_count": 300 + h % 600,
                "duration": (300 + h % 600) / 30,
            }
        if media == "TEXT":
            return {"mime_type": "text/plain", "text_length": 400 + h % 4000}
        if media == "PDF":
            return {"mime_type": "application/pdf", "page_count": 1 + h % 12}
        return {
            "asset_type": "conversational",
            "mime_type": "application/vnd.labelbox.conversational",
            "labelable_ids": ["message-0", "message-1", "message-2"],
            "message_count": 3,
        }

    def data_row(self, d: int, i: int) -> JSONDict:
        """A data row as the GraphQL API returns it (camelCase, every field the SDK selects)."""
        created = self.row_created(d, i)
        return {
            "id": self.row_id(d, i),
            "externalId": self.external_id(d, i),
            "globalKey": self.global_key(d, i),
            "rowData": self.row_data(d, i),
            "mediaAttributes": self.media_attributes(d, i),
            "createdAt": iso_ms(created),
            "updatedAt": iso_ms(created + 2.5),
            "customMetadata": [{"schemaId": SPLIT_SCHEMA_ID, "value": TRAIN_OPTION_ID}],
            "metadataFields": [
                {"schemaId": SPLIT_SCHEMA_ID, "name": "split", "value": TRAIN_OPTION_ID, "kind": "CustomMetadataEnum"}
            ],
            "_d": d,
            "_i": i,
        }

    # --------------------------------------------------------------- labels

    def label_created(self, p: int, i: int) -> float:
        # Whole milliseconds, so the API's timestamps compare exactly.
        return round((LABEL_T0 + i * LABEL_STEP + unit(mix(self.seed, p, i, 10)) * 2.0) * 1000) / 1000

    def label_meta(self, p: int, i: int) -> LabelMeta:
        h = mix(self.seed, p, i, 11)
        created = self.label_created(p, i)
        skipped = h % 32 == 0
        consensus = h % 10 < 7
        stc = round(5 + unit(mix(h, 1)) * 240, 3)
        str_ = round(unit(mix(h, 2)) * 60, 3) if (h >> 8) % 3 else 0.0
        return LabelMeta(
            id=self.label_id(p, i),
            created_at=created,
            updated_at=created + (h >> 16) % 7200,
            creator=(h >> 24) % self.n_users,
            agreement=round(unit(mix(h, 3)), 4) if consensus and not skipped else None,
            benchmark_agreement=round(unit(mix(h, 4)), 4) if (h >> 32) % 50 == 0 else None,
            is_benchmark_reference=(h >> 32) % 100 == 0,
            skipped=skipped,
            seconds_to_create=stc,
            seconds_to_review=str_,
            seconds_to_label=round(stc + str_, 3),
            reviews=(h >> 40) % 3,
        )

    def label_reviews(self, p: int, i: int, meta: LabelMeta | None = None) -> list[Review]:
        """The reviews of label ``(p, i)``: the same ones in GraphQL, export v2 label details and legacy rows."""
        if meta is None:
            meta = self.label_meta(p, i)
        return [
            Review(
                id=self.ids.opaque("rv", p, i, r),
                score=1 if r % 2 == 0 else -1,
                created_at=meta.created_at + 600 * (r + 1),
                reviewer=(meta.creator + r + 1) % self.n_users,
            )
            for r in range(meta.reviews)
        ]

    def workflow_status(self, p: int, i: int) -> str:
        return _WORKFLOW[mix(self.seed, p, i, 12) % len(_WORKFLOW)]

    # ---------------------------------------------------------- annotations

    def _fid(self, p: int, i: int, n: int) -> str:
        # Like real cuids, feature ids made together share their time prefix.
        # Hex digits are base-36 digits, and formatting hex is fast.
        # The value is f"c{int(LABEL_T0 + i * LABEL_STEP) & 0xFFFFFFFF:08x}{mix(self.seed, p, i, n):016x}"; a label
        # makes all its feature ids in a row, so the prefix and mix(seed, p, i) are kept for the next call.
        state = self._fid_state
        if state[0] != (p, i):
            state = ((p, i), f"c{int(LABEL_T0 + i * LABEL_STEP) & 0xFFFFFFFF:08x}", mix(self.seed, p, i))
            self._fid_state = state
        # mix_step(state[2], n), inlined: this runs a dozen times per label.
        h = (state[2] ^ (n & MASK64)) * 0xBF58476D1CE4E5B9 & MASK64
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & MASK64
        return f"{state[1]}{h ^ (h >> 29):016x}"

    def _sid(self, p: int, name: str) -> str:
        return _schema_id(self.ids, p, name)

    def classifications(self, p: int, i: int, rng: random.Random, depth: int = 0) -> list[JSONDict]:
        """Nested radio / checklist / free-text classifications (export v2 shape)."""
        out: list[JSONDict] = []
        kinds = ("radio", "checklist", "text") if depth == 0 else ("radio", "text")
        for kind in kinds:
            if depth and rng.random() < 0.5:
                continue
            name = f"{kind}_q{depth}"
            item: JSONDict = {
                "feature_id": self._fid(p, i, rng.getrandbits(30)),
                "feature_schema_id": self._sid(p, name),
                "name": name,
                "value": name,
            }
            if kind == "radio":
                answer = rng.choice(_ANSWERS)
                item["radio_answer"] = {
                    "feature_id": self._fid(p, i, rng.getrandbits(30)),
                    "feature_schema_id": self._sid(p, f"{name}:{answer}"),
                    "name": answer,
                    "value": _first_word(answer),
                    "classifications": (self.classifications(p, i, rng, depth + 1) if depth < 2 else []),
                }
            elif kind == "checklist":
                picks = rng.sample(_ANSWERS, k=rng.randint(1, 3))
                item["checklist_answers"] = [
                    {
                        "feature_id": self._fid(p, i, rng.getrandbits(30)),
                        "feature_schema_id": self._sid(p, f"{name}:{a}"),
                        "name": a,
                        "value": _first_word(a),
                        "classifications": [],
                    }
                    for a in picks
                ]
            else:
                item["text_answer"] = {"content": rng.choice(_TEXTS)}
            out.append(item)
        return out

    def _obj(self, p: int, i: int, rng: random.Random, name: str, kind: str) -> JSONDict:
        return {
            "feature_id": self._fid(p, i, rng.getrandbits(30)),
            "feature_schema_id": self._sid(p, name),
            "name": name,
            "value": _first_word(name).lower(),
            "annotation_kind": kind,
            "classifications": [],
        }

    def _image_annotations(self, p: int, i: int, rng: random.Random) -> JSONDict:
        objects: list[JSONDict] = []
        for _ in range(rng.randint(1, 6)):
            shape = rng.choice(("bbox", "bbox", "polygon", "point", "polyline", "mask"))
            if shape == "bbox":
                o = self._obj(p, i, rng, "damage 損傷", "ImageBoundingBox")
                o["bounding_box"] = {
                    "top": rng.randint(0, 900),
                    "left": rng.randint(0, 900),
                    "height": rng.randint(5, 400),
                    "width": rng.randint(5, 400),
                }
                if rng.random() < 0.5:
                    o["classifications"] = self.classifications(p, i, rng, 1)
            elif shape == "polygon":
                o = self._obj(p, i, rng, "roof_area", "ImagePolygon")
                o["polygon"] = [
                    {"x": round(rng.uniform(0, 1000), 2), "y": round(rng.uniform(0, 1000), 2)}
                    for _ in range(rng.randint(3, 12))
                ]
            elif shape == "point":
                o = self._obj(p, i, rng, "vent 📍", "ImagePoint")
                o["point"] = {"x": round(rng.uniform(0, 1000), 2), "y": round(rng.uniform(0, 1000), 2)}
            elif shape == "polyline":
                o = self._obj(p, i, rng, "ridge_line", "ImagePolyline")
                o["line"] = [
                    {"x": round(rng.uniform(0, 1000), 2), "y": round(rng.uniform(0, 1000), 2)}
                    for _ in range(rng.randint(2, 8))
                ]
            else:
                o = self._obj(p, i, rng, "moss_mask", "ImageSegmentationMask")
                o["mask"] = {"url": f"{self.api_url}/api/v1/masks/{self.label_id(p, i)}/{o['feature_id']}/mask.png"}
                o["composite_mask"] = {
                    "url": f"{self.api_url}/api/v1/masks/{self.label_id(p, i)}/composite",
                    "color_rgb": [rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)],
                }
            objects.append(o)
        relationships = []
        if len(objects) >= 2 and rng.random() < 0.4:
            relationships.append(
                {
                    "name": "attached_to",
                    "feature_schema_id": self._sid(p, "attached_to"),
                    "type": "unidirectional",
                    "source": objects[0]["feature_id"],
                    "target": objects[1]["feature_id"],
                }
            )
        return {
            "objects": objects,
            "classifications": self.classifications(p, i, rng),
            "relationships": relationships,
        }

    def _video_annotations(self, p: int, i: int, rng: random.Random) -> JSONDict:
        frames: dict[str, JSONDict] = {}
        segments: dict[str, list[list[int]]] = {}
        key_frames: dict[str, dict[str, bool]] = {}
        for _ in range(rng.randint(1, 3)):
            fid = self._fid(p, i, rng.getrandbits(30))
            start = rng.randint(1, 200)
            segs = [[start, start + rng.randint(0, 5)]]
            segs.append([segs[0][1] + rng.randint(2, 6), segs[0][1] + rng.randint(7, 12)])
            segments[fid] = segs
            key_frames[fid] = {}
            for lo, hi in segs:
                for f in (lo, hi):
                    key_frames[fid][str(f)] = True
                    frame = frames.setdefault(str(f), {"objects": {}, "classifications": []})
                    obj = self._obj(p, i, rng, "car 🚗", "VideoBoundingBox")
                    obj["feature_id"] = fid
                    obj["bounding_box"] = {
                        "top": rng.randint(0, 600),
                        "left": rng.randint(0, 1100),
                        "height": rng.randint(10, 200),
                        "width": rng.randint(10, 200),
                    }
                    frame["objects"][fid] = obj
        return {
            "frames": dict(sorted(frames.items(), key=lambda kv: int(kv[0]))),
            "segments": segments,
            "key_frame_feature_map": key_frames,
            "classifications": self.classifications(p, i, rng),
        }

    def _text_annotations(self, p: int, i: int, rng: random.Random) -> JSONDict:
        objects = []
        for _ in range(rng.randint(1, 5)):
            o = self._obj(p, i, rng, "person 人物", "TextEntity")
            start = rng.randint(0, 380)
            o["location"] = {"start": start, "end": start + rng.randint(0, 30)}
            objects.append(o)
        return {
            "objects": objects,
            "classifications": self.classifications(p, i, rng),
            "relationships": [],
        }

    def _conversational_annotations(self, p: int, i: int, rng: random.Random) -> JSONDict:
        objects = []
        for m in range(rng.randint(1, 3)):
            o = self._obj(p, i, rng, "intent 意图", "ConversationalTextEntity")
            start = rng.randint(0, 10)
            o["conversational_location"] = {
                "message_id": f"message-{m % 3}",
                "location": {"start": start, "end": start + rng.randint(1, 12)},
            }
            objects.append(o)
        classifications = self.classifications(p, i, rng)
        for c in classifications:
            c["message_id"] = "message-0"
        return {"objects": objects, "classifications": classifications, "relationships": []}

    def _pdf_annotations(self, p: int, i: int, rng: random.Random) -> JSONDict:
        objects = []
        for _ in range(rng.randint(1, 4)):
            o = self._obj(p, i, rng, "total_amount 合計", "DocumentBoundingBox")
            o["bounding_box"] = {
                "top": round(rng.uniform(0, 700), 2),
                "left": round(rng.uniform(0, 500), 2),
                "height": round(rng.uniform(5, 200), 2),
                "width": round(rng.uniform(5, 200), 2),
            }
            o["page_number"] = rng.randint(1, 5)
            o["unit"] = "POINTS"
            objects.append(o)
        return {
            "objects": objects,
            "classifications": self.classifications(p, i, rng),
            "relationships": [],
        }

    # ---------------------------------------------------------- ontology

    #: The object tools of a seeded project, by media type: (name, tool), as its labels use them.
    _TOOLS: ClassVar[dict[str, tuple[tuple[str, str], ...]]] = {
        "IMAGE": (
            ("damage 損傷", "rectangle"),
            ("roof_area", "polygon"),
            ("vent 📍", "point"),
            ("ridge_line", "line"),
            ("moss_mask", "raster-segmentation"),
            ("attached_to", "edge"),
        ),
        "VIDEO": (("car 🚗", "rectangle"),),
        "TEXT": (("person 人物", "named-entity"),),
        "CONVERSATIONAL": (("intent 意图", "named-entity"),),
        "PDF": (("total_amount 合計", "rectangle"),),
    }

    def _ontology_node(self, p: int, key: str, node: JSONDict) -> JSONDict:
        return {**node, "featureSchemaId": self._sid(p, key), "schemaNodeId": self.ids.opaque("schema-node", p, key)}

    def _ontology_classification(self, p: int, kind: str, depth: int) -> JSONDict:
        """The classification ``{kind}_q{depth}`` as :meth:`classifications` answers it, with its nested ones."""
        name = f"{kind}_q{depth}"
        options: list[JSONDict] = []
        if kind in ("radio", "checklist"):
            nested = kind == "radio" and depth < 2
            for answer in _ANSWERS:
                children = [self._ontology_classification(p, k, depth + 1) for k in ("radio", "text")] if nested else []
                option = {"label": answer, "value": _first_word(answer), "options": children, "position": len(options)}
                options.append(self._ontology_node(p, f"{name}:{answer}", option))
        node = {"type": kind, "name": name, "instructions": name, "required": False, "options": options}
        if depth == 0:
            node["scope"] = "global"
        return self._ontology_node(p, name, node)

    def ontology_roots(self, p: int) -> list[str]:
        """The names of the root tools and classifications of seeded project ``p``'s ontology, in order."""
        tools = self._TOOLS.get(self.media[p], self._TOOLS["IMAGE"])
        return [name for name, _ in tools] + ["radio_q0", "checklist_q0", "text_q0"]

    def ontology_id(self, p: int) -> str:
        """The id of seeded project ``p``'s ontology (its export lines' ``ontology_id``)."""
        return self.ids.opaque("ontology", p)

    def schema_id(self, p: int, name: str) -> str:
        """The feature schema id that project ``p``'s labels carry for the feature named ``name``."""
        return self._sid(p, name)

    def ontology(self, p: int) -> JSONDict:
        """The ontology of seeded project ``p``: every feature schema id its labels carry, and only those.

        Its id is the ``ontology_id`` of the project's export lines. Tools by media type; the nested
        classifications of a box are ``radio_q1``/``text_q1``, of a radio answer the next depth's (to depth 2).
        """
        media = self.media[p]
        tools = []
        for name, tool in self._TOOLS.get(media, self._TOOLS["IMAGE"]):
            nested = [self._ontology_classification(p, k, 1) for k in ("radio", "text")] if tool == "rectangle" else []
            # ``value`` as the labels carry it (the feature's value an import of it gets).
            node = {
                "tool": tool,
                "name": name,
                "value": _first_word(name).lower(),
                "required": False,
                "color": _color(self.seed, name),
            }
            tools.append(self._ontology_node(p, name, {**node, "classifications": nested}))
        return {
            "id": self.ontology_id(p),
            "name": f"{self.project_name(p)} ontology",
            "description": None,
            "createdAt": iso_ms(T0 + p * 3600.0 + 300),
            "updatedAt": iso_ms(T0 + p * 3600.0 + 300),
            "mediaType": media,
            "normalized": {
                "tools": tools,
                "classifications": [self._ontology_classification(p, k, 0) for k in ("radio", "checklist", "text")],
            },
        }

    def annotations(self, p: int, i: int) -> JSONDict:
        """The export v2 ``annotations`` member of label ``(p, i)``."""
        rng = random.Random(mix(self.seed, p, i, 20))
        media = self.media[p]
        if media == "VIDEO":
            return self._video_annotations(p, i, rng)
        if media == "TEXT":
            return self._text_annotations(p, i, rng)
        if media == "CONVERSATIONAL":
            return self._conversational_annotations(p, i, rng)
        if media == "PDF":
            return self._pdf_annotations(p, i, rng)
        return self._image_annotations(p, i, rng)

    # -------------------------------------------------------- export lines

    def export_label(self, p: int, i: int, params: JSONDict) -> JSONDict:
        meta = self.label_meta(p, i)
        out: JSONDict = {
            "label_kind": "Video" if self.media[p] == "VIDEO" else "Default",
            "version": "1.0.0",
            "id": meta.id,
        }
        if params.get("includeLabelDetails"):
            reviews = [
                {
                    "reviewed_at": iso_export(r.created_at),
                    "reviewed_by": self.email(r.reviewer),
                    "review_action": "Approve" if r.score > 0 else "Reject",
                }
                for r in self.label_reviews(p, i, meta)
            ]
            out["label_details"] = {
                "created_at": iso_export(meta.created_at),
                "updated_at": iso_export(meta.updated_at),
                "created_by": self.email(meta.creator),
                "content_last_updated_at": iso_export(meta.updated_at),
                "reviews": reviews,
            }
        if params.get("includePerformanceDetails"):
            out["performance_details"] = {
                "seconds_to_create": meta.seconds_to_create,
                "seconds_to_review": meta.seconds_to_review,
                "skipped": meta.skipped,
            }
        out["annotations"] = (
            {"objects": [], "classifications": [], "relationships": []} if meta.skipped else self.annotations(p, i)
        )
        return out

    def export_line(
        self,
        d: int,
        i: int,
        params: JSONDict,
        projects: Sequence[int],
        labelled: Sequence[bool],
    ) -> JSONDict:
        """One export v2 line: data row ``i`` of dataset ``d``, with the labels of ``projects``.

        ``labelled[k]`` says whether the row still has its label in ``projects[k]``.
        Key order follows the real export: data_row, media_attributes, (optional), projects.
        """
        created = self.row_created(d, i)
        row: JSONDict = {"id": self.row_id(d, i), "global_key": self.global_key(d, i)}
        ext = self.external_id(d, i)
        if ext is not None:
            row["external_id"] = ext
        row["row_data"] = self.row_data(d, i)
        if params.get("includeDataRowDetails"):
            row["details"] = {
                "dataset_id": self.dataset_id(d),
                "dataset_name": self.dataset_name(d),
                "created_at": iso_export(created),
                "updated_at": iso_export(created + 2.5),
                "last_activity_at": iso_export(self.label_meta(d, i).updated_at),
                "created_by": self.email(0),
            }
        line: JSONDict = {"data_row": row, "media_attributes": self.media_attributes(d, i)}
        if params.get("includeAttachments"):
            line["attachments"] = [
                {"type": "RAW_TEXT", "value": f"Note 備考 {i}", "name": "note", "id": self.ids.opaque("a", d, i)}
            ]
        if params.get("includeMetadata"):
            line["metadata_fields"] = [
                {
                    "schema_id": SPLIT_SCHEMA_ID,
                    "schema_name": "split",
                    "value": {"schema_id": TRAIN_OPTION_ID, "schema_name": "train"},
                }
            ]
        if params.get("includeEmbeddings"):
            rng = random.Random(mix(self.seed, d, i, 30))
            line["embeddings"] = [
                {
                    "id": self.ids.opaque("e", 0),
                    "name": "CLIP ViT-B/32",
                    "dimensions": 8,
                    "is_custom": False,
                    "values": [{"value": [round(rng.uniform(-1, 1), 6) for _ in range(8)]}],
                }
            ]
        section: JSONDict = {}
        for p, alive in zip(projects, labelled, strict=False):
            entry: JSONDict = {
                "name": self.project_name(p),
                "labels": [self.export_label(p, i, params)] if alive else [],
            }
            if params.get("includeProjectDetails"):
                entry["project_details"] = self.project_details(p, i, alive)
            section[self.project_id(p)] = entry
        line["projects"] = section
        return line

    def project_details(self, p: int, i: int, alive: bool) -> JSONDict:
        b = i // self.config.batch_size
        status = self.workflow_status(p, i) if alive else "TO_LABEL"
        meta = self.label_meta(p, i)
        history: list[JSONDict] = []
        if alive:
            history.append(
                {
                    "action": "Submitted",
                    "created_at": iso_export(meta.created_at),
                    "created_by": self.email(meta.creator),
                    "previous_task_name": "Initial labeling task",
                    "next_task_name": "Initial review task",
                }
            )
        return {
            "ontology_id": self.ontology_id(p),
            "task_name": {"TO_LABEL": "Initial labeling task", "DONE": "Done"}.get(
                status, "Initial review task" if status == "IN_REVIEW" else "Rework"
            ),
            "batch_id": self.batch_id(p, b),
            "batch_name": self.batch_name(b),
            "priority": 5,
            "consensus_expected_label_count": 1,
            "workflow_history": history,
            "workflow_status": status,
            # The label the project keeps for the row (its only one: a seeded project has one label per row).
            "selected_label_id": meta.id if alive else None,
        }

    def queue_id(self, p: int, q: int) -> str:
        """The id of workflow queue ``q`` (0 initial labeling, 1 initial review, 2 done) of seeded project ``p``, as
        the project's ``taskQueues`` give it."""
        return self.ids.encode("q", 0, p * 3 + q)

    def legacy_workflow_info(self, p: int, i: int, meta: LabelMeta) -> JSONDict:
        """``DataRow Workflow Info`` of a legacy row: the row's workflow task now and its history (the submit)."""
        status = self.workflow_status(p, i)
        task = {"TO_LABEL": "Initial labeling task", "DONE": "Done", "IN_REVIEW": "Initial review task"}
        return {
            "taskName": task.get(status, "Rework"),
            "Workflow History": [
                {
                    "actorId": self.user_id(meta.creator),
                    "action": "Submitted",
                    "createdAt": iso_ms(meta.created_at),
                    "previousTaskId": self.queue_id(p, 0),
                    "previousTaskName": "Initial labeling task",
                    "nextTaskId": self.queue_id(p, 1),
                    "nextTaskName": "Initial review task",
                }
            ],
        }

    # ------------------------------------------------------------- legacy v1

    def legacy_label_json(self, p: int, i: int, meta: LabelMeta | None = None) -> JSONDict:
        """The legacy ``Label`` object (camelCase) for label ``(p, i)``; ``{}`` when skipped."""
        if meta is None:
            meta = self.label_meta(p, i)
        if meta.skipped:
            return {}
        if self.media[p] == "VIDEO":
            return {"frames": f"__API__/frames/{meta.id}"}
        ann = self.annotations(p, i)
        objects = [self._legacy_object(o, p) for o in ann.get("objects", [])]
        return {
            "objects": objects,
            "classifications": [self._legacy_classification(c) for c in ann["classifications"]],
            "relationships": ann.get("relationships", []),
        }

    def _legacy_object(self, o: JSONDict, p: int) -> JSONDict:
        out: JSONDict = {
            "featureId": o["feature_id"],
            "schemaId": o["feature_schema_id"],
            "color": _color(self.seed, o["name"]),
            "title": o["name"],
            "value": o["value"],
        }
        if "bounding_box" in o:
            out["bbox"] = o["bounding_box"]
        for src, dst in (("polygon", "polygon"), ("point", "point"), ("line", "line")):
            if src in o:
                out[dst] = o[src]
        if "location" in o:
            out["data"] = {"location": o["location"]}
            out["format"] = "text.location"
            out["version"] = 1
        if "conversational_location" in o:
            out["data"] = o["conversational_location"]
        if "page_number" in o:
            out["page"] = o["page_number"] - 1
            out["unit"] = "POINTS"
        out["instanceURI"] = f"https://api.labelbox.com/masks/feature/{o['feature_id']}"
        if o.get("classifications"):
            out["classifications"] = [self._legacy_classification(c) for c in o["classifications"]]
        return out

    def _legacy_classification(self, c: JSONDict) -> JSONDict:
        out: JSONDict = {
            "featureId": c["feature_id"],
            "schemaId": c["feature_schema_id"],
            "title": c["name"],
            "value": c["value"],
        }
        if "radio_answer" in c:
            a = c["radio_answer"]
            out["answer"] = {
                "featureId": a["feature_id"],
                "schemaId": a["feature_schema_id"],
                "title": a["name"],
                "value": a["value"],
            }
        elif "checklist_answers" in c:
            out["answers"] = [
                {
                    "featureId": a["feature_id"],
                    "schemaId": a["feature_schema_id"],
                    "title": a["name"],
                    "value": a["value"],
                }
                for a in c["checklist_answers"]
            ]
        else:
            out["answer"] = c["text_answer"]["content"]
        return out

    def legacy_row(self, p: int, i: int, api_url: str) -> JSONDict:
        """One element of the legacy ``exportLabels`` JSON array (keys as in docs/wire.md, "The legacy bulk export")."""
        meta = self.label_meta(p, i)
        label = self.legacy_label_json(p, i, meta)
        if "frames" in label:
            label = {"frames": label["frames"].replace("__API__", api_url)}
        return {
            "ID": meta.id,
            "DataRow ID": self.row_id(p, i),
            "DataRow Metadata": [],
            "Media Attributes": self.media_attributes(p, i),
            "Labeled Data": self.row_data(p, i),
            "Label": label,
            "Created By": self.email(meta.creator),
            "Project Name": self.project_name(p),
            "Created At": iso_ms(meta.created_at),
            "Updated At": iso_ms(meta.updated_at),
            "Seconds to Label": meta.seconds_to_label,
            "External ID": self.external_id(p, i),
            "Global Key": self.global_key(p, i),
            "Agreement": meta.agreement if meta.agreement is not None else -1,
            "Benchmark Agreement": (meta.benchmark_agreement if meta.benchmark_agreement is not None else -1),
            "Benchmark ID": self.ids.opaque("bm", p) if meta.is_benchmark_reference else None,
            "Dataset Name": self.dataset_name(p),
            "Reviews": [
                {
                    "score": r.score,
                    "id": r.id,
                    "createdAt": iso_ms(r.created_at),
                    "createdBy": self.email(r.reviewer),
                    "labelId": meta.id,
                }
                for r in self.label_reviews(p, i, meta)
            ],
            "View Label": f"https://editor.labelbox.com?project={self.project_id(p)}&label={meta.id}",
            "Has Open Issues": 0,
            "Skipped": meta.skipped,
            "Data Split": None,
            "DataRow Workflow Info": self.legacy_workflow_info(p, i, meta),
        }

    def video_frames(self, p: int, i: int) -> list[JSONDict]:
        """Legacy per-frame NDJSON records for a video label."""
        ann = self.annotations(p, i)
        out = []
        for number, frame in ann["frames"].items():
            out.append(
                {
                    "frameNumber": int(number),
                    "objects": [{**self._legacy_object(o, p), "keyframe": True} for o in frame["objects"].values()],
                    "classifications": [],
                }
            )
        return out
