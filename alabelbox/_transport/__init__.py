"""The transport layer: the only place that imports gql and aiohttp's client, and maps their errors."""

from alabelbox._transport._mapping import iter_body
from alabelbox._transport._operation import Operation, prepare
from alabelbox._transport._pool import PoolStatistics, SessionPool, origin_of

__all__ = ["Operation", "PoolStatistics", "SessionPool", "iter_body", "origin_of", "prepare"]
