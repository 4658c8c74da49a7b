"""Defaults in one place."""

from __future__ import annotations

from typing import Final

DEFAULT_ENDPOINT: Final = "https://api.labelbox.com/graphql"
#: The path that ``experimental=True`` posts to, in place of ``/graphql``.
EXPERIMENTAL_PATH: Final = "/_gql"
#: Where the REST API lives on the API's origin (the SDK's ``rest_endpoint``): ontologies and feature schemas.
REST_PATH: Final = "/api/v1"
API_KEY_ENV: Final = "LABELBOX_API_KEY"
ENDPOINT_ENV: Final = "LABELBOX_ENDPOINT"

# Timeouts, in seconds. The official SDK uses 60 s per request.
DEFAULT_TIMEOUT: Final = 60.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0

# The pool.
DEFAULT_MAX_CONNECTIONS: Final = 100
DEFAULT_MAX_CONCURRENT_REQUESTS: Final = 32
DEFAULT_KEEPALIVE_TIMEOUT: Final = 15.0

# Retries: capped exponential backoff with full jitter, bounded by attempts and an overall deadline.
DEFAULT_MAX_RETRIES: Final = 5
DEFAULT_INITIAL_RETRY_DELAY: Final = 0.5
DEFAULT_MAX_RETRY_DELAY: Final = 30.0
DEFAULT_MAX_RETRY_AFTER: Final = 60.0
DEFAULT_RETRY_DEADLINE: Final = 300.0

# Pages. The SDK's own sizes, so the server sees familiar requests.
DEFAULT_PAGE_SIZE: Final = 100
DATA_ROWS_PAGE_SIZE: Final = 500

#: How many bytes of a non-JSON body an error message quotes.
BODY_EXCERPT_BYTES: Final = 200

#: Specs per ``upsertDataRows`` call of ``client.data_rows.create`` (the API takes up to 150,000).
INGEST_CHUNK_SIZE: Final = 10_000
#: ``upsertDataRows`` chunks in flight at once.
INGEST_CONCURRENCY: Final = 8
#: Local files uploaded at once, across every chunk: the pool's default (the SDK's ``FILE_UPLOAD_THREAD_COUNT`` is 20).
INGEST_UPLOAD_CONCURRENCY: Final = DEFAULT_MAX_CONCURRENT_REQUESTS
#: Data row ids per ``deleteDataRows`` request.
DELETE_DATA_ROWS_BATCH: Final = 1_000
#: The most specs ``client.data_rows.create_many`` takes (it holds the created rows in memory).
CREATE_MANY_LIMIT: Final = 1_000
#: The notice bound of a young wait for an ingestion task, in seconds (it grows with the wait, see ``_polling``).
INGEST_POLL_INTERVAL: Final = 0.25
