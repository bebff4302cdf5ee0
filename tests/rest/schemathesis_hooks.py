"""Hooks for a long schemathesis CLI run against a live server (see docs/operations.md). The
checkout's schemathesis.toml names this module, so from the checkout it is just:

    schemathesis run http://127.0.0.1:8000/openapi.json
"""

from __future__ import annotations

from typing import Any

import requests
import schemathesis

from tests.rest.positive import positive


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    base = (kwargs.get("base_url") or case.operation.base_url).rstrip("/")
    positive(case, lambda path, params: requests.get(base + path, params=params, timeout=10))
