"""``client.attachments`` against the emulator: the change shows in the row, its listing and its export."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import Attachment, AttachmentType

from .test_global_keys import created_rows


def stored(emu: Emulator, rid: str) -> list[dict[str, object]]:
    attachments: list[dict[str, object]] = emu.backend.data_rows.record(rid)["attachments"]
    return attachments


async def test_create_update_list_delete_agree_with_the_emulator(emu: Emulator, client: Client) -> None:
    (rid,) = created_rows(emu, 1)
    note = await client.attachments.create(rid, type=AttachmentType.RAW_TEXT, value="dusk", name="note")
    overlay = await client.attachments.create(rid, type="IMAGE_OVERLAY", value="https://example.com/o.png")
    assert isinstance(note, Attachment) and note.type is AttachmentType.RAW_TEXT and overlay.name is None
    assert stored(emu, rid) == [
        {"id": note.id, "type": "RAW_TEXT", "value": "dusk", "name": "note"},
        {"id": overlay.id, "type": "IMAGE_OVERLAY", "value": "https://example.com/o.png", "name": None},
    ]

    changed = await client.attachments.update(note.id, value="night", type="TEXT_URL")
    assert (changed.id, changed.type, changed.value, changed.name) == (
        note.id,
        AttachmentType.TEXT_URL,
        "night",
        "note",
    )
    listed = [a async for a in client.attachments.list(rid, page_size=1)]  # two pages of one
    assert listed == [changed, overlay]

    await client.attachments.delete(overlay.id)
    assert [a["id"] for a in stored(emu, rid)] == [note.id]
    with pytest.raises(ResourceNotFoundError):
        await client.attachments.delete(overlay.id)  # already gone


async def test_attachments_show_in_the_export_of_the_row(emu: Emulator, client: Client) -> None:
    (rid,) = created_rows(emu, 1)
    note = await client.attachments.create(rid, type="HTML", value="<b>x</b>", name="html")
    task = await client.exports.create_and_poll(data_row_ids=[rid], params={"attachments": True}, poll_interval=0.01)
    (record,) = emu.export_records(task.id)
    assert record["attachments"] == [{"id": note.id, "type": "HTML", "value": "<b>x</b>", "name": "html"}]


async def test_attachments_that_came_with_an_ingested_row_can_be_changed(emu: Emulator, client: Client) -> None:
    key = emu.backend.datasets.find(emu.dataset_ids[0])
    assert key is not None
    first = {"id": "clattachmentfromingest01", "type": "RAW_TEXT", "value": "a", "name": None}
    rid = emu.backend.data_rows.create(key, {"rowData": "https://example.com/x.jpg", "attachments": [first]})
    got = await client.attachments.update(first["id"], name="renamed")  # type: ignore[arg-type]
    assert got.name == "renamed" and stored(emu, rid)[0]["name"] == "renamed"


async def test_errors_name_what_is_wrong(emu: Emulator, client: Client) -> None:
    (rid,) = created_rows(emu, 1)
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError, match=r"type: must be one of AUDIO.*not 'TEXT'"):
        await client.attachments.create(rid, type="TEXT", value="x")
    with pytest.raises(InvalidArgumentError, match="value: must be a non-empty string"):
        await client.attachments.create(rid, type="RAW_TEXT", value="")
    with pytest.raises(InvalidArgumentError, match="give at least one"):
        await client.attachments.update("cla-some-id")
    assert len(emu.api_requests()) == before  # nothing was sent

    with pytest.raises(ResourceNotFoundError):
        await client.attachments.create("no-such-row", type="RAW_TEXT", value="x")
    seeded = emu.data_row_ids(emu.dataset_ids[0])[0]
    on_seeded = await client.attachments.create(seeded, type="RAW_TEXT", value="x")  # seeded rows are writable
    assert [a.id async for a in client.attachments.list(seeded)] == [on_seeded.id]
    with pytest.raises(ResourceNotFoundError):
        await client.attachments.list("no-such-row").get_many(1)
