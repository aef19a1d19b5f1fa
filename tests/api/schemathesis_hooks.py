"""Schemathesis hooks for the API run: keep job activation's long poll short, so that a
generated request waiting the documented maximum does not eat the run's time budget."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.hook
def before_load_schema(_context: Any, raw_schema: dict[str, Any]) -> None:
    activation = raw_schema["components"]["schemas"]["ActivateJobsRequest"]["properties"]
    activation["requestTimeoutMs"]["maximum"] = 300
