"""The JSON API under /api/v1: the same commands as the screens, for integrations.

Each module is one group of the OpenAPI document; ``app.main`` mounts them all.
"""

from __future__ import annotations

from app.api.accounts import ChartApiController
from app.api.after_close import AfterCloseApiController
from app.api.checks import CheckApiController
from app.api.corrections import CorrectionApiController
from app.api.days import DayApiController
from app.api.devices import DeviceApiController
from app.api.discounts import DiscountApiController
from app.api.drawers import DrawerApiController
from app.api.inventory import InventoryApiController
from app.api.inventory_counts import InventoryCountApiController
from app.api.kitchen_flow import FiringApiController
from app.api.ledger import LedgerApiController
from app.api.ledger_verify import LedgerVerifyApiController
from app.api.menu import MenuReadController
from app.api.office_lists import OfficeListsApiController
from app.api.office_menu import MenuEditorApiController
from app.api.payments import PaymentApiController
from app.api.purchasing import PurchasingApiController
from app.api.roster import RosterApiController
from app.api.routes import ApiController
from app.api.settings import SettingsApiController
from app.api.splits import SplitApiController

#: Every /api/v1 controller of app.api (the kitchen's and the 86 board's live with them).
API_CONTROLLERS = (
    ApiController,
    CheckApiController,
    FiringApiController,
    PaymentApiController,
    AfterCloseApiController,
    DrawerApiController,
    SplitApiController,
    CorrectionApiController,
    DiscountApiController,
    MenuReadController,
    MenuEditorApiController,
    OfficeListsApiController,
    DeviceApiController,
    SettingsApiController,
    RosterApiController,
    LedgerApiController,
    LedgerVerifyApiController,
    ChartApiController,
    DayApiController,
    InventoryApiController,
    InventoryCountApiController,
    PurchasingApiController,
)
