"""Deployments (upload BPMN models and forms; list versions), process definitions with their
instance counts and source XML, and deployed forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep, Deployer, Reader
from stead.commands.resources import Deployment, DeploymentResult, ProcessDefinitionSummary

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=PROBLEM_RESPONSES)
ProcessId = Annotated[str, Path(min_length=1, max_length=255)]


@router.post(
    "/deployments",
    tags=["deployments"],
    summary="Deploy .bpmn models and .form files (all or none)",
    response_model=DeploymentResult,
)
async def deploy(
    _caller: Deployer,
    commands: CommandsDep,
    files: Annotated[list[UploadFile], File(description="one or more .bpmn and .form files")],
) -> DeploymentResult:
    contents = [(upload.filename or "upload.bpmn", await upload.read()) for upload in files]
    return await run_in_threadpool(commands.deploy_files, contents)


@router.get(
    "/deployments",
    tags=["deployments"],
    summary="Every deployed process version, newest first",
    response_model=list[Deployment],
)
def list_deployments(_caller: Reader, commands: CommandsDep) -> list[Deployment]:
    return commands.deployments()


@router.get(
    "/process-definitions",
    tags=["process definitions"],
    summary="Deployed processes with their versions and instance counts by state",
    response_model=list[ProcessDefinitionSummary],
)
def list_definitions(_caller: Reader, commands: CommandsDep) -> list[ProcessDefinitionSummary]:
    return commands.process_definitions()


@router.get(
    "/process-definitions/{process_id}",
    tags=["process definitions"],
    summary="One process with its versions and instance counts",
    response_model=ProcessDefinitionSummary,
)
def get_definition(
    _caller: Reader, commands: CommandsDep, process_id: ProcessId
) -> ProcessDefinitionSummary:
    return commands.process_definitions(process_id)[0]


@router.get(
    "/process-definitions/{process_id}/versions/{version}/xml",
    tags=["process definitions"],
    summary="The BPMN source of one version",
    response_class=Response,
    responses={200: {"content": {"application/xml": {"schema": {"type": "string"}}}}},
)
def get_definition_xml(
    _caller: Reader,
    commands: CommandsDep,
    process_id: ProcessId,
    version: Annotated[int, Path(ge=1, le=2_147_483_647)],
) -> Response:
    source = commands.definition_source(process_id, version)
    return Response(source, media_type="application/xml")


@router.get(
    "/forms/{form_id}",
    tags=["deployments"],
    summary="The newest version of a deployed form (form-js JSON schema)",
    response_model=dict[str, Any],
)
def get_form(
    _caller: Reader,
    commands: CommandsDep,
    form_id: Annotated[str, Path(min_length=1, max_length=255)],
) -> dict[str, Any]:
    return commands.form(form_id)[1]
