"""The official labelbox SDK (7.17.0), unmodified, extends reservations, turns model-assisted labeling on and off
and uploads a project's instructions against the emulator; alabelbox does the same with the same requests, and
both see the same state. (A file of its own beside ``test_sdk_conformance.py``, whose helpers it shares.)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from graphql import parse, print_ast

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import MediaType

from .test_sdk_conformance import in_thread, no_external_network

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=17, projects=2, data_rows=40, task_seconds=0.0) as e:
        yield e


TOGGLES = ("toggle_model_assisted_labelingPyApi", "ToggleModelAssistedLabelingPyApi")
"""The SDK's operation name and alabelbox's (the house spelling of the same)."""


def _document(query: str | None, renames: dict[str, str] | None = None) -> str:
    text = print_ast(parse(query or ""))
    for ours, theirs in (renames or {}).items():
        text = text.replace(ours, theirs)
    return text


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
    )


async def test_sdk_and_alabelbox_extend_reservations_alike(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]

    def run() -> tuple[int, int]:
        project = sdk(emu).get_project(pid)
        return project.extend_reservations("LabelingQueue"), project.extend_reservations("ReviewQueue")

    assert await in_thread(run) == (0, 0)
    theirs = [(r.query, r.variables) for r in emu.api_requests("ExtendReservationsPyApi")]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = (
            await client.workflow.extend_reservations(pid, "LabelingQueue"),
            await client.workflow.extend_reservations(pid, "ReviewQueue"),
        )
    assert mine == (0, 0)
    ours = [(r.query, r.variables) for r in emu.api_requests("ExtendReservationsPyApi")][2:]
    assert [v for _, v in ours] == [v for _, v in theirs] == [{"projectId": pid}] * 2
    assert (
        ["LabelingQueue" in (q or "") for q, _ in theirs]
        == ["LabelingQueue" in (q or "") for q, _ in ours]
        == [
            True,
            False,
        ]
    )
    assert no_external_network == []


async def test_sdk_and_alabelbox_toggle_model_assisted_labeling(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[1]
    key = emu.backend.projects.find_key(pid)
    assert key is not None

    def run(toggle: bool) -> bool:
        return bool(sdk(emu).get_project(pid).enable_model_assisted_labeling(toggle))

    assert await in_thread(lambda: run(True)) is True
    assert emu.backend.workflow.show_predictions[key] is True
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        assert await client.workflow.show_predictions_to_labelers(pid, False) is False
        assert emu.backend.workflow.show_predictions[key] is False
        assert await in_thread(lambda: run(True)) is True
        assert await client.workflow.show_predictions_to_labelers(pid, True) is True
    sent = [r.variables for r in emu.api_requests() if r.operation_name in TOGGLES]
    assert sent == [
        {"project_id": pid, "show": True},
        {"project_id": pid, "show": False},
        {"project_id": pid, "show": True},
        {"project_id": pid, "show": True},
    ]
    assert no_external_network == []


async def test_sdk_and_alabelbox_upsert_instructions_alike(
    emu: Emulator, no_external_network: list[Any], tmp_path: Path
) -> None:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
        ontology = await client.ontologies.create("Parts", {"tools": [{"tool": "polygon", "name": "tile"}]})
        await client.projects.connect_ontology(project.id, ontology.id)  # the SDK wants an editor
    theirs_file = tmp_path / "theirs.pdf"
    theirs_file.write_bytes(b"%PDF-1.4 their guide")

    def run() -> tuple[str, list[str]]:
        sdk_project = sdk(emu).get_project(project.id)
        sdk_project.upsert_instructions(str(theirs_file))
        options = [json.loads(o.customization_options) for o in sdk_project.labeling_frontend_options()]
        return sdk_project.uid, [o.get("projectInstructions") for o in options]

    uid, urls = await in_thread(run)
    assert uid == project.id and len(urls) == 1 and urls[0]
    theirs = emu.api_requests("setprojectinsructionsPyApi")[0]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        assert await client.projects.instructions_url(project.id) == urls[0]  # alabelbox reads what the SDK set
        async with client.download(urls[0]) as response:
            assert await response.read() == b"%PDF-1.4 their guide"
        mine_file = tmp_path / "mine.html"
        mine_file.write_bytes(b"<p>my guide</p>")
        url = await client.projects.upsert_instructions(project.id, mine_file)
    ours = emu.api_requests("SetProjectInstructionsPyApi")[0]
    same = {"SetProjectInstructionsPyApi": "setprojectinsructionsPyApi"}  # the SDK's name has a typo
    assert _document(ours.query, same) == _document(theirs.query)  # the same document, but for its name
    assert ours.variables == {"projectId": project.id, "instructions_url": url}
    assert theirs.variables == {"projectId": project.id, "instructions_url": urls[0]}

    def read_back() -> list[str]:
        got = sdk(emu).get_project(project.id).labeling_frontend_options()
        return [json.loads(o.customization_options).get("projectInstructions") for o in got]

    assert await in_thread(read_back) == [url]  # the SDK reads what alabelbox set
    assert no_external_network == []


async def test_sdk_and_alabelbox_get_a_data_row_by_global_key(emu: Emulator, no_external_network: list[Any]) -> None:
    row_id = emu.data_row_ids(emu.dataset_ids[1])[5]
    key = emu.world.global_key(1, emu.world.n_rows - 1 - 5)  # that list is newest first

    def run() -> tuple[str, str, str | None]:
        row = sdk(emu).get_data_row_by_global_key(key)
        return row.uid, row.global_key, row.external_id

    theirs = await in_thread(run)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = await client.data_rows.retrieve_by_global_key(key)
    assert theirs == (mine.id, mine.global_key, mine.external_id) and mine.id == row_id
    theirs_lookup = [r.variables for r in emu.api_requests("getDataRowsForGlobalKeysPyApi")]
    mine_lookup = [r.variables for r in emu.api_requests("DataRowsForGlobalKeys")]
    assert theirs_lookup == [{"globalKeys": [key]}] and mine_lookup == [{"keys": [key]}]  # one lookup each
    assert no_external_network == []
