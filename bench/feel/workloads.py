"""The expressions of the FEEL benchmark, written in each engine's own dialect."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Workload:
    """One expression per engine (None where the dialect has no equivalent) and its input."""

    name: str
    feel: str
    jsonata: str | None
    cel: str | None
    context: dict[str, Any] = field(default_factory=dict)


# Inputs as a process engine holds them: JSON-decoded variables, only those the expression reads
# (engines that convert their whole input on every call are not charged for unused variables).
ORDER: dict[str, Any] = {"amount": 150, "status": "open"}
PRICING: dict[str, Any] = {"price": 12.5, "quantity": 4.0, "discount": 5.0, "tax": 1.5}
CUSTOMER: dict[str, Any] = {"name": "Acme Corporation"}
ITEMS: dict[str, Any] = {
    "items": [{"price": 5.0}, {"price": 12.5}, {"price": 30.0}, {"price": 8.0}],
}

WORKLOADS: list[Workload] = [
    Workload(
        name="condition",
        feel='amount > 100 and status = "open"',
        jsonata='amount > 100 and status = "open"',
        cel='amount > 100 && status == "open"',
        context=ORDER,
    ),
    Workload(
        name="arithmetic",
        feel="(price * quantity - discount) / 2 + tax * 3",
        jsonata="(price * quantity - discount) / 2 + tax * 3",
        # CEL does not mix integers and doubles, hence the explicit double literals.
        cel="(price * quantity - discount) / 2.0 + tax * 3.0",
        context=PRICING,
    ),
    Workload(
        name="string functions",
        feel='contains(name, "Acme") and starts with(name, "Ac") and string length(name) > 5',
        jsonata='$contains(name, "Acme") and $substring(name, 0, 2) = "Ac" and $length(name) > 5',
        cel='name.contains("Acme") && name.startsWith("Ac") && size(name) > 5',
        context=CUSTOMER,
    ),
    Workload(
        name="list filter + count",
        feel="count(items[price > 10])",
        jsonata="$count(items[price > 10])",
        cel="size(items.filter(i, i.price > 10.0))",
        context=ITEMS,
    ),
    Workload(
        name="list filter + sum",
        feel="sum(items[price > 10].price)",
        jsonata="$sum(items[price > 10].price)",
        cel=None,  # standard CEL has no sum over a list
        context=ITEMS,
    ),
]
