"""Runs ``serve`` with one in-process worker on the database given as argv[1], until killed or
sent SIGTERM: the process the crash and scale-out tests start and stop."""

from __future__ import annotations

import datetime as dt
import sys
import time

from stead.runtime import ActivatedJob, Runtime, Worker, serve


def main() -> None:
    runtime = Runtime.open(sys.argv[1])
    worker = Worker(runtime, name=sys.argv[2], max_jobs=20, lock_duration=dt.timedelta(seconds=2))

    @worker.handler("charge-card")
    def charge(job: ActivatedJob) -> dict[str, object]:
        time.sleep(0.001)
        return {"chargedBy": worker.name}

    serve(runtime, workers=[worker], max_idle_sleep=0.2, maintenance_interval=0.5)
    runtime.close()


if __name__ == "__main__":
    main()
