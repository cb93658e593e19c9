"""What every HTTP exchange gets, around the handlers: a request id and an access log line, a
limit on request bodies, and validators (ETag, Cache-Control, 304) on what GET answers."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import REQUEST_ID
from api.rest.problems import problem_response

ACCESS_LOG = logging.getLogger("dealgraph.access")
# A client's own request id is kept if it looks like one; otherwise a new one is made.
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request whose body is longer than `max_bytes` with 413, whether it says so in
    Content-Length or streams it; the handler never sees more than `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        detail = f"the request body is longer than {self.max_bytes:,} bytes"
        await problem_response(request, 413, detail)(scope, receive, send)


class RequestIds:
    """Gives every exchange a request id (the client's `X-Request-Id` if it sent a sane one),
    returns it as `X-Request-Id`, and logs one JSON line per exchange when access logs are on."""

    def __init__(self, app: ASGIApp, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _CLIENT_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        outcome = {"status": 500, "bytes": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("X-Request-Id", request_id)
                outcome["status"] = message["status"]
            elif message["type"] == "http.response.body":
                outcome["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.access_log:
                self._log(scope, request_id, outcome, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    @staticmethod
    def _log(scope: Scope, request_id: str, outcome: dict[str, int], seconds: float) -> None:
        line = {
            "request_id": request_id,
            "method": scope["method"],
            "path": scope["path"],
            "status": outcome["status"],
            "bytes": outcome["bytes"],
            "ms": round(seconds * 1000, 2),
        }
        ACCESS_LOG.info(orjson.dumps(line).decode())


class Validators:
    """A GET answered with 200 gets a weak ETag (a digest of its body) and Cache-Control; a
    client whose If-None-Match holds that ETag gets 304 and no body."""

    def __init__(self, app: ASGIApp, max_age: int) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = bytearray()

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            body.extend(message.get("body", b""))
            if not message.get("more_body", False):
                assert start is not None
                await self._send(scope, start, bytes(body), send)

        await self.app(scope, receive, hold)

    async def _send(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        if start["status"] != 200 or "cache-control" in headers:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        etag = 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        headers["ETag"] = etag
        headers["Cache-Control"] = self.cache_control
        if etag in _etags(Headers(scope=scope).get("if-none-match", "")):
            not_modified = {"type": "http.response.start", "status": 304, "headers": []}
            kept = MutableHeaders(scope=not_modified)
            for name in ("etag", "cache-control", "vary"):
                if name in headers:
                    kept[name] = headers[name]
            await send(not_modified)
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _etags(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}
