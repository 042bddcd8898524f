"""The API's OpenAPI document: only ``/api/v1`` in it, every error as it really comes back.

Pages (the tablets' screens) answer HTML and are no business of an integrator, so every
handler not marked ``api`` is left out. An API operation of another area that lists no
error responses of its own gets the ones its shape allows (``ErrorBody``), never Litestar's
``{status_code, detail, extra}`` body, which Brigade does not send.
"""

from __future__ import annotations

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin  # its routes list: no public way in 2.25
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.router import Router
from litestar.routes import HTTPRoute

from app.api.common import errors

API_PREFIX = "/api/v1/"
SCHEMA = "/api/v1/schema"
DESCRIPTION = (
    "Everything the screens do, for integrations, the print agent and head office. "
    "Sign in with POST /api/v1/sessions, then send `Authorization: Bearer <token>`; send an "
    "`Idempotency-Key` with every POST. Amounts are integer minor units (cents). Every "
    'error is `{"error": sentence, "status": code}`. See docs/api.md.'
)


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Brigade POS API",
        version="1",
        description=DESCRIPTION,
        # The API's description is public; every operation in it is guarded.
        openapi_router=Router(SCHEMA, route_handlers=[], opt={"public": True, "api": True}),
        render_plugins=[SwaggerRenderPlugin()],
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
        ),
        security=[{"bearer": []}],
    )


def _default_errors(handler: HTTPRouteHandler, route: HTTPRoute) -> tuple[int, ...]:
    codes: list[int] = []
    takes_input = bool(route.path_parameters) or any(
        name not in ("self", "request", "uow", "socket")
        for name in handler.parsed_fn_signature.parameters
    )
    if takes_input:
        codes.append(400)
    if not handler.opt.get("public"):
        codes += [401, 403]
    if takes_input:
        codes += [404, 422]
    if "idempotency_key" in handler.parsed_fn_signature.parameters:
        codes.append(409)  # the key was used for another request
    return tuple(sorted(codes))


def document_api(app: Litestar) -> None:
    """Call once the app is built (the document itself is made on its first request)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        api = [h for h in route.route_handlers if h.opt.get("api")]
        # The document itself, Swagger's page and /healthz (for monitors) are not operations.
        if not api or not route.path.startswith(API_PREFIX) or route.path.startswith(SCHEMA):
            plugin.included_routes.pop(route.path, None)
            continue
        for handler in api:
            if handler.responses is None:
                handler.responses = errors(*_default_errors(handler, route))
            if "data" in handler.parsed_fn_signature.parameters:
                # Any body can be too large: InputGuard refuses it before the handler.
                handler.responses = {**handler.responses, **errors(413)}
