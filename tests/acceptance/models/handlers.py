"""Job handlers the acceptance tests run with `stead worker run`."""

from stead.handlers import BpmnError, handler


@handler("charge-card")
def charge(job):
    if job.variables.get("card") == "stolen":
        raise BpmnError("card-declined", "the bank declined the card")
    if job.variables.get("card") == "broken":
        raise RuntimeError("payment gateway unreachable")
    return {"charged": job.variables["amount"]}
