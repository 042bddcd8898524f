"""The composition root: ``create_app(settings)`` wires every area into one Litestar app.

This is the one module of ``app`` that knows the kitchen (``kds``) exists: it subscribes the
kitchen display to fired orders and mounts its screens.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Litestar, Request, get
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.response import Response
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy import text

import kds.alerts
import kds.routes
import printers.routes
from app.accounting.books_routes import BooksController
from app.accounting.chart_routes import CHART_ROUTES
from app.accounting.day_routes import DayCloseController
from app.accounting.service import post_close, post_money
from app.api import API_CONTROLLERS
from app.api.common import unreadable_body
from app.api.schema import document_api, openapi_config
from app.backoffice.routes import BackOfficeController
from app.backoffice.setup_routes import FirstRunController
from app.billing.discount_list_routes import DiscountListController
from app.billing.discount_routes import DiscountController
from app.billing.drawer_routes import DrawerController
from app.billing.guest_lock import guest_lock_guard
from app.billing.present_routes import PresentController
from app.billing.refund_routes import RefundController, TipsController
from app.billing.routes import PaymentController
from app.billing.split_amounts import SplitAmountController
from app.billing.split_routes import SplitController
from app.core.errors import BrigadeError
from app.devices.routes import DevicesController
from app.devices.screen_routes import PairingScreenController
from app.floor.routes import FloorController
from app.inventory.costing import cost_close, cost_void
from app.inventory.count_routes import CountController
from app.inventory.depletion import deplete_close
from app.inventory.purchase_routes import PurchaseController
from app.inventory.returns import return_unmade
from app.inventory.routes import InventoryController
from app.inventory.waste import waste_void
from app.menu.csv_routes import MenuCsvController
from app.menu.editor_routes import MenuEditorController
from app.menu.modifier_routes import ModifierEditorController
from app.menu.routes import menu_routes
from app.menu.tax_routes import TaxRateController
from app.orders.check_routes import CheckActionsController
from app.orders.line_routes import LineController
from app.orders.routes import CheckController
from app.platform import device_sockets, migrate
from app.platform.card_guard import CardNumberGuard
from app.platform.closing import BackOfficeBus
from app.platform.db import make_engine, make_sessionmaker
from app.platform.device_sockets import DeviceSockets
from app.platform.embedded_pg import resolve_database_url
from app.platform.input_errors import INPUT_ERROR_HANDLERS
from app.platform.input_guard import BodyReader, InputGuard
from app.platform.kitchen import KitchenBus
from app.platform.location import NO_LOCATION, FollowLocation, load_location
from app.platform.logs import configure_logging
from app.platform.realtime import make_channels
from app.platform.receipts import ReceiptBus
from app.platform.request_log import RequestLog
from app.platform.settings import ROOT, Settings
from app.platform.templating import make_engine as make_template_engine
from app.platform.web import PrincipalMiddleware, provide_uow, role_guard, vary_on_htmx
from app.platform.web_errors import (
    brigade_error_handler,
    http_error_handler,
    unexpected_error_handler,
)
from app.staff.my_pin_routes import MyPinController
from app.staff.roster_routes import RosterController
from app.staff.routes import SessionController, SignInController, StaffAdminController
from kds.api import KitchenApiController
from kds.events import TicketBus
from kds.expo_routes import ExpoController
from kds.routing_routes import RoutingController
from kds.service import ticket_maker
from kds.station_editor_routes import StationEditorController
from printers.agent_routes import print_agent_feed
from printers.device_places import KitchenPlaces
from printers.outcomes import printer_alerts
from printers.printer_editor_routes import PrinterEditorController
from printers.receipts import receipt_jobs
from printers.service import jobs_for_tickets
from printers.worker import PrintWorker

log = logging.getLogger(__name__)


@get("/healthz", opt={"public": True, "api": True})
async def healthz(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """Liveness and the database's state, for monitors and load balancers."""
    try:
        async with request.app.state.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
            revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
        return Response({"status": "ok", "database": "ok", "revision": revision})
    except Exception as exc:  # the point of a health check is to report, not to crash
        log.warning("health check failed", extra={"error": str(exc)})
        return Response({"status": "degraded", "database": "unreachable"}, status_code=503)


def wire_back_office() -> BackOfficeBus:
    """Every close and every money move, to the back office: accounting posts the entry
    (inventory and guests subscribe here too)."""
    bus = BackOfficeBus()
    bus.on_close(post_close)
    bus.on_close(deplete_close)
    bus.on_close(cost_close)  # after depletion: it prices the moves depletion wrote
    bus.on_money(post_money)
    bus.on_money(return_unmade)
    bus.on_void(waste_void)
    bus.on_void(cost_void)
    return bus


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    url = resolve_database_url(settings.database_url, settings.data_dir)
    engine = make_engine(url, settings.db_pool)
    channels = make_channels(settings.channels_backend)
    kitchen = KitchenBus()
    receipts = ReceiptBus()
    receipts.subscribe(receipt_jobs)  # checks, receipts and drawer kicks on the receipt printer
    tickets = TicketBus()
    kitchen.subscribe(ticket_maker(tickets))
    tickets.subscribe(jobs_for_tickets)  # a print job per ticket, in the same transaction
    templates = make_template_engine("USD", "en_US")

    async def on_startup(app: Litestar) -> None:
        await migrate.ensure_migrated(engine)
        await load_location(app)

    async def on_shutdown(app: Litestar) -> None:
        await engine.dispose()

    async def start_printing(app: Litestar) -> None:
        await app.state.print_worker.start(app.state.channels)

    async def stop_printing(app: Litestar) -> None:
        await app.state.print_worker.stop()

    app = Litestar(
        route_handlers=[
            healthz,
            FirstRunController,
            BackOfficeController,
            MenuEditorController,
            MenuCsvController,
            ModifierEditorController,
            TaxRateController,
            *CHART_ROUTES,
            DiscountListController,
            StationEditorController,
            PrinterEditorController,
            SignInController,
            PairingScreenController,
            DevicesController,
            SessionController,
            StaffAdminController,
            RosterController,
            MyPinController,
            FloorController,
            CheckController,
            CheckActionsController,
            LineController,
            PaymentController,
            SplitController,
            SplitAmountController,
            RefundController,
            TipsController,
            DiscountController,
            PresentController,
            DrawerController,
            BooksController,
            DayCloseController,
            InventoryController,
            CountController,
            PurchaseController,
            menu_routes,
            kds.routes.KitchenController,
            ExpoController,
            RoutingController,
            *API_CONTROLLERS,
            KitchenApiController,
            printers.routes.PrintersController,
            print_agent_feed,
            create_static_files_router(
                path="/static", directories=[ROOT / "static"], opt={"public": True}
            ),
        ],
        dependencies={"uow": Provide(provide_uow)},
        guards=[role_guard, guest_lock_guard],
        # InputGuard first: hostile input is refused before anything reads it. FollowLocation
        # after PrincipalMiddleware: it reuses the session and the stamp the lookup read.
        middleware=[
            InputGuard(),
            CardNumberGuard(),
            DeviceSockets(),
            PrincipalMiddleware(),
            FollowLocation(),
        ],
        plugins=[channels],
        template_config=TemplateConfig(instance=templates),
        exception_handlers={
            BrigadeError: brigade_error_handler,
            HTTPException: http_error_handler,
            UnicodeDecodeError: unreadable_body,
            Exception: unexpected_error_handler,
            **INPUT_ERROR_HANDLERS,
        },
        openapi_config=openapi_config(),
        after_request=vary_on_htmx,
        on_startup=[on_startup, start_printing, kds.alerts.start, device_sockets.start],
        # In this order: the print worker settles its jobs before the engine is disposed.
        on_shutdown=[device_sockets.stop, kds.alerts.stop, stop_printing, on_shutdown],
        debug=settings.debug,
    )
    document_api(app)  # only /api/v1 in the OpenAPI document, with its real error bodies
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.channels = channels
    app.state.kitchen = kitchen
    app.state.receipts = receipts
    app.state.back_office = wire_back_office()
    app.state.tickets = tickets
    app.state.print_worker = PrintWorker.for_app(app.state.sessionmaker, settings)
    # The floor plan's banner: kitchen tickets nobody saw, printers in trouble.
    app.state.floor_alerts = (kds.alerts.open_alerts, printer_alerts)
    # The Devices screen's stations (kitchen screens) and printers (print agents).
    app.state.device_places = KitchenPlaces()
    app.state.location = NO_LOCATION
    app.state.location_stamp = None  # see app.platform.location: loaded at start-up
    # Outside routing, so even a 404 or 405 reads the body first (see input_guard).
    app.asgi_handler = BodyReader(app.asgi_handler)
    return app


def app_from_env() -> RequestLog:
    """Factory for granian: settings from the environment, logs as JSON, a line per request."""
    configure_logging()
    app = create_app(Settings.from_env())
    configure_logging()  # again: Litestar has just put its own plain-text handler on the root
    return RequestLog(app)
