"""Demonstration workers for the example processes: ``stead worker run examples/workers.py``.

Each handler stands in for a real system (stock, payments, credit bureau, IT, payroll) and
answers from the job's variables alone, so the examples run end to end on one machine.
"""

from __future__ import annotations

import hashlib
from typing import Any

from stead.handlers import BpmnError, handler
from stead.runtime.views import ActivatedJob

Variables = dict[str, Any]


def _reference(prefix: str, *parts: object) -> str:
    """A stable, readable reference number derived from the inputs."""
    digest = hashlib.sha256("/".join(str(part) for part in parts).encode()).hexdigest()
    return f"{prefix}-{digest[:8].upper()}"


# ----------------------------------------------------------------- order fulfilment


@handler("check-stock")
def check_stock(job: ActivatedJob) -> Variables:
    items = job.variables.get("items") or []
    return {"available": all(item.get("quantity", 1) <= 10 for item in items if item)}


@handler("fraud-check")
def check_for_fraud(job: ActivatedJob) -> Variables:
    order = job.variables.get("order") or {}
    return {"fraudSuspected": order.get("total", 0) > 50_000}


@handler("request-payment")
def request_payment(job: ActivatedJob) -> Variables:
    return {"paymentRequest": _reference("PAY", job.variables.get("orderId"))}


@handler("ship-order")
def ship_order(job: ActivatedJob) -> Variables:
    carrier = job.headers.get("carrier", "post")
    return {"trackingNumber": _reference(carrier.upper(), job.variables.get("orderId"))}


@handler("cancel-order")
def cancel_order(job: ActivatedJob) -> Variables:
    return {"cancelled": True}


@handler("send-email")
def send_email(job: ActivatedJob) -> Variables:
    template = job.headers.get("template", "generic")
    return {"lastEmail": template}


# ----------------------------------------------------------------- loan approval


@handler("credit-check")
def check_credit(job: ActivatedJob) -> Variables:
    national_id = job.variables.get("nationalId")
    if not national_id:
        raise BpmnError("APPLICANT_UNKNOWN", "the credit bureau does not know this applicant")
    # A deterministic stand-in for a bureau score between 300 and 850.
    score = 300 + int(hashlib.sha256(str(national_id).encode()).hexdigest(), 16) % 551
    return {"score": score}


@handler("loan-payout")
def pay_out_loan(job: ActivatedJob) -> Variables:
    return {"payoutReference": _reference("LOAN", job.variables.get("amount"))}


@handler("send-letter")
def send_letter(job: ActivatedJob) -> Variables:
    return {"letterSent": job.headers.get("template", "generic")}


# ----------------------------------------------------------------- onboarding and payroll


@handler("it-create-accounts")
def create_accounts(job: ActivatedJob) -> Variables:
    employee = job.variables.get("employee") or {}
    name = str(employee.get("name", "new.hire")).lower().replace(" ", ".")
    return {"login": name}


@handler("procurement-order")
def order_equipment(job: ActivatedJob) -> Variables:
    return {"orderNumber": _reference("PO", job.variables.get("item"))}


@handler("it-revoke-accounts")
def revoke_accounts(job: ActivatedJob) -> Variables:
    return {"accessRevoked": True}


@handler("payroll-register")
def register_in_payroll(job: ActivatedJob) -> Variables:
    employee = job.variables.get("employee") or {}
    return {"payrollId": _reference("PR", employee.get("id"))}


@handler("payroll-confirm")
def confirm_enrolment(job: ActivatedJob) -> Variables:
    return {"enrolled": True}
