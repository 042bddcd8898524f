"""How a refusal reaches the person who caused it: JSON for the API, the flash bar for an
htmx swap (or the spot a form names), a whole error page for a plain load. One place, so a
refusal reads the same wherever it comes from, and 4xx are logged as refusals."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template

from app.core.errors import BrigadeError
from app.platform.request_log import log_refusal
from app.platform.web import is_htmx

log = logging.getLogger(__name__)

_ERROR_TARGET = re.compile(r"^#[A-Za-z][\w-]{0,40}$")


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    if status < 500:  # 5xx are logged with their traceback by unexpected_error_handler
        log_refusal(request.scope, status, message)
    if wants_json(request):
        return Response({"error": message, "status": status}, status_code=status)
    if is_htmx(request):
        # Errors land in the flash bar of whatever screen is open (or in the spot a form
        # names with X-Error-Target, e.g. inside a modal), never replace the screen.
        target = request.headers.get("x-error-target", "")
        return Template(
            template_name="_flash.html",
            context={"message": message, "level": "error"},
            status_code=status,
            headers={
                "HX-Retarget": target if _ERROR_TARGET.match(target) else "#flash",
                "HX-Reswap": "innerHTML",
            },
        )
    return Template(
        template_name="error.html",
        context={"message": message, "status": status},
        status_code=status,
    )


def brigade_error_handler(request: Request[Any, Any, Any], exc: BrigadeError) -> Response[Any]:
    response = error_response(request, exc.status, exc.message)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:  # a PIN pause says how long it lasts
        response.headers["Retry-After"] = str(retry_after)
    return response


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        if is_htmx(request):
            return Response(None, status_code=204, headers={"HX-Redirect": "/login"})
        return Redirect("/login")
    return error_response(request, exc.status_code, str(exc.detail))


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unexpected error", extra={"path": request.url.path})
    return error_response(
        request, 500, "Something went wrong on the server; nothing was saved. Try again."
    )
