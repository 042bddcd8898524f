"""Wrong PINs and the waits they cause leave a trace in the log (who, which tablet), even on
the sign-in page, which answers a wrong PIN with its own pad instead of an error."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import PINS, STAFF_IDS, csrf_of, sign_in


async def _try_pin(client: AsyncTestClient[Litestar], name: str, pin: str) -> int:
    token = await csrf_of(client)
    response = await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS[name]), "pin": pin},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    return response.status_code


async def test_wrong_pins_on_the_sign_in_pad_are_logged_without_the_pin(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.platform.auth")
    for _ in range(4):  # three free tries; the fourth is made to wait and checks no PIN
        await _try_pin(client, "Sam", "0000")

    wrong = [r for r in caplog.records if r.getMessage() == "wrong PIN"]
    assert len(wrong) == 3
    assert all(getattr(r, "staff_id", None) == STAFF_IDS["Sam"] for r in wrong)
    assert all(str(getattr(r, "device", "")).startswith("cookie:") for r in wrong)
    paused = [r for r in caplog.records if r.getMessage() == "PIN pause"]
    assert paused and paused[0].levelno == logging.WARNING
    assert int(getattr(paused[0], "retry_after", 0)) > 0
    logged = " ".join(str(vars(r)) for r in caplog.records)
    assert "0000" not in logged and PINS["Sam"] not in logged


async def test_a_manager_clearing_the_waits_is_logged(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.platform.auth")
    await _try_pin(client, "Sam", "0000")
    csrf = await sign_in(client, "Mia")
    cleared = await client.post(
        f"/staff/{STAFF_IDS['Sam']}/unlock", headers={"X-CSRF-Token": csrf, "HX-Request": "true"}
    )
    assert cleared.status_code < 400, cleared.text
    done = [r for r in caplog.records if r.getMessage() == "PIN waits cleared"]
    assert done and getattr(done[0], "by", None) == STAFF_IDS["Mia"]


async def test_a_staff_id_in_arabic_digits_signs_nobody_in(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    """ "١" is one to int(); a PIN pad posts ASCII ids only, so this names nobody (and tries
    no PIN against Maria)."""
    caplog.set_level(logging.INFO, logger="app.platform.auth")
    token = await csrf_of(client)
    response = await client.post(
        "/login",
        data={"staff_id": "١", "pin": PINS["Maria"]},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 422 and "hx-redirect" not in response.headers
    assert "tap your name" in response.text
