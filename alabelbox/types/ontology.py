"""Ontologies: the typed builder (:class:`OntologyBuilder`, :class:`Tool`, :class:`Classification`,
:class:`Option`) and the API's :class:`Ontology` and :class:`FeatureSchema` records.

The builder writes the API's *normalized* JSON, the shape ``client.ontologies.create`` sends and
``Ontology.normalized`` holds: the same dictionaries, key for key, as the official SDK's
``OntologyBuilder.asdict()``, and :meth:`OntologyBuilder.from_dict` reads what the SDK's ``from_dict`` reads
(every stored ontology), so an ontology goes back and forth between the two without change.

The builder is immutable and checked when it is built: a radio or checklist without options, two tools of one
name, two options of one value, a second prompt raise :class:`~alabelbox.InvalidArgumentError` naming the place
(``tools[0].classifications[1].options``), before anything is sent.

Example:
    >>> from alabelbox.types import Classification, ClassificationType, OntologyBuilder, Option, Tool, ToolType
    >>> builder = OntologyBuilder(
    ...     tools=[Tool(ToolType.BBOX, "car", color="#ff0000")],
    ...     classifications=[Classification(ClassificationType.RADIO, "weather", options=[Option("sun")])],
    ... )
    >>> builder.to_dict()["tools"][0]["tool"], builder.to_dict()["classifications"][0]["scope"]
    ('rectangle', 'global')
    >>> OntologyBuilder.from_dict(builder.to_dict()) == builder
    True
"""

from __future__ import annotations

import colorsys
import enum
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import field_validator, model_validator

from alabelbox._exceptions import InvalidArgumentError
from alabelbox.types._api import ApiModel

__all__ = [
    "Classification",
    "ClassificationType",
    "FeatureSchema",
    "FeatureSchemaRemoval",
    "Ontology",
    "OntologyBuilder",
    "Option",
    "Scope",
    "Tool",
    "ToolType",
    "UIMode",
]


class ToolType(enum.StrEnum):
    """The kind of a tool (an object annotation), in the API's spelling.

    Example:
        >>> ToolType("rectangle") is ToolType.BBOX
        True
    """

    POLYGON = "polygon"
    SEGMENTATION = "superpixel"
    RASTER_SEGMENTATION = "raster-segmentation"
    POINT = "point"
    BBOX = "rectangle"
    LINE = "line"
    NER = "named-entity"
    RELATIONSHIP = "edge"
    MESSAGE_SINGLE_SELECTION = "message-single-selection"
    MESSAGE_MULTI_SELECTION = "message-multi-selection"
    MESSAGE_RANKING = "message-ranking"
    MARKER = "marker"
    STEP_REASONING = "step-reasoning"
    FACT_CHECKING = "fact-checking"
    PROMPT_ISSUE = "prompt-issue"


class ClassificationType(enum.StrEnum):
    """The kind of a classification, in the API's spelling. The ``PROMPT`` and ``RESPONSE_*`` kinds are the
    SDK's ``PromptResponseClassification`` (always required; ``min_characters``/``max_characters``).

    Example:
        >>> ClassificationType("checklist").requires_options
        True
    """

    TEXT = "text"
    CHECKLIST = "checklist"
    RADIO = "radio"
    GROUP = "group"
    PROMPT = "prompt"
    RESPONSE_TEXT = "response-text"
    RESPONSE_CHECKLIST = "response-checklist"
    RESPONSE_RADIO = "response-radio"

    @property
    def requires_options(self) -> bool:
        """Whether a classification of this kind needs at least one option."""
        return self in _REQUIRES_OPTIONS

    @property
    def is_prompt_response(self) -> bool:
        """Whether this is a prompt or response classification (chat evaluation ontologies)."""
        return self in _PROMPT_RESPONSE


_REQUIRES_OPTIONS = frozenset(
    {
        ClassificationType.CHECKLIST,
        ClassificationType.RADIO,
        ClassificationType.RESPONSE_CHECKLIST,
        ClassificationType.RESPONSE_RADIO,
    }
)
_PROMPT_RESPONSE = frozenset(
    {
        ClassificationType.PROMPT,
        ClassificationType.RESPONSE_TEXT,
        ClassificationType.RESPONSE_CHECKLIST,
        ClassificationType.RESPONSE_RADIO,
    }
)


class Scope(enum.StrEnum):
    """Where a root classification applies: to the whole data row (``GLOBAL``) or to a frame (``INDEX``)."""

    GLOBAL = "global"
    INDEX = "index"


class UIMode(enum.StrEnum):
    """How the editor offers a radio or checklist's options: hotkeys, or a searchable list."""

    HOTKEY = "hotkey"
    SEARCHABLE = "searchable"


def _enum(kind: type[enum.StrEnum], value: Any, path: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(repr(m.value) for m in kind)
        raise InvalidArgumentError(path, f"{value!r} is not a {kind.__name__} (one of {known})") from None


def _key(node: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in node:
        raise InvalidArgumentError(path, f"the node has no {key!r}")
    return node[key]


def _nodes(node: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = node.get(key) or []
    if not isinstance(value, list):
        raise InvalidArgumentError(f"{path}.{key}", f"must be a list, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InvalidArgumentError(f"{path}.{key}[{i}]", f"must be an object, got {type(item).__name__}")
    return value


def _check_kinds(items: Sequence[Any], kind: type, path: str) -> None:
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidArgumentError(f"{path}[{i}]", f"must be a {kind.__name__}, got {type(item).__name__}")


def _check_unique(names: Iterator[tuple[int, Any]], path: str, what: str) -> None:
    seen: dict[Any, int] = {}
    for i, name in names:
        if name in seen:
            raise InvalidArgumentError(f"{path}[{i}]", f"{what} {name!r} is already used by {path}[{seen[name]}]")
        seen[name] = i


@dataclass(frozen=True, slots=True)
class Option:
    """A possible answer of a radio or checklist classification, with nested classifications of its own.

    Args:
        value: The answer's value (what exports and imports carry).
        label: What the editor shows; the value by default.
        options: Classifications asked when this answer is chosen.
        position: Its place among the options, if set.
        schema_node_id: The schema node id (set by the API; keep it when editing a stored ontology).
        feature_schema_id: The feature schema id (set by the API).

    Example:
        >>> Option("car").to_dict()["label"]
        'car'
    """

    value: str | int
    _: KW_ONLY
    label: str | int | None = None
    options: Sequence[Classification] = ()
    position: int | None = None
    schema_node_id: str | None = None
    feature_schema_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if self.label is None:
            object.__setattr__(self, "label", self.value)

    def _check(self, path: str) -> None:
        _check_kinds(self.options, Classification, f"{path}.options")
        _check_unique(((i, c.name) for i, c in enumerate(self.options)), f"{path}.options", "the classification name")
        for i, child in enumerate(self.options):
            child._check(f"{path}.options[{i}]", nested=True)

    def to_dict(self) -> dict[str, Any]:
        """The option's normalized JSON."""
        out: dict[str, Any] = {
            "schemaNodeId": self.schema_node_id,
            "featureSchemaId": self.feature_schema_id,
            "label": self.label,
            "value": self.value,
            "options": [c._to_dict(nested=True) for c in self.options],
        }
        if self.position is not None:
            out["position"] = self.position
        return out

    @classmethod
    def from_dict(cls, node: Mapping[str, Any], *, path: str = "option") -> Option:
        """An option from its normalized JSON.

        Raises:
            InvalidArgumentError: The JSON is not an option (the message names the place).
        """
        value = _key(node, "value", path)
        return cls(
            value,
            label=node.get("label"),
            options=[
                Classification.from_dict(c, path=f"{path}.options[{i}]")
                for i, c in enumerate(_nodes(node, "options", path))
            ],
            position=node.get("position"),
            schema_node_id=node.get("schemaNodeId"),
            feature_schema_id=node.get("featureSchemaId"),
        )


@dataclass(frozen=True, slots=True)
class Classification:
    """A question asked of a data row (at the root of an ontology), of an object (under a tool), or of an answer
    (under an option).

    Args:
        type: Text, radio, checklist, ... (:class:`ClassificationType`).
        name: The name that annotations and imports use.
        instructions: What the editor shows; the name by default.
        required: Whether a label must answer it (prompt and response classifications always are).
        options: The answers of a radio or checklist (at least one).
        scope: Global or per frame, for a root classification (nested ones do not write it).
        ui_mode: Hotkeys or a searchable list, for a radio or checklist.
        is_likert_scale: A radio shown as a Likert scale.
        min_characters: The shortest answer of a prompt or text response.
        max_characters: The longest answer of a prompt or text response.
        attributes: Beta feature-schema attributes (``{"attributeName", "attributeValue"}``).
        schema_node_id: The schema node id (set by the API).
        feature_schema_id: The feature schema id (set by the API).

    Example:
        >>> Classification(ClassificationType.TEXT, "note").to_dict()["instructions"]
        'note'
    """

    type: ClassificationType
    name: str
    _: KW_ONLY
    instructions: str | None = None
    required: bool = False
    options: Sequence[Option] = ()
    scope: Scope = Scope.GLOBAL
    ui_mode: UIMode | None = None
    is_likert_scale: bool = False
    min_characters: int | None = None
    max_characters: int | None = None
    attributes: Sequence[Mapping[str, str]] | None = None
    schema_node_id: str | None = None
    feature_schema_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", ClassificationType(self.type))
        object.__setattr__(self, "options", tuple(self.options))
        if self.attributes is not None:
            object.__setattr__(self, "attributes", tuple(dict(a) for a in self.attributes))
        if self.instructions is None:
            object.__setattr__(self, "instructions", self.name)
        if self.type.is_prompt_response:
            object.__setattr__(self, "required", True)

    def _check(self, path: str, *, nested: bool = False) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidArgumentError(f"{path}.name", f"must be a non-blank string, got {self.name!r}")
        _check_kinds(self.options, Option, f"{path}.options")
        if self.type.requires_options and not self.options:
            raise InvalidArgumentError(f"{path}.options", f"a {self.type.value} classification needs an option")
        _check_unique(((i, o.value) for i, o in enumerate(self.options)), f"{path}.options", "the option value")
        for i, option in enumerate(self.options):
            option._check(f"{path}.options[{i}]")

    def to_dict(self) -> dict[str, Any]:
        """The classification's normalized JSON, as a root classification (with its ``scope``).

        Raises:
            InvalidArgumentError: It is not valid (a radio without options, two options of one value...).
        """
        self._check("classification")
        return self._to_dict(nested=False)

    def _to_dict(self, *, nested: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type.value,
            "instructions": self.instructions,
            "name": self.name,
            "required": self.required,
            "options": [o.to_dict() for o in self.options],
            "schemaNodeId": self.schema_node_id,
            "featureSchemaId": self.feature_schema_id,
        }
        if self.type.is_prompt_response:
            if self.type in (ClassificationType.PROMPT, ClassificationType.RESPONSE_TEXT):
                if self.min_characters:
                    out["minCharacters"] = self.min_characters
                if self.max_characters:
                    out["maxCharacters"] = self.max_characters
            return out
        out["attributes"] = [dict(a) for a in self.attributes] if self.attributes is not None else None
        if self.type is ClassificationType.RADIO and self.is_likert_scale:
            out["isLikertScale"] = True
        if self.type in (ClassificationType.RADIO, ClassificationType.CHECKLIST) and self.ui_mode is not None:
            out["uiMode"] = self.ui_mode.value
        if not nested:
            out["scope"] = Scope(self.scope).value
        return out

    @classmethod
    def from_dict(cls, node: Mapping[str, Any], *, path: str = "classification") -> Classification:
        """A classification from its normalized JSON.

        Raises:
            InvalidArgumentError: The JSON is not a classification (the message names the place).
        """
        kind = _enum(ClassificationType, _key(node, "type", path), f"{path}.type")
        name = node.get("name") or node.get("instructions")
        if not isinstance(name, str):
            raise InvalidArgumentError(f"{path}.name", f"must be a string, got {name!r}")
        ui_mode, scope = node.get("uiMode"), node.get("scope")
        return cls(
            kind,
            name,
            instructions=node.get("instructions"),
            required=bool(node.get("required", False)),
            options=[
                Option.from_dict(o, path=f"{path}.options[{i}]") for i, o in enumerate(_nodes(node, "options", path))
            ],
            scope=_enum(Scope, scope, f"{path}.scope") if scope is not None else Scope.GLOBAL,
            ui_mode=_enum(UIMode, ui_mode, f"{path}.uiMode") if ui_mode is not None else None,
            is_likert_scale=bool(node.get("isLikertScale", False)),
            min_characters=node.get("minCharacters"),
            max_characters=node.get("maxCharacters"),
            attributes=node.get("attributes") or None,
            schema_node_id=node.get("schemaNodeId"),
            feature_schema_id=node.get("featureSchemaId"),
        )


@dataclass(frozen=True, slots=True)
class Tool:
    """An object tool of an ontology (a box, a polygon, an entity, a relationship...), with nested classifications.

    Args:
        tool: The kind of tool (:class:`ToolType`).
        name: The name that annotations and imports use.
        required: Whether a label must have one.
        color: ``#rrggbb``; :meth:`OntologyBuilder.to_dict` picks one for a tool without, as the SDK does.
        classifications: Questions asked of each object.
        definition: The tool's extra definition, e.g. a relationship's ``{"constraints": [[from_id, to_id]]}``
            or a step-reasoning tool's variants.
        attributes: Beta feature-schema attributes (``{"attributeName", "attributeValue"}``).
        schema_node_id: The schema node id (set by the API).
        feature_schema_id: The feature schema id (set by the API).

    Example:
        >>> Tool(ToolType.POLYGON, "road").to_dict()["tool"]
        'polygon'
    """

    tool: ToolType
    name: str
    _: KW_ONLY
    required: bool = False
    color: str | None = None
    classifications: Sequence[Classification] = ()
    definition: Mapping[str, Any] | None = None
    attributes: Sequence[Mapping[str, str]] | None = None
    schema_node_id: str | None = None
    feature_schema_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tool", ToolType(self.tool))
        object.__setattr__(self, "classifications", tuple(self.classifications))
        if self.attributes is not None:
            object.__setattr__(self, "attributes", tuple(dict(a) for a in self.attributes))

    def _check(self, path: str) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidArgumentError(f"{path}.name", f"must be a non-blank string, got {self.name!r}")
        _check_kinds(self.classifications, Classification, f"{path}.classifications")
        _check_unique(
            ((i, c.name) for i, c in enumerate(self.classifications)),
            f"{path}.classifications",
            "the classification name",
        )
        for i, child in enumerate(self.classifications):
            child._check(f"{path}.classifications[{i}]", nested=True)

    def to_dict(self) -> dict[str, Any]:
        """The tool's normalized JSON (``color`` stays None when unset: the API picks one).

        Raises:
            InvalidArgumentError: It is not valid (a nested radio without options, two classifications of one name).
        """
        self._check("tool")
        return self._to_dict(self.color)

    def _to_dict(self, color: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tool": self.tool.value,
            "name": self.name,
            "required": self.required,
            "color": color,
            "classifications": [c._to_dict(nested=True) for c in self.classifications],
            "schemaNodeId": self.schema_node_id,
            "featureSchemaId": self.feature_schema_id,
            "attributes": [dict(a) for a in self.attributes] if self.attributes is not None else None,
        }
        if self.definition is not None:
            out["definition"] = json.loads(json.dumps(self.definition))  # tuples of constraints become lists
        return out

    @classmethod
    def from_dict(cls, node: Mapping[str, Any], *, path: str = "tool") -> Tool:
        """A tool from its normalized JSON.

        Raises:
            InvalidArgumentError: The JSON is not a tool (the message names the place).
        """
        kind = _enum(ToolType, _key(node, "tool", path), f"{path}.tool")
        name = _key(node, "name", path)
        return cls(
            kind,
            name,
            required=bool(node.get("required", False)),
            color=node.get("color"),
            classifications=[
                Classification.from_dict(c, path=f"{path}.classifications[{i}]")
                for i, c in enumerate(_nodes(node, "classifications", path))
            ],
            definition=node.get("definition"),
            attributes=node.get("attributes") or None,
            schema_node_id=node.get("schemaNodeId"),
            feature_schema_id=node.get("featureSchemaId"),
        )


def _color(index: int, count: int) -> str:
    """The SDK's color for tool ``index`` of ``count`` without one: evenly spaced hues."""
    r, g, b = (int(255 * x) for x in colorsys.hsv_to_rgb(index / count, 1, 1))
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True, slots=True)
class OntologyBuilder:
    """An ontology to create: its tools and root classifications, checked as it is built.

    Args:
        tools: The object tools.
        classifications: The root (global) classifications.

    Raises:
        InvalidArgumentError: Two tools (or two root classifications) share a name, a radio or checklist has no
            option, two options of one classification share a value, a name is blank, or there is more than one
            prompt; the message names the place (``tools[0].classifications[1].options``).

    Example:
        >>> builder = OntologyBuilder(tools=[Tool(ToolType.POINT, "eye"), Tool(ToolType.LINE, "lane")])
        >>> [t["color"] for t in builder.to_dict()["tools"]]
        ['#ff0000', '#00ffff']
        >>> Tool(ToolType.POINT, "eye") in builder.tools
        True
    """

    tools: Sequence[Tool] = ()
    classifications: Sequence[Classification] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "tools", tuple(self.tools))
        object.__setattr__(self, "classifications", tuple(self.classifications))
        _check_kinds(self.tools, Tool, "tools")
        _check_kinds(self.classifications, Classification, "classifications")
        _check_unique(((i, t.name) for i, t in enumerate(self.tools)), "tools", "the tool name")
        _check_unique(((i, c.name) for i, c in enumerate(self.classifications)), "classifications", "the name")
        for i, tool in enumerate(self.tools):
            tool._check(f"tools[{i}]")
        prompts = 0
        for i, c in enumerate(self.classifications):
            c._check(f"classifications[{i}]")
            prompts += c.type is ClassificationType.PROMPT
            if prompts > 1:
                raise InvalidArgumentError(f"classifications[{i}]", "an ontology has at most one prompt")

    def with_relationship(
        self,
        name: str,
        constraints: Sequence[tuple[str, str]],
        *,
        required: bool = False,
        color: str | None = None,
        classifications: Sequence[Classification] = (),
    ) -> OntologyBuilder:
        """This builder plus a relationship tool that may join the tools named in ``constraints``
        (``(from_tool, to_tool)`` pairs), as the SDK's ``RelationshipTool.set_constraints``.

        A constraint names the tools by feature schema id. A tool that has none yet gets a UUID in its place (the
        API replaces it with the id it gives the tool, in the constraints too), as the SDK does.

        Raises:
            InvalidArgumentError: A constraint names no tool of this builder (or a relationship), or the
                relationship's name is taken.

        Example:
            >>> builder = OntologyBuilder(tools=[Tool(ToolType.BBOX, "car"), Tool(ToolType.BBOX, "trailer")])
            >>> builder = builder.with_relationship("tows", [("car", "trailer")])
            >>> ontology = await client.ontologies.create("Towing", builder)
            >>> car, trailer, tows = ontology.builder().tools
            >>> tows.definition["constraints"] == [[car.feature_schema_id, trailer.feature_schema_id]]
            True
        """
        by_name = {t.name: i for i, t in enumerate(self.tools) if t.tool is not ToolType.RELATIONSHIP}
        tools = list(self.tools)
        pairs: list[list[str]] = []
        for i, pair in enumerate(constraints):
            ids = []
            for end in pair:
                if end not in by_name:
                    raise InvalidArgumentError(f"constraints[{i}]", f"{end!r} is not the name of a tool of the builder")
                tool = tools[by_name[end]]
                if tool.feature_schema_id is None:
                    tool = replace(
                        tool,
                        feature_schema_id=str(uuid.uuid4()),
                        schema_node_id=tool.schema_node_id or str(uuid.uuid4()),
                    )
                    tools[by_name[end]] = tool
                ids.append(str(tool.feature_schema_id))
            pairs.append(ids)
        edge = Tool(
            ToolType.RELATIONSHIP,
            name,
            required=required,
            color=color,
            classifications=classifications,
            definition={"constraints": pairs},
        )
        return OntologyBuilder(tools=[*tools, edge], classifications=self.classifications)

    def to_dict(self) -> dict[str, Any]:
        """The normalized JSON of the ontology, as the SDK's ``OntologyBuilder.asdict()`` writes it.

        Example:
            >>> OntologyBuilder().to_dict()
            {'tools': [], 'classifications': []}
        """
        count = len(self.tools)
        return {
            "tools": [
                t._to_dict(t.color if t.color is not None else _color(i, count)) for i, t in enumerate(self.tools)
            ],
            "classifications": [c._to_dict(nested=False) for c in self.classifications],
        }

    @classmethod
    def from_dict(cls, normalized: Mapping[str, Any]) -> OntologyBuilder:
        """The builder of a normalized ontology (``Ontology.normalized``, or the SDK's ``asdict()``).

        Raises:
            InvalidArgumentError: ``normalized`` is not an ontology (the message names the place).

        Example:
            >>> normalized = {"tools": [{"tool": "point", "name": "eye"}], "classifications": []}
            >>> OntologyBuilder.from_dict(normalized).tools[0].tool
            <ToolType.POINT: 'point'>
        """
        if not isinstance(normalized, Mapping):
            raise InvalidArgumentError("normalized", f"must be an object, got {type(normalized).__name__}")
        return cls(
            tools=[
                Tool.from_dict(t, path=f"tools[{i}]") for i, t in enumerate(_nodes(normalized, "tools", "ontology"))
            ],
            classifications=[
                Classification.from_dict(c, path=f"classifications[{i}]")
                for i, c in enumerate(_nodes(normalized, "classifications", "ontology"))
            ],
        )


def _json_object(value: Any) -> Any:
    """The API's ``Json`` scalar arrives as an object, or as a JSON string in some answers."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class Ontology(ApiModel):
    """An ontology as the API stores it: every node has its ``featureSchemaId`` and ``schemaNodeId``.

    Example:
        >>> builder = OntologyBuilder(tools=[Tool(ToolType.BBOX, "vehicle"), Tool(ToolType.POLYGON, "road")])
        >>> ontology = await client.ontologies.create("Streets", builder)
        >>> [tool.name for tool in ontology.builder().tools]
        ['vehicle', 'road']
        >>> all(tool.feature_schema_id for tool in ontology.builder().tools)
        True
    """

    id: str
    name: str
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    media_type: str | None = None
    """The media type the ontology is for (``"IMAGE"``...), or None for any."""
    normalized: dict[str, Any]
    """The tools and classifications, as JSON (read them typed with :meth:`builder`)."""
    object_schema_count: int | None = None
    classification_schema_count: int | None = None

    _parse_normalized = field_validator("normalized", mode="before")(_json_object)

    def builder(self) -> OntologyBuilder:
        """The ontology as a typed :class:`OntologyBuilder` (to read, or to edit and create anew).

        Raises:
            InvalidArgumentError: A node is of a kind this client does not know.
        """
        return OntologyBuilder.from_dict(self.normalized)

    def feature_schema_ids(self) -> list[str]:
        """The feature schema ids of every node, depth first: tools, their classifications and options, then the
        root classifications. These are the ids that the project's labels and exports carry.

        Example:
            >>> kind = Classification(ClassificationType.RADIO, "kind", options=[Option("car"), Option("bus")])
            >>> builder = OntologyBuilder(tools=[Tool(ToolType.BBOX, "vehicle", classifications=[kind])])
            >>> ontology = await client.ontologies.create("Vehicles", builder)
            >>> len(ontology.feature_schema_ids())  # the tool, its radio, the radio's two options
            4
        """
        out: list[str] = []

        def walk(node: Any) -> None:
            if not isinstance(node, Mapping):
                return
            if node.get("featureSchemaId"):
                out.append(node["featureSchemaId"])
            for child in [*(node.get("classifications") or ()), *(node.get("options") or ())]:
                walk(child)

        for node in [*self.normalized.get("tools", ()), *self.normalized.get("classifications", ())]:
            walk(node)
        return out


class FeatureSchema(ApiModel):
    """A root tool or classification stored on its own (ontologies reuse it by its id).

    ``id`` is the feature schema id (``normalized["featureSchemaId"]``), as the SDK reads it.

    Example:
        >>> created = await client.feature_schemas.create(Tool(ToolType.POINT, "keypoint"))
        >>> schema = await client.feature_schemas.retrieve(created.id)
        >>> schema.definition().name == schema.name == "keypoint"
        True
    """

    id: str
    name: str | None = None
    normalized: dict[str, Any]
    """The tool or classification, as JSON (read it typed with :meth:`definition`)."""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _parse_normalized = field_validator("normalized", mode="before")(_json_object)

    @model_validator(mode="before")
    @classmethod
    def _id_from_normalized(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            normalized = _json_object(value.get("normalized"))
            if isinstance(normalized, Mapping) and normalized.get("featureSchemaId"):
                return {**value, "id": normalized["featureSchemaId"]}
        return value

    @property
    def is_tool(self) -> bool:
        """Whether it is a tool (else a classification)."""
        return "tool" in self.normalized

    def definition(self) -> Tool | Classification:
        """The feature schema as a typed :class:`Tool` or :class:`Classification`.

        Raises:
            InvalidArgumentError: It is of a kind this client does not know.
        """
        if self.is_tool:
            return Tool.from_dict(self.normalized)
        return Classification.from_dict(self.normalized)


class FeatureSchemaRemoval(ApiModel):
    """What removing a feature schema from an ontology did: a feature that projects may have labelled is
    archived (hidden from the editor, kept for existing labels); an unused one is deleted."""

    archived: bool
    deleted: bool
