from tests.client.aioresponses_compat import mocked

__all__ = ["mocked"]
