"""Job handlers in plain Python files, for ``stead worker run FILE.py``.

    from stead.handlers import BpmnError, handler

    @handler("charge-card")
    def charge(job):
        if job.variables["amount"] > 1000:
            raise BpmnError("too-large", "needs approval")
        return {"charged": True}

A handler receives the activated job (``job.variables``, its custom headers as
``job.headers``, ``job.retries``) and returns the variables to complete it with, raises
:class:`BpmnError` to throw a BPMN error the model can catch, or raises anything else to fail
the attempt (retried with backoff; an incident when retries run out).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stead.runtime import BpmnError, Handler

__all__ = ["BpmnError", "HandlerFileError", "handler", "load_handlers"]

_MARK = "__stead_job_type__"


class HandlerFileError(Exception):
    """A handler file that cannot be loaded or defines no handler."""


def handler(job_type: str) -> Callable[[Handler], Handler]:
    """Mark a function as the handler of jobs of ``job_type``."""

    def mark(function: Handler) -> Handler:
        setattr(function, _MARK, job_type)
        return function

    return mark


def load_handlers(path: str | Path) -> dict[str, Handler]:
    """Import the Python file at ``path`` and return its handlers by job type."""
    file = Path(path)
    if not file.is_file():
        raise HandlerFileError(f"{file}: no such file")
    module_name = f"stead_handlers_{abs(hash(file.resolve()))}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise HandlerFileError(f"{file}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        raise HandlerFileError(f"{file}: failed to load: {reason}") from error
    found: dict[str, Handler] = {}
    for value in vars(module).values():
        job_type: Any = getattr(value, _MARK, None)
        if isinstance(job_type, str) and callable(value):
            if job_type in found:
                raise HandlerFileError(f"{file}: two handlers for job type {job_type!r}")
            found[job_type] = value
    if not found:
        raise HandlerFileError(f"{file}: defines no handler (decorate functions with @handler)")
    return found
