"""``client.projects.upsert_instructions`` and ``instructions_url`` against the emulator: the file is uploaded
(``uploadFile``), its URL set (``setProjectInstructions``) and read back from the project's editor options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import MediaType


async def test_instructions_are_uploaded_set_and_read_back(client: Client, emu: Emulator, tmp_path: Path) -> None:
    project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
    assert await client.projects.instructions_url(project.id) is None
    guide = tmp_path / "guide.html"
    guide.write_bytes(b"<h1>Label every roof</h1>")
    url = await client.projects.upsert_instructions(project.id, guide)
    assert await client.projects.instructions_url(project.id) == url
    async with client.download(url) as response:
        assert await response.read() == b"<h1>Label every roof</h1>"
    sent = emu.api_requests("SetProjectInstructionsPyApi")[0].variables
    assert sent == {"projectId": project.id, "instructions_url": url}

    # A second upload replaces the first, and keeps the editor's other options.
    ontology = await client.ontologies.create("Parts", {"tools": [{"tool": "polygon", "name": "tile"}]})
    await client.projects.connect_ontology(project.id, ontology.id)
    pdf = tmp_path / "Guide.PDF"
    pdf.write_bytes(b"%PDF-1.4 roofs")
    second = await client.projects.upsert_instructions(project.id, str(pdf))
    assert second != url
    assert await client.projects.instructions_url(project.id) == second
    key = emu.backend.projects.find_key(project.id)
    assert key is not None
    stored = json.loads(emu.backend.projects.frontend_options[key])
    assert stored["projectInstructions"] == second and "tools" in stored


async def test_bad_instructions_are_refused_before_any_request(client: Client, emu: Emulator, tmp_path: Path) -> None:
    pid = emu.project_ids[0]
    text = tmp_path / "guide.txt"
    text.write_text("no")
    with pytest.raises(InvalidArgumentError, match=r"\.pdf or \.html") as info:
        await client.projects.upsert_instructions(pid, text)
    assert info.value.argument == "path"
    with pytest.raises(InvalidArgumentError, match="cannot be read"):
        await client.projects.upsert_instructions(pid, tmp_path / "missing.pdf")
    with pytest.raises(InvalidArgumentError, match="path"):
        await client.projects.upsert_instructions(pid, 7)  # type: ignore[arg-type]
    assert emu.api_requests() == []


async def test_instructions_of_a_missing_project(client: Client, emu: Emulator, tmp_path: Path) -> None:
    with pytest.raises(ResourceNotFoundError):
        await client.projects.instructions_url("clnope")
    page = tmp_path / "g.html"
    page.write_text("<p>x</p>")
    with pytest.raises(ResourceNotFoundError):
        await client.projects.upsert_instructions("clnope", page)
