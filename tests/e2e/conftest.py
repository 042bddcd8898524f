"""Browser tests: the real server in a subprocess, driven by Debian's Chromium via Playwright.

Run them in their own pytest process: ``.venv/bin/pytest tests/e2e``. Playwright's sync API
runs its own event loop in this thread, which breaks the async tests that would follow it in
the same process; so when a run collects both kinds, the browser tests are skipped with a
note saying how to run them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, LiveServer, running_server
from tests.e2e.steps import TABLET, WAIT_MS, Device

HERE = Path(__file__).resolve().parent

expect.set_options(timeout=WAIT_MS)


def _is_e2e(item: pytest.Item) -> bool:
    return HERE in Path(str(item.fspath)).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark browser tests ``e2e`` before ``-m`` selects on markers."""
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that also holds async tests skips the browser tests (after -m/-k selection)."""
    e2e = [item for item in session.items if _is_e2e(item)]
    if e2e and len(e2e) != len(session.items):
        if os.environ.get("CI"):
            # CI runs `make test`, which runs the browser tests on their own: a CI run that
            # mixes them would skip them silently, so it is refused instead.
            raise pytest.UsageError("run the browser tests in their own pytest: make e2e")
        skip = pytest.mark.skip(
            reason="browser tests run in their own pytest process: .venv/bin/pytest tests/e2e"
        )
        for item in e2e:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system Chromium; skip (or, on CI, fail) plainly when it is missing."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"Chromium not installed at {CHROMIUM}; the browser tests need it on CI: "
                "apt-get install -y chromium",
                pytrace=False,
            )
        pytest.skip("Chromium not installed: apt-get install -y chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(chromium: str) -> Iterator[LiveServer]:
    """``brigade serve`` on a fresh copy of the demo restaurant, until the session ends."""
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser(chromium: str, live_server: LiveServer) -> Iterator[Browser]:
    """Chromium, launched once the server is up (and closed before it stops)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def device(browser: Browser, base_url: str) -> Iterator[Callable[..., Device]]:
    """Open a new screen (a separate browser context) with the given viewport."""
    opened: list[Device] = []

    def open_device(viewport: dict[str, int] | None = None, **options: Any) -> Device:
        context = browser.new_context(viewport=viewport or TABLET, **options)  # type: ignore[arg-type]
        screen = Device(context, base_url)
        opened.append(screen)
        return screen

    yield open_device
    for screen in opened:
        screen.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failed browser test, attach the tail of the server's log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _is_e2e(item):
        server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
        if isinstance(server, LiveServer):
            report.sections.append(("brigade server log", server.log_tail()))
