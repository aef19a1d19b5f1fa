"""Deploying BPMN models and form-js forms together: all of them or, on any error, none."""

from __future__ import annotations

from collections.abc import Sequence

from stead.commands.forms import FORM_SUFFIX, ParsedForm, deploy_form, parse_form
from stead.commands.resources import Deployment, DeploymentResult, FormDeployment
from stead.runtime import Runtime, deployment
from stead.runtime.errors import InvalidRequestError
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import DeployedProcess

__all__ = ["BPMN_SUFFIXES", "DEPLOYABLE_SUFFIXES", "deploy_files"]

BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
DEPLOYABLE_SUFFIXES = (*BPMN_SUFFIXES, FORM_SUFFIX)


def deploy_files(runtime: Runtime, files: Sequence[tuple[str, bytes]]) -> DeploymentResult:
    """Deploy ``(resource name, content)`` pairs: ``.bpmn`` models and ``.form`` schemas.
    Unchanged content keeps its version. Every file is checked before anything is written."""
    if not files:
        raise InvalidRequestError("files: send at least one .bpmn or .form file")
    models: list[deployment.Parsed] = []
    forms: list[ParsedForm] = []
    for name, content in files:
        lowered = name.lower()
        if lowered.endswith(BPMN_SUFFIXES):
            models.append(deployment.parse_resource(name, content))
        elif lowered.endswith(FORM_SUFFIX):
            forms.append(parse_form(name, content))
        else:
            raise InvalidRequestError(f"{name}: only .bpmn and .form files can be deployed")

    def work(uow: UnitOfWork) -> tuple[list[DeployedProcess], list[FormDeployment]]:
        deployed_forms = [deploy_form(uow, form) for form in forms]
        return deployment.deploy_parsed(uow, models), deployed_forms

    processes, deployed_forms = runtime.transactions.run(work)
    return DeploymentResult(processes=[Deployment.of(p) for p in processes], forms=deployed_forms)
