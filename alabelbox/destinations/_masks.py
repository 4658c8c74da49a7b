"""Mask images referenced by URL, fetched through the client's pool: concurrently, bounded, decoded to arrays.

Labelbox serves masks from its API origin (``https://api.labelbox.com/api/v1/...``), where the API key is required;
:meth:`alabelbox.Client.download` sends the key there and nowhere else, so a mask on another origin (a signed storage
URL) never sees it. A composite mask is one image per label shared by every instance in it (each instance is the
pixels of its ``color_rgb``), so a URL is fetched once per row however many instances point at it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio

from alabelbox._exceptions import ExportDataError
from alabelbox.destinations._optional import require

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["DEFAULT_MASK_CONCURRENCY", "MaskFetcher", "decode_mask"]

#: Mask downloads in flight at once by default.
DEFAULT_MASK_CONCURRENCY = 8
#: A mask larger than this is refused (a mask PNG of 10,000 x 10,000 pixels compresses to far less).
MAX_MASK_BYTES = 64 * 1024 * 1024


def _where(url: str) -> str:
    """The URL without its query: a signed URL's query is a credential."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


class MaskFetcher:
    """Fetches mask images with ``client.download``, at most ``concurrency`` at once.

    Args:
        client: The client whose pool (and, on the API origin only, whose key) the downloads use.
        concurrency: Downloads in flight at once.
    """

    def __init__(self, client: Client, *, concurrency: int = DEFAULT_MASK_CONCURRENCY) -> None:
        self._client = client
        self._limiter = anyio.CapacityLimiter(max(1, concurrency))
        self.fetched = 0
        """Mask images downloaded so far."""

    async def fetch_all(self, urls: Iterable[str]) -> dict[str, bytes]:
        """The bytes behind each distinct URL, downloaded concurrently."""
        out: dict[str, bytes] = {}
        distinct = list(dict.fromkeys(urls))
        async with anyio.create_task_group() as tg:
            for url in distinct:
                tg.start_soon(self._fetch, url, out)
        return out

    async def _fetch(self, url: str, out: dict[str, bytes]) -> None:
        async with self._limiter, self._client.download(url) as response:
            data = await response.content.read(MAX_MASK_BYTES + 1)
        if len(data) > MAX_MASK_BYTES:
            raise ExportDataError(f"the mask at {_where(url)} is larger than {MAX_MASK_BYTES} bytes")
        self.fetched += 1
        out[url] = data


def decode_mask(data: bytes, url: str, color: list[int] | None) -> Any:
    """A mask image's bytes as a 2-D ``uint8`` array, 1 where the instance is.

    ``color`` picks the pixels of one instance in a composite (RGB) mask; without it, any non-zero pixel is in.

    Raises:
        ExportDataError: The bytes are not an image, or a composite mask has no RGB channels.
    """
    np = require("numpy", "mask decoding")
    image_module = require("PIL.Image", "mask decoding")
    try:
        with image_module.open(io.BytesIO(data)) as image:
            image.load()
            pixels = np.asarray(image.convert("RGB") if color is not None else image.convert("L"))
    except Exception as exc:  # Pillow raises many kinds for bad bytes; all mean the same here
        raise ExportDataError(
            f"the mask at {_where(url)} is not an image Pillow can read ({type(exc).__name__}: {exc})",
            excerpt=repr(data[:32]),
        ) from exc
    if color is not None:
        if len(color) != 3:
            raise ExportDataError(f"the composite mask at {_where(url)} has a colour that is not RGB: {color!r}")
        hit = np.all(pixels == np.asarray(color, dtype=pixels.dtype), axis=-1)
    else:
        hit = pixels > 0
    return np.asfortranarray(hit.astype(np.uint8))
