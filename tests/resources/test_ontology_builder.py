"""The typed ontology builder: its normalized JSON, the checks with the place of what is wrong, from_dict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from alabelbox import InvalidArgumentError
from alabelbox.types import (
    Classification,
    ClassificationType,
    FeatureSchema,
    Ontology,
    OntologyBuilder,
    Option,
    Scope,
    Tool,
    ToolType,
    UIMode,
)

C, T = ClassificationType, ToolType


def full_builder() -> OntologyBuilder:
    why = Classification(C.TEXT, "why", required=True)
    kind = Classification(
        C.RADIO,
        "kind",
        options=[Option("car", label="Car", options=[why]), Option("bus", position=1)],
        ui_mode=UIMode.HOTKEY,
        is_likert_scale=True,
    )
    return OntologyBuilder(
        tools=[
            Tool(T.BBOX, "vehicle", classifications=[kind]),
            Tool(T.POLYGON, "road", color="#123456", required=True),
            Tool(T.RELATIONSHIP, "follows", definition={"constraints": [("a", "b")]}),
            Tool(T.NER, "person", attributes=[{"attributeName": "a", "attributeValue": "b"}]),
        ],
        classifications=[
            Classification(C.CHECKLIST, "weather", options=[Option("rain"), Option("fog")], scope=Scope.INDEX),
            Classification(C.PROMPT, "prompt", min_characters=1, max_characters=90),
            Classification(C.RESPONSE_RADIO, "answer", options=[Option("yes"), Option("no")]),
        ],
    )


def test_to_dict_writes_the_normalized_shape() -> None:
    out = full_builder().to_dict()
    vehicle, road, follows, person = out["tools"]
    assert vehicle == {
        "tool": "rectangle",
        "name": "vehicle",
        "required": False,
        "color": "#ff0000",
        "classifications": [
            {
                "type": "radio",
                "instructions": "kind",
                "name": "kind",
                "required": False,
                "options": [
                    {
                        "schemaNodeId": None,
                        "featureSchemaId": None,
                        "label": "Car",
                        "value": "car",
                        "options": [
                            {
                                "type": "text",
                                "instructions": "why",
                                "name": "why",
                                "required": True,
                                "options": [],
                                "schemaNodeId": None,
                                "featureSchemaId": None,
                                "attributes": None,
                            }
                        ],
                    },
                    {
                        "schemaNodeId": None,
                        "featureSchemaId": None,
                        "label": "bus",
                        "value": "bus",
                        "options": [],
                        "position": 1,
                    },
                ],
                "schemaNodeId": None,
                "featureSchemaId": None,
                "attributes": None,
                "isLikertScale": True,
                "uiMode": "hotkey",
            }
        ],
        "schemaNodeId": None,
        "featureSchemaId": None,
        "attributes": None,
    }
    assert road["color"] == "#123456" and road["required"] is True
    assert follows["tool"] == "edge" and follows["definition"] == {"constraints": [["a", "b"]]}
    assert follows["color"] == "#00ffff" and person["color"] == "#7f00ff"  # the SDK's evenly spaced hues
    assert person["attributes"] == [{"attributeName": "a", "attributeValue": "b"}]
    weather, prompt, answer = out["classifications"]
    assert weather["scope"] == "index" and "uiMode" not in weather
    assert prompt == {
        "type": "prompt",
        "instructions": "prompt",
        "name": "prompt",
        "required": True,
        "options": [],
        "schemaNodeId": None,
        "featureSchemaId": None,
        "minCharacters": 1,
        "maxCharacters": 90,
    }
    assert answer["required"] is True and "scope" not in answer and "attributes" not in answer


def test_from_dict_round_trips() -> None:
    builder = full_builder()
    again = OntologyBuilder.from_dict(builder.to_dict())
    assert again.to_dict() == builder.to_dict()
    assert again.tools[2].definition == {"constraints": [["a", "b"]]}
    assert again.tools[0].classifications[0].options[0].options[0].required is True


def test_the_builder_is_immutable_and_takes_lists() -> None:
    builder = full_builder()
    assert isinstance(builder.tools, tuple) and isinstance(builder.tools[0].classifications, tuple)
    with pytest.raises(AttributeError):
        builder.tools = ()  # type: ignore[misc]
    assert Classification(C.TEXT, "note").instructions == "note"
    assert Option(3).label == 3


@pytest.mark.parametrize(
    ("build", "place"),
    [
        (lambda: OntologyBuilder(tools=[Tool(T.BBOX, "a"), Tool(T.LINE, "a")]), "tools[1]"),
        (
            lambda: OntologyBuilder(classifications=[Classification(C.TEXT, "q"), Classification(C.TEXT, "q")]),
            "classifications[1]",
        ),
        (
            lambda: OntologyBuilder(tools=[Tool(T.BBOX, "a", classifications=[Classification(C.RADIO, "r")])]),
            "tools[0].classifications[0].options",
        ),
        (
            lambda: OntologyBuilder(
                classifications=[Classification(C.CHECKLIST, "c", options=[Option("x"), Option("y"), Option("x")])]
            ),
            "classifications[0].options[2]",
        ),
        (
            lambda: OntologyBuilder(
                classifications=[
                    Classification(
                        C.RADIO,
                        "r",
                        options=[
                            Option("x", options=[Classification(C.CHECKLIST, "deep")]),
                        ],
                    )
                ]
            ),
            "classifications[0].options[0].options[0].options",
        ),
        (lambda: OntologyBuilder(tools=[Tool(T.POINT, " ")]), "tools[0].name"),
        (
            lambda: OntologyBuilder(classifications=[Classification(C.PROMPT, "p1"), Classification(C.PROMPT, "p2")]),
            "classifications[1]",
        ),
        (lambda: OntologyBuilder(tools=[{"tool": "point", "name": "x"}]), "tools[0]"),  # type: ignore[list-item]
        (
            lambda: OntologyBuilder(tools=[Tool(T.BBOX, "b", classifications=[Option("x")])]),  # type: ignore[list-item]
            "tools[0].classifications[0]",
        ),
    ],
)
def test_invalid_builders_say_where(build: Any, place: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        build()
    assert caught.value.argument == place


@pytest.mark.parametrize(
    ("normalized", "place", "words"),
    [
        ({"tools": [{"tool": "hexagon", "name": "x"}]}, "tools[0].tool", "hexagon"),
        ({"tools": [{"name": "x"}]}, "tools[0]", "'tool'"),
        (
            {"classifications": [{"type": "radio", "name": "r", "options": [{"label": "x"}]}]},
            "classifications[0].options[0]",
            "'value'",
        ),
        ({"tools": "nope"}, "ontology.tools", "list"),
        ({"tools": [3]}, "ontology.tools[0]", "object"),
        (
            {"classifications": [{"type": "text", "name": "t", "scope": "everywhere"}]},
            "classifications[0].scope",
            "everywhere",
        ),
    ],
)
def test_from_dict_says_where(normalized: dict[str, Any], place: str, words: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        OntologyBuilder.from_dict(normalized)
    assert caught.value.argument == place and words in str(caught.value)


def test_standalone_nodes_check_themselves() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        Classification(C.RADIO, "r").to_dict()
    assert caught.value.argument == "classification.options"
    with pytest.raises(InvalidArgumentError) as caught:
        Tool(T.BBOX, "b", classifications=[Classification(C.TEXT, "t"), Classification(C.TEXT, "t")]).to_dict()
    assert caught.value.argument == "tool.classifications[1]"
    assert Tool(T.BBOX, "b").to_dict()["color"] is None  # a standalone tool leaves the color to the API
    assert Classification(C.TEXT, "t").to_dict()["scope"] == "global"


def test_api_records_read_their_json() -> None:
    normalized: dict[str, Any] = {
        "tools": [
            {
                "tool": "point",
                "name": "eye",
                "featureSchemaId": "f1",
                "classifications": [
                    {
                        "type": "radio",
                        "name": "open",
                        "featureSchemaId": "f2",
                        "options": [{"value": "y", "featureSchemaId": "f3"}],
                    }
                ],
            }
        ],
        "classifications": [{"type": "text", "name": "note", "featureSchemaId": "f4"}],
    }
    ontology = Ontology.model_validate({"id": "o", "name": "n", "normalized": json.dumps(normalized)})
    assert ontology.normalized == normalized  # the Json scalar as text is parsed
    assert ontology.feature_schema_ids() == ["f1", "f2", "f3", "f4"]
    assert ontology.builder().tools[0].classifications[0].options[0].feature_schema_id == "f3"
    schema = FeatureSchema.model_validate({"id": "node", "name": "eye", "normalized": normalized["tools"][0]})
    assert schema.id == "f1" and schema.is_tool and isinstance(schema.definition(), Tool)
    text = FeatureSchema.model_validate({"id": "f4", "normalized": normalized["classifications"][0]})
    assert not text.is_tool and isinstance(text.definition(), Classification)


def test_with_relationship_gives_placeholder_ids_as_the_sdk() -> None:
    base = OntologyBuilder(tools=[Tool(T.BBOX, "car"), Tool(T.POLYGON, "lot", feature_schema_id="known")])
    built = base.with_relationship("parked in", [("car", "lot"), ("car", "car")], required=True)
    car, lot, edge = built.tools
    assert lot.feature_schema_id == "known" and car.feature_schema_id is not None and len(car.feature_schema_id) == 36
    assert edge.tool is T.RELATIONSHIP and edge.required is True
    assert edge.definition == {"constraints": [[car.feature_schema_id, "known"], [car.feature_schema_id] * 2]}
    assert base.tools[0].feature_schema_id is None  # the original builder is unchanged
    with pytest.raises(InvalidArgumentError) as caught:
        base.with_relationship("x", [("car", "bike")])
    assert caught.value.argument == "constraints[0]"
    with pytest.raises(InvalidArgumentError, match="already used"):
        base.with_relationship("car", [("car", "lot")])
