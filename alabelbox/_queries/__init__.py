"""GraphQL documents, one module per resource.

Each constant is named after its operation (``LIST_PROJECTS`` holds ``query ListProjects``). Pages use GraphQL
variables for ``skip``/``first`` and cursors, so every page of a listing sends the same text, parsed once.
Selections follow the official SDK's, so the server sees familiar requests.
"""
