"""The net under every route's own parsing: hostile input is a 4xx with a sentence.

Two layers, both wired in ``create_app``:

- ``BodyReader`` wraps the whole application (outside routing): it reads each request's body
  before anything answers, up to ``MAX_BODY``. A route that never reads its body (Send,
  Clean, Recall ...) used to leave a multipart upload unread on the connection; the server
  then dropped the connection and the client's next request on it got no response at all.
- ``InputGuard`` runs for every route before its handler: numbers in the path and in the
  query (by the handler's own signature) must be ASCII digits within BIGINT, and no text in
  the query or the body (form, multipart or JSON) may hold a control character such as NUL,
  nor a JSON number beyond BIGINT. A route that forgets a rule is still safe.
"""

from __future__ import annotations

import json
import re
import types
from functools import lru_cache
from typing import Any, Union, get_args, get_origin
from urllib.parse import parse_qsl

from litestar._multipart import parse_content_header
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser

from app.core.errors import BadInput, BrigadeError, NotFound
from app.core.inputs import MAX_ID, has_control, is_whole, parse_whole

#: No screen posts more than a few kilobytes; a megabyte is a generous ceiling.
MAX_BODY = 1_000_000
BODY = "brigade_body"
TOO_LARGE = "brigade_body_too_large"
CONTROL = (
    "Text sent holds a control character (such as NUL) that Brigade cannot keep; "
    "nothing was saved. Retype it."
)
_PARAM_SEGMENT = re.compile(r"\{(\w+)(?::\w+)?\}")


class TooLarge(BrigadeError):
    status = 413


class BodyReader:
    """Reads the request body up front (and so always), then replays it to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        messages: list[Any] = []
        body = bytearray()
        declared = next((v for k, v in scope["headers"] if k.lower() == b"content-length"), b"")
        too_large = declared.isdigit() and int(declared) > MAX_BODY
        while not too_large:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            too_large = len(body) > MAX_BODY
            if not message.get("more_body"):
                break
        scope[BODY] = bytes(body)  # type: ignore[literal-required]
        scope[TOO_LARGE] = too_large  # type: ignore[literal-required]

        async def replay() -> Any:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class InputGuard(ASGIMiddleware):
    """Refuses, before the handler, what no route of Brigade can take."""

    scopes = ("http", "websocket")  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] == ScopeType.WEBSOCKET:
            try:
                _check_path(scope)
                _check_query(scope)
            except BrigadeError as refusal:
                # Refuse the handshake as the feeds refuse an unknown station: 4000 + status.
                reason = refusal.message.encode()[:120].decode("utf-8", "ignore")
                await send(
                    {"type": "websocket.close", "code": 4000 + refusal.status, "reason": reason}
                )
                return
            await next_app(scope, receive, send)
            return
        if scope.get(TOO_LARGE):
            raise TooLarge("That request is too large for Brigade (the most is 1 MB).")
        _check_path(scope)
        _check_query(scope)
        body = scope.get(BODY)
        if isinstance(body, bytes) and body:
            _check_body(scope, body)
        await next_app(scope, receive, send)


def _check_path(scope: Scope) -> None:
    """A number in the address is an id: anything not an id there names nothing (Python's
    int() also reads "١٢" as 12, so the segment itself must be ASCII digits)."""
    path = str(scope.get("path", ""))
    if has_control(path, lines=False) or any(len(s) > 255 for s in path.split("/")):
        # No address of Brigade holds either; a file lookup given one fails with a 500.
        raise NotFound("There is nothing at this address.")
    params = scope.get("path_params") or {}
    numbers = {k for k, v in params.items() if isinstance(v, int) and not isinstance(v, bool)}
    if not numbers:
        return
    template = str(scope.get("path_template", "")).split("/")
    segments = path.split("/")
    if len(segments) != len(template):
        return
    for pattern, segment in zip(template, segments, strict=True):
        name = _PARAM_SEGMENT.fullmatch(pattern)
        if name and name.group(1) in numbers and not is_whole(segment):
            raise NotFound("There is nothing at this address: the number in it names nothing.")


@lru_cache(maxsize=512)
def _int_query_names(handler: Any) -> frozenset[str]:
    """The query parameters a handler declares as whole numbers (int, int | None, list[int])."""
    names = set()
    signature = getattr(handler, "parsed_fn_signature", None)
    reserved = set(getattr(handler, "resolve_dependencies", dict)() or ())
    for name, field in signature.parameters.items() if signature else ():
        if name in reserved or name in ("data", "request", "state", "scope", "headers"):
            continue
        kwarg = field.kwarg_definition
        if kwarg is not None and (getattr(kwarg, "header", None) or getattr(kwarg, "cookie", None)):
            continue
        if _is_int(field.annotation):
            query = getattr(kwarg, "query", None) if kwarg is not None else None
            names.add(query or name)
    return frozenset(names)


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple, set):
        args = [a for a in get_args(annotation) if a is not type(None) and a is not Ellipsis]
        return bool(args) and all(_is_int(a) for a in args)
    return False


def _check_query(scope: Scope) -> None:
    query = scope.get("query_string", b"")
    if not query:
        return
    pairs = parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True)
    if any(has_control(k, lines=False) or has_control(v, lines=False) for k, v in pairs):
        raise BadInput("The address holds a control character (such as NUL); check the link.")
    handler = scope.get("route_handler")
    numbers = _int_query_names(handler) if handler is not None else frozenset()
    for key, value in pairs:
        if key in numbers and value.strip():
            parse_whole(value, f"“{key}” in the address")


def body_kind(scope: Scope) -> tuple[str, dict[str, str]]:
    """What a body is as its handler will read it: "form", "multipart", "json" or "" (not
    read as text). An API body is JSON whatever its Content-Type says, because the API's
    handlers decode it as JSON whatever it says."""
    content_type, options = parse_content_header(_header(scope, b"content-type"))
    if str(scope.get("path", "")).startswith("/api/"):
        return "json", options
    if content_type == "application/x-www-form-urlencoded":
        return "form", options
    if content_type == "multipart/form-data":
        return "multipart", options
    return ("json" if content_type.endswith("json") else ""), options


def parse_json(body: bytes) -> Any:
    """The JSON a handler would decode; None when it is malformed (the handler's own decoder
    answers that with a 400). Arrays nested thousands deep are refused: they exhaust the
    parser's stack, and no request of Brigade's nests more than a few levels."""
    try:
        return json.loads(body)
    except RecursionError:
        raise BadInput("The JSON sent is nested too deeply for Brigade to read.") from None
    except ValueError:
        return None


def _check_body(scope: Scope, body: bytes) -> None:
    kind, options = body_kind(scope)
    if kind == "form":
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        if any(has_control(k) or has_control(v) for k, v in pairs):
            raise BadInput(CONTROL)
    elif kind == "multipart":
        _check_multipart(body, options.get("boundary", ""))
    elif kind == "json":
        _check_json(parse_json(body))


def _check_json(parsed: Any) -> None:
    """Every string and number in a JSON value (a loop, not recursion: depth is the
    sender's to choose)."""
    todo = [parsed]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            if has_control(value):
                raise BadInput(CONTROL)
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_ID:
                raise BadInput(f"A number sent is too large: the most Brigade takes is {MAX_ID}.")
        elif isinstance(value, dict):
            todo.extend(value.keys())
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)


def _check_multipart(body: bytes, boundary: str) -> None:
    """Text parts must decode and hold no control character; uploads are left alone."""
    if any(
        has_control(name) or has_control(text) for name, text in multipart_fields(body, boundary)
    ):
        raise BadInput(CONTROL)


def multipart_fields(body: bytes, boundary: str) -> list[tuple[str, str]]:
    """The text fields of a multipart form, decoded as Litestar will decode them; a form
    that cannot be read, or whose text is not in a known character set, is refused."""
    broken = BadInput("The form could not be read; reload the page and send it again.")
    if not boundary:
        raise broken
    found: list[tuple[str, str]] = []
    segment: MultipartSegment | None = None
    data = bytearray()
    try:
        with PushMultipartParser(boundary.encode(), max_segment_count=1000) as parser:
            for chunk in (body, b""):
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment, data = part, bytearray()
                    elif part:
                        data += part
                    elif segment is not None and not segment.filename:
                        found.append((segment.name, _text_part(bytes(data), segment.charset)))
    except (ParserError, ParserLimitReached):
        raise broken from None
    return found


def _text_part(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise BadInput(
            "The form's text is not in a character set Brigade reads (UTF-8); "
            "reload the page and send it again."
        ) from None


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == name), "")
