"""``/hooks``: where other systems call in. Webhooks (``/hooks/{path}``) and callback tasks
(``/hooks/callbacks/{token}``) sign in with no Stead account: the webhook's own verification
(a token or an HMAC signature) or the one-time callback token is the credential."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from starlette.concurrency import run_in_threadpool

from stead.api.problems import PROBLEM_RESPONSES, Problem, problem_response
from stead.commands import Commands
from stead.connectors.callback_tokens import CallbackGoneError, CallbackService
from stead.connectors.inbound_config import METHODS
from stead.connectors.secrets import SecretResolver
from stead.connectors.webhooks import InboundRequest, InboundResponse, WebhookReceiver
from stead.secrets.store import SecretStore

__all__ = ["router"]

router = APIRouter(tags=["hooks"], responses=PROBLEM_RESPONSES)


def _receiver(app: FastAPI) -> WebhookReceiver:
    """One receiver per application (its webhook table is a cache worth keeping)."""
    receiver = getattr(app.state, "webhook_receiver", None)
    if receiver is None:
        commands = cast(Commands, app.state.commands)
        runtime = commands.runtime
        secrets = SecretResolver(SecretStore(runtime.database, runtime.tenant))
        receiver = WebhookReceiver(commands, secrets)
        app.state.webhook_receiver = receiver
    return cast(WebhookReceiver, receiver)


def _answer(outcome: InboundResponse) -> Response:
    if outcome.problem is not None:
        return problem_response(outcome.status, outcome.problem, headers=outcome.headers or None)
    return JSONResponse(outcome.body, status_code=outcome.status, headers=outcome.headers or None)


def _callbacks(app: FastAPI) -> CallbackService:
    service = getattr(app.state, "callback_service", None)
    if service is None:
        service = CallbackService(cast(Commands, app.state.commands).runtime)
        app.state.callback_service = service
    return cast(CallbackService, service)


class CallbackRequest(BaseModel):
    """What the external system reports for a waiting callback task."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    outcome: Literal["complete", "fail", "error"]
    variables: dict[str, Any] = Field(default_factory=dict)
    error_code: str | None = Field(default=None, min_length=1, max_length=255)
    error_message: str = Field(default="", max_length=10_000)


class CallbackSettled(BaseModel):
    status: Literal["completed", "failed", "thrown"]


class HeartbeatAccepted(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    expires_at: str


Token = Annotated[str, Path(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
_GONE: dict[int | str, dict[str, Any]] = {
    410: {"model": Problem, "description": "the callback was used already or expired"}
}
_SETTLED = {"complete": "completed", "fail": "failed", "error": "thrown"}


def _gone(error: CallbackGoneError) -> Response:
    return problem_response(410, str(error))


@router.post(
    "/hooks/callbacks/{token}",
    summary="Complete, fail or throw a BPMN error on the task waiting for this callback",
    response_model=CallbackSettled,
    responses=_GONE,
)
async def settle_callback(token: Token, body: CallbackRequest, request: Request) -> Response:
    if body.outcome == "error" and not body.error_code:
        return problem_response(422, 'errorCode is required with outcome "error"')
    service = _callbacks(request.app)
    try:
        await run_in_threadpool(
            service.settle,
            token,
            body.outcome,
            variables=body.variables,
            error_code=body.error_code,
            error_message=body.error_message,
        )
    except CallbackGoneError as error:
        return _gone(error)
    return JSONResponse({"status": _SETTLED[body.outcome]})


@router.post(
    "/hooks/callbacks/{token}/heartbeat",
    summary="Move the callback's deadline one heartbeat timeout past now",
    response_model=HeartbeatAccepted,
    responses=_GONE,
)
async def callback_heartbeat(token: Token, request: Request) -> Response:
    try:
        expires_at = await run_in_threadpool(_callbacks(request.app).heartbeat, token)
    except CallbackGoneError as error:
        return _gone(error)
    return JSONResponse({"expiresAt": expires_at.isoformat()})


async def _webhook(path: str, request: Request) -> Response:
    inbound = InboundRequest(
        method=request.method,
        path=path.strip("/"),
        headers={name.lower(): value for name, value in request.headers.items()},
        query=dict(request.query_params),
        body=await request.body(),
    )
    outcome = await run_in_threadpool(_receiver(request.app).handle, inbound)
    return _answer(outcome)


_WEBHOOK_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the instance started or the message was published"},
    202: {"description": "the activation condition was not met: nothing happened"},
}

# One route per method, so that each has its own operation in the OpenAPI document.
for _method in METHODS:
    router.add_api_route(
        "/hooks/{path:path}",
        _webhook,
        methods=[_method],
        name=f"webhook_{_method.lower()}",
        summary="Call a webhook: start an instance or correlate a message (see docs/connectors.md)",
        responses=_WEBHOOK_RESPONSES,
    )
