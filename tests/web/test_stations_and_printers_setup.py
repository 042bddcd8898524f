"""Stations (names, ticket timers, expo) and printers (address, paper, receipts, which
station prints where) set up on the back office's screens, with clear refusals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kds.models import Station
from printers.models import Printer
from tests.conftest import sign_in
from tests.demo_ids import station_id
from tests.web.test_menu_editor import fresh, post
from tests.web.test_pay_routes import Client, count


async def test_a_manager_adds_a_station_with_its_timers_and_changes_them(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    form = {"name": "Fryer", "warn_minutes": "4", "late_minutes": "7", "ack_seconds": "20"}
    added = await post(client, csrf, "/office/stations", **form, key="fryer")
    twice = await post(client, csrf, "/office/stations", **form, key="fryer")
    fryer = await fresh(session, Station, name="Fryer")
    backwards = await post(
        client, csrf, f"/office/stations/{fryer.id}", **{**form, "warn_minutes": "9"}
    )
    taken = await post(client, csrf, f"/office/stations/{fryer.id}", **{**form, "name": "grill"})
    hours = await post(
        client, csrf, f"/office/stations/{fryer.id}", **{**form, "late_minutes": "9999"}
    )
    eastern = await post(
        client, csrf, f"/office/stations/{fryer.id}", **{**form, "ack_seconds": "٣٠"}
    )
    slower = await post(
        client, csrf, f"/office/stations/{fryer.id}", **{**form, "late_minutes": "10"}
    )

    assert added.status_code == twice.status_code == 204
    assert len((await session.scalars(select(Station).filter_by(name="Fryer"))).all()) == 1
    assert (fryer.warn_after_s, fryer.late_after_s, fryer.ack_within_s) == (240, 420, 20)
    assert backwards.status_code == 422 and "make red the later one" in backwards.text
    assert taken.status_code == 422 and "already a station called grill" in taken.text
    assert hours.status_code == 422 and "between 1 and 120" in hours.text
    assert eastern.status_code == 422 and "whole number" in eastern.text
    assert slower.status_code == 204
    assert (await fresh(session, Station, id=fryer.id)).late_after_s == 600
    page = await client.get("/office/stations")
    assert 'value="Fryer"' in page.text and "Add a station" in page.text


async def test_printers_are_added_given_stations_and_one_prints_receipts(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    printers_before = await count(session, Printer)
    added = await post(
        client,
        csrf,
        "/office/printers",
        name="Fryer printer",
        address="10.0.0.77:9100",
        columns="42",
        key="fp",
    )
    refusals = {
        "not an address": "network address and port",
        "10.0.0.77:99999": "between 1 and 65535",
        "usb:zzzz:0202": "network address and port",
        "": "network address and port",
    }
    for address, sentence in refusals.items():
        refused = await post(client, csrf, "/office/printers", name="X", address=address)
        assert refused.status_code == 422 and sentence in refused.text, address
    paper = await post(client, csrf, "/office/printers", name="X", address="10.0.0.8", columns="50")
    fryer_printer = await fresh(session, Printer, name="Fryer printer")
    grill = await station_id(session, "Grill")
    routed = await post(
        client,
        csrf,
        f"/office/printers/stations/{grill}",
        printer_id=str(fryer_printer.id),
        backup_id="",
    )
    itself = await post(
        client,
        csrf,
        f"/office/printers/stations/{grill}",
        printer_id=str(fryer_printer.id),
        backup_id=str(fryer_printer.id),
    )
    receipts = await post(
        client, csrf, "/office/printers/receipts", printer_id=str(fryer_printer.id)
    )

    assert added.status_code == 204 and paper.status_code == 422
    assert await count(session, Printer) == printers_before + 1
    assert routed.status_code == 204
    assert (await fresh(session, Station, id=grill)).printer_id == fryer_printer.id
    assert itself.status_code == 422 and "cannot back itself up" in itself.text
    assert receipts.status_code == 204
    session.expire_all()
    receipt_printers = (
        await session.scalars(select(Printer.name).filter_by(prints_receipts=True))
    ).all()
    assert receipt_printers == ["Fryer printer"]


async def test_servers_and_cooks_cannot_set_up_stations_or_printers(client: Client) -> None:
    csrf = await sign_in(client, "Ode")
    assert (await client.get("/office/stations")).status_code == 403
    refused = await post(client, csrf, "/office/printers", name="X", address="10.0.0.9")
    assert refused.status_code == 403
