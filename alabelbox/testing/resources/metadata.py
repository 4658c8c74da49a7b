"""The custom metadata ontology: the reserved schemas every organization has."""

from __future__ import annotations

from ._base import Resolver, Resource

SDL = """
type MetadataOption { id: ID! name: String! kind: String! reserved: Boolean! }
type MetadataSchema { id: ID! name: String! kind: String! reserved: Boolean!
  options: [MetadataOption!] }

extend type Query { customMetadataOntology: [MetadataSchema!]! }
"""

RESERVED = [
    {"id": "cko8s9r5v0001h2dk9elqdidh", "name": "tag", "kind": "CustomMetadataString", "reserved": True, "options": []},
    {
        "id": "cko8sbczn0002h2dkdaxb5kal",
        "name": "split",
        "kind": "CustomMetadataEnum",
        "reserved": True,
        "options": [
            {"id": "cko8sbscr0003h2dk04w86hof", "name": "train", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8sc2yr0004h2dk69aj5x63", "name": "valid", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8scbz70005h2dkastwhgqt", "name": "test", "kind": "CustomMetadataEnumOption", "reserved": True},
        ],
    },
    {
        "id": "cko8sdzv70006h2dk8jg64zvb",
        "name": "captureDateTime",
        "kind": "CustomMetadataDateTime",
        "reserved": True,
        "options": [],
    },
]


class Metadata(Resource):
    """The reserved metadata schemas (custom schemas come with data-row metadata)."""

    SDL = SDL

    def root(self) -> dict[str, Resolver]:
        return {"customMetadataOntology": lambda info: RESERVED}
