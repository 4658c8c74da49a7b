"""Optional dependencies: imported when a destination is used, with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from alabelbox._exceptions import InvalidArgumentError

__all__ = ["require"]

_EXTRAS = {
    "pyarrow": "parquet",
    "pyarrow.parquet": "parquet",
    "pandas": "pandas",
    "polars": "polars",
    "numpy": "coco",
    "PIL": "coco",
    "PIL.Image": "coco",
    "pycocotools.mask": "coco",
}


def require(module: str, what: str) -> ModuleType:
    """Import ``module`` for ``what``, or raise :class:`~alabelbox.InvalidArgumentError` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module, module)
        raise InvalidArgumentError(
            "format", f"{what} needs {module.split('.')[0]}: pip install 'alabelbox[{extra}]'"
        ) from exc
