"""Job handlers for ``stead serve --worker`` / ``stead worker run`` in the durability tests.

Every handler first writes its execution to the ledger named by ``STEAD_DURABILITY_LEDGER``,
then works for ``STEAD_DURABILITY_PAUSE`` seconds (default: a few milliseconds, so that a kill
lands in the middle of work), and completes the job with the name of the worker that did it.
Instances started with ``flaky`` fail their first Charge attempt.
"""

from __future__ import annotations

import os
import time
from typing import Any

from durability import ledger
from stead.handlers import handler
from stead.runtime import ActivatedJob

PAUSE_ENV = "STEAD_DURABILITY_PAUSE"


def _work(job: ActivatedJob) -> dict[str, Any]:
    ledger.record(os.environ[ledger.LEDGER_ENV], job)
    time.sleep(float(os.environ.get(PAUSE_ENV, "0.002")))
    if job.variables.get("flaky") and job.element_id == "Charge" and job.retries == 3:
        raise RuntimeError("card network timed out")  # the first attempt fails, a retry works
    if job.variables.get("unserializable"):
        # A handler bug: a result that is not JSON. The job must fail, not vanish.
        return {"tags": {"a", "b"}}
    return {f"{job.element_id}By": job.worker}


@handler("reserve-stock")
def reserve_stock(job: ActivatedJob) -> dict[str, Any]:
    return _work(job)


@handler("charge-card")
def charge_card(job: ActivatedJob) -> dict[str, Any]:
    return _work(job)


@handler("ship-parcel")
def ship_parcel(job: ActivatedJob) -> dict[str, Any]:
    return _work(job)
