"""Two tablets on one check's pay screen: when one takes a payment, the other hears the new
version over the pay screen's feed (and brigade.js redraws it; the browser test watches)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.web.test_live_screens import Device, _ids


@pytest.fixture
def tablets(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def test_the_second_tablets_pay_screen_hears_the_first_tablets_payment(
    tablets: TestClient[Litestar],
) -> None:
    maria, sam = Device(tablets, "Maria"), Device(tablets, "Sam")
    tables = _ids(maria.use(), "/floor", r'id="table-(\d+)"[\s\S]*?<span class="t-name">([^<]+)<')
    headers = maria.csrf("/floor")
    tablet = maria.use()
    check = tablet.post(
        f"/floor/tables/{tables['5']}/open", data={"guests": "2"}, headers=headers
    ).headers["hx-redirect"]
    menu = tablet.get(check).text
    lager = re.search(r'"item_id": (\d+)[^>]*>\s*<span class="item-name">Lager Draft', menu)
    assert lager
    tablet.post(f"{check}/lines", data={"item_id": lager.group(1)}, headers=headers)
    tablet.post(f"{check}/send", headers=headers)
    page = tablet.get(f"{check}/pay").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version and 'ws-connect="' + check + '/pay/feed"' in page

    with sam.use().websocket_connect(f"{check}/pay/feed") as sams_screen:
        paid = maria.use().post(
            f"{check}/pay/cash",
            data={"key": "cash-1", "version": version.group(1), "tendered": "1"},
            headers=headers,
        )
        assert paid.status_code == 200, paid.text
        pushed = sams_screen.receive_text()

    assert re.fullmatch(r'<div id="pay-live" data-version="(\d+)" hidden></div>', pushed)
    assert int(re.findall(r"\d+", pushed)[0]) > int(version.group(1))
