"""A limit on request body size: uploads to the deployment route may be larger than other
bodies; anything over its limit is refused with a 413 problem before it is read in full."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stead.api.problems import MEDIA_TYPE, problem_response

__all__ = ["BodySizeLimit"]

UPLOAD_PATHS = ("/api/deployments",)


class BodySizeLimit:
    """ASGI middleware: a declared Content-Length over the limit is refused at once; a body
    sent without one is counted as it arrives."""

    def __init__(self, app: ASGIApp, *, max_json_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.max_upload_bytes if path in UPLOAD_PATHS else self.max_json_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(limit, send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer now; the application sees a client that went away, and whatever
                    # it answers to that is dropped.
                    refused = True
                    await _refuse(limit, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(limit: int, send: Send) -> None:
    body = bytes(problem_response(413, f"the request body is larger than {limit} bytes").body)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
