"""``client.resource_tags`` against the emulator's truth."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator


async def test_resource_tags_and_a_projects_tags(emu: Emulator, client: Client) -> None:
    project_id = emu.project_ids[0]
    vision = await client.resource_tags.create("vision", color="1f77b4")
    audio = await client.resource_tags.create("audio", color="ff7f0e")
    assert [t.text for t in await client.resource_tags.list()] == ["vision", "audio"]
    renamed = await client.resource_tags.update(audio.id, text="speech")
    assert (renamed.text, renamed.color) == ("speech", "ff7f0e")
    assert [t.id for t in await client.resource_tags.set_for_project(project_id, [vision.id, audio.id])] == [
        vision.id,
        audio.id,
    ]
    assert [t.text for t in await client.resource_tags.for_project(project_id)] == ["vision", "speech"]
    assert await client.resource_tags.for_project(emu.project_ids[1]) == []
    assert await client.resource_tags.set_for_project(project_id, []) == []
    with pytest.raises(ResourceNotFoundError):
        await client.resource_tags.set_for_project(project_id, ["cl0nope"])
    with pytest.raises(InvalidArgumentError, match="wrap it"):
        await client.resource_tags.set_for_project(project_id, vision.id)
    with pytest.raises(InvalidArgumentError, match="give text, color"):
        await client.resource_tags.update(vision.id)
