"""Delays: job retry backoff (exponential, capped, full jitter) and the short randomised pause
before a transaction that lost an optimistic lock is tried again."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from stead.model.graph import RetryPolicy

__all__ = ["DEFAULT_RETRY_POLICY", "conflict_pause", "job_backoff", "policy_from_json"]

DEFAULT_RETRY_POLICY = RetryPolicy()


def policy_from_json(value: Sequence[Any] | None) -> RetryPolicy:
    """The policy stored with a job: (initial, rate, max, jitter), or the default."""
    if not value:
        return DEFAULT_RETRY_POLICY
    initial, rate, maximum, jitter = value
    return RetryPolicy(float(initial), float(rate), float(maximum), bool(jitter))


def job_backoff(policy: RetryPolicy, attempt: int, rng: random.Random) -> dt.timedelta:
    """Delay before the next attempt after ``attempt`` attempts failed (``attempt`` >= 1)."""
    exponent = max(0, attempt - 1)
    # Cap the exponent so a long series cannot overflow the float.
    ceiling = min(
        policy.max_interval, policy.initial_interval * policy.backoff_rate ** min(exponent, 64)
    )
    delay = rng.uniform(0.0, ceiling) if policy.jitter else ceiling
    return dt.timedelta(seconds=max(0.0, delay))


def conflict_pause(attempt: int, rng: random.Random) -> float:
    """Seconds to wait before retrying a transaction for the ``attempt``-th time."""
    return rng.uniform(0.0, 0.005 * 2**attempt)
