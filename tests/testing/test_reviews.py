"""Label reviews: selectable on ``Label``, the same as the label details of export v2 and the legacy export."""

from __future__ import annotations

from alabelbox.testing import Emulator
from alabelbox.testing._ids import iso_export

from .conftest import Gql

REVIEWS = """query($pid: ID!){project(where: {id: $pid}){labels(first: 60)
    {id reviews {id score createdAt updatedAt createdBy {id email}}}}}"""


async def test_reviews_are_deterministic_and_match_exports(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    status, body = await gql(REVIEWS, {"pid": pid})
    assert status == 200 and "errors" not in body, body
    labels = body["data"]["project"]["labels"]
    assert {len(label["reviews"]) for label in labels} == {0, 1, 2}
    _, again = await gql(REVIEWS, {"pid": pid})
    assert again == body
    w = emu.world
    for i, label in enumerate(labels):
        row = w.export_line(0, i, {"includeLabelDetails": True}, [0], [True])
        details = row["projects"][pid]["labels"][0]["label_details"]["reviews"]
        legacy = w.legacy_row(0, i, emu.url)["Reviews"]
        assert len(label["reviews"]) == len(details) == len(legacy)
        for got, exported, old in zip(label["reviews"], details, legacy, strict=True):
            assert got["id"] == old["id"]
            assert got["score"] == old["score"] == (1 if exported["review_action"] == "Approve" else -1)
            assert got["createdAt"] == got["updatedAt"] == old["createdAt"]
            assert iso_export(w.label_meta(0, i).created_at) < exported["reviewed_at"]
            assert got["createdBy"]["email"] == exported["reviewed_by"] == old["createdBy"]
            assert got["createdBy"]["id"] == w.user_id(w.find(got["createdBy"]["id"], "u")[1])  # type: ignore[index]
