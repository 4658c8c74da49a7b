"""The official labelbox SDK (7.17.0), unmodified, sets up a project against the emulator.

It creates a project with quality settings, an ontology with nested classifications (``OntologyBuilder``) and
feature schemas, connects the ontology, updates, clones and deletes the project; every test checks what the
SDK read back against the emulator's truth. (A file of its own beside ``test_sdk_conformance.py``, whose
fixtures it shares.)
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from alabelbox.testing import Emulator

from .test_sdk_conformance import emu, in_thread, lbox_exceptions, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")
quality_mode = pytest.importorskip("labelbox.schema.quality_mode")

pytestmark = pytest.mark.sdk

__all__ = ["emu", "no_external_network"]  # fixtures, re-exported for pytest


def builder() -> Any:
    lb = labelbox
    why = lb.Classification(lb.Classification.Type.TEXT, "why")
    kind = lb.Classification(
        lb.Classification.Type.RADIO, "kind", options=[lb.Option("car", options=[why]), lb.Option("bus")]
    )
    return lb.OntologyBuilder(
        tools=[
            lb.Tool(lb.Tool.Type.BBOX, "vehicle", classifications=[kind]),
            lb.Tool(lb.Tool.Type.POLYGON, "road"),
            lb.Tool(lb.Tool.Type.RELATIONSHIP, "follows"),
        ],
        classifications=[
            lb.Classification(
                lb.Classification.Type.CHECKLIST, "weather", options=[lb.Option("rain"), lb.Option("fog")]
            )
        ],
    )


async def test_sdk_sets_up_a_project_with_a_nested_ontology(emu: Emulator, no_external_network: list[Any]) -> None:
    def run() -> dict[str, Any]:
        client = sdk_client(emu)
        project = client.create_project(
            name="Vehicles", description="street scenes", media_type=labelbox.MediaType.Image
        )
        ontology = client.create_ontology("Vehicles ontology", builder().asdict(), media_type=labelbox.MediaType.Image)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Connecting default labeling editor for the project."
            project.connect_ontology(ontology)
        project.update(name="Vehicles v2")
        clone = project.clone()
        again = client.get_project(project.uid)
        return {
            "project": project,
            "ontology": ontology,
            "again": again,
            "clone": clone,
            "connected": again.ontology(),
            "frontend": again.labeling_frontend(),
            "queues": again.task_queues(),
            "members": list(again.members()),
            "listed": [p.uid for p in client.get_projects()],
            "tools": ontology.tools(),
            "classifications": ontology.classifications(),
            "labels": again.get_label_count(),
        }

    got = await in_thread(run)
    pid = got["project"].uid
    truth = emu.project(pid)
    again = got["again"]
    assert again.name == "Vehicles v2" == truth["name"] and again.description == "street scenes"
    assert again.media_type == labelbox.MediaType.Image and truth["allowedMediaType"] == "IMAGE"
    assert again.setup_complete is not None and truth["setupComplete"] is not None
    assert got["labels"] == 0
    # The ontology: exactly what the emulator holds, every nested node with its ids.
    oid = got["ontology"].uid
    stored = emu.ontology(oid)
    assert got["connected"].uid == oid == emu.project_ontology_id(pid)
    assert got["connected"].normalized == stored["normalized"]
    assert [t.name for t in got["tools"]] == ["vehicle", "road", "follows"]
    assert [t.feature_schema_id for t in got["tools"]] == [t["featureSchemaId"] for t in stored["normalized"]["tools"]]
    kind = got["tools"][0].classifications[0]
    assert kind.name == "kind" and [o.value for o in kind.options] == ["car", "bus"]
    why = kind.options[0].options[0]
    assert why.name == "why" and why.feature_schema_id in emu.feature_schema_ids(pid)
    assert [c.name for c in got["classifications"]] == ["weather"]
    assert len(emu.feature_schema_ids(pid)) == 10
    # Editor, queues, members, listings, the clone.
    assert got["frontend"].name == "Editor"
    assert [q.name for q in got["queues"]] == ["Initial labeling task", "Initial review task", "Done"]
    assert [m.role().name for m in got["members"]] == ["ADMIN"]
    clone = got["clone"]
    assert clone.uid != pid and clone.name == "Vehicles v2 (copy)" == emu.project(clone.uid)["name"]
    assert emu.project_ontology_id(clone.uid) == oid
    assert got["listed"] == [*emu.project_ids, pid, clone.uid]
    assert no_external_network == []


async def test_sdk_feature_schemas_and_unused(emu: Emulator, no_external_network: list[Any]) -> None:
    lb = labelbox

    def run() -> dict[str, Any]:
        client = sdk_client(emu)
        point = client.create_feature_schema(lb.Tool(lb.Tool.Type.POINT, "keypoint").asdict())
        line = client.upsert_feature_schema(lb.Tool(lb.Tool.Type.LINE, "lane").asdict())
        renamed = client.update_feature_schema_title(line.uid, "lane marking")
        ontology = client.create_ontology_from_feature_schemas(
            "From schemas", [point.uid], media_type=lb.MediaType.Image
        )
        client.insert_feature_schema_into_ontology(line.uid, ontology.uid, 0)
        unused_before = client.get_unused_feature_schemas()
        removed = client.delete_feature_schema_from_ontology(ontology.uid, line.uid)
        unused_after = client.get_unused_feature_schemas()
        client.delete_unused_feature_schema(line.uid)
        with pytest.raises(lbox_exceptions.LabelboxError, match="is used by an ontology"):
            client.delete_unused_feature_schema(point.uid)
        unused_ontologies = client.get_unused_ontologies()
        project = client.create_project(name="Keypoints", media_type=lb.MediaType.Image)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            project.connect_ontology(ontology)
        with pytest.raises(lbox_exceptions.LabelboxError, match="is used by a project"):
            client.delete_unused_ontology(ontology.uid)
        project.delete()
        client.delete_unused_ontology(ontology.uid)
        return {
            "point": point,
            "renamed": renamed,
            "ontology": ontology,
            "unused_before": unused_before,
            "removed": removed,
            "unused_after": unused_after,
            "unused_ontologies": unused_ontologies,
            "searched": [f.uid for f in client.get_feature_schemas("key")],
            "pid": project.uid,
        }

    got = await in_thread(run)
    point = got["point"]
    assert point.name == "keypoint" == emu.feature_schema(point.uid)["name"]
    assert point.normalized == emu.feature_schema(point.uid)["normalized"]
    assert got["renamed"].name == "lane marking" and got["renamed"].normalized["name"] == "lane marking"
    assert got["ontology"].tools()[0].feature_schema_id == point.uid
    assert got["unused_before"] == [] and got["unused_after"] == [got["renamed"].uid]
    assert got["removed"].deleted is True and got["removed"].archived is False
    assert got["unused_ontologies"] == [got["ontology"].uid]
    assert got["searched"] == [point.uid]
    with pytest.raises(KeyError):
        emu.feature_schema(got["renamed"].uid)
    with pytest.raises(KeyError):
        emu.ontology(got["ontology"].uid)
    with pytest.raises(KeyError):
        emu.project(got["pid"])
    assert no_external_network == []


async def test_sdk_project_quality_modes(emu: Emulator) -> None:
    lb = labelbox

    def run() -> Any:
        client = sdk_client(emu)
        return client.create_project(
            name="Benchmarked", media_type=lb.MediaType.Text, quality_modes={quality_mode.QualityMode.Benchmark}
        )

    project = await in_thread(run)
    truth = emu.project(project.uid)
    assert project.is_benchmark_enabled is True is truth["isBenchmarkEnabled"]
    assert project.is_consensus_enabled is False is truth["isConsensusEnabled"]
    assert project.auto_audit_number_of_labels == 1 == truth["autoAuditNumberOfLabels"]
    assert project.auto_audit_percentage == 1 == truth["autoAuditPercentage"]
    assert truth["allowedMediaType"] == "TEXT"
