"""The server's own print worker: prints due jobs on network printers it can reach.

An asyncio task started with the app. It claims due jobs (SKIP LOCKED, so any number of
server processes can run one), prints each printer's jobs in order in a worker thread
(python-escpos sockets block), and settles each job in its own transaction. Printers print
in parallel: a silent Grill printer waiting out its timeout never holds up the Bar's tickets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.platform.db import Announce, UnitOfWork
from app.platform.settings import Settings
from printers.outcomes import record_failure, record_printed, sweep
from printers.service import PRINTERS_CHANNEL, Claim, RetryPolicy, claim_due
from printers.transport import PrintFailed, deliver

log = logging.getLogger(__name__)

Deliver = Callable[[str, bytes, float], None]


class PrintWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        announce: Announce | None = None,
        *,
        policy: RetryPolicy | None = None,
        timeout_s: float = 5.0,
        poll_s: float = 1.0,
        sweep_every_s: float = 5.0,
        agent_timeout_s: float = 20.0,
        deliver: Deliver = deliver,
        enabled: bool = True,
    ) -> None:
        self.sessionmaker = sessionmaker
        #: ``start`` does nothing when off (a process that must not print; the test app).
        self.enabled = enabled
        self.announce = announce
        self.policy = policy or RetryPolicy()
        #: How long a printer has to connect and to answer each status query.
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self.sweep_every_s = sweep_every_s
        self.agent_timeout_s = agent_timeout_s
        self._deliver = deliver
        self._busy: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._stopping = False

    @classmethod
    def for_app(
        cls, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
    ) -> PrintWorker:
        """On unless ``settings.print_worker`` is off (``BRIGADE_PRINT_WORKER=0``)."""
        return cls(sessionmaker, enabled=settings.print_worker)

    # --- life cycle ---

    async def start(self, channels: Any = None) -> None:
        """Run in the background; with Litestar's channels plugin, wake on new jobs and
        publish alerts through it."""
        if not self.enabled:
            return
        # Fresh loop-bound state: one app may be started again on another event loop
        # (test clients do that), and an Event belongs to the loop that first waited on it.
        self._wake = asyncio.Event()
        self._busy = {}
        if channels is not None:
            self.announce = self.announce or publisher(channels)
            self._listener = asyncio.create_task(self._listen(channels))
        self._stopping = False
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Let jobs being printed finish (each is bounded by the timeouts), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        for running in (self._task, *self._busy.values()):
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(running), self.timeout_s * 3)
        leftovers = [self._task, *self._busy.values()]
        leftovers += [self._listener] if self._listener is not None else []
        for task in leftovers:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._listener = None

    def wake(self) -> None:
        self._wake.set()

    async def _listen(self, channels: Any) -> None:
        with contextlib.suppress(Exception):  # no wake-ups: the poll still finds the jobs
            async with channels.start_subscription([PRINTERS_CHANNEL]) as subscriber:
                async for _ in subscriber.iter_events():
                    self.wake()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = 0.0
        while not self._stopping:
            self._wake.clear()
            try:
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + self.sweep_every_s
                    await self.sweep()
                await self.run_once()
            except Exception:  # a database blip must not stop printing for the night
                log.exception("print worker round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)

    # --- one round ---

    async def run_once(self) -> int:
        """Claim what is due on idle printers and start printing it. Returns jobs claimed."""
        async with self.sessionmaker() as session:
            claims = await claim_due(session, skip_printers=list(self._busy))
            await session.commit()
        by_printer: dict[int, list[Claim]] = {}
        for claim in claims:
            by_printer.setdefault(claim.printer_id, []).append(claim)
        for printer_id, jobs in by_printer.items():
            self._busy[printer_id] = asyncio.create_task(self._print_all(printer_id, jobs))
        return len(claims)

    async def drain(self, rounds: int = 50) -> None:
        """Print until nothing is due (tests, and a clean shutdown)."""
        for _ in range(rounds):
            claimed = await self.run_once()
            busy = list(self._busy.values())
            if not claimed and not busy:
                return
            await asyncio.gather(*busy)

    async def sweep(self) -> None:
        await self._settle(partial(sweep, policy=self.policy, agent_timeout_s=self.agent_timeout_s))

    async def _print_all(self, printer_id: int, jobs: list[Claim]) -> None:
        """One printer's jobs in ticket order. When the printer fails, the jobs after it
        fail with it (it is off for them too) and move to the backup together, in order."""
        try:
            for i, claim in enumerate(jobs):
                reason = await self._print_one(claim)
                if reason is None:
                    await self._settle(partial(record_printed, job_id=claim.job_id))
                    continue
                for failed in jobs[i:]:
                    await self._settle(
                        partial(
                            record_failure, job_id=failed.job_id, reason=reason, policy=self.policy
                        )
                    )
                break
        except Exception:
            log.exception("settling print jobs failed", extra={"printer_id": printer_id})
        finally:
            self._busy.pop(printer_id, None)
            self._wake.set()  # this printer's next jobs can go now

    async def _print_one(self, claim: Claim) -> str | None:
        """None when the printer confirmed; else why not, for staff."""
        try:
            await asyncio.to_thread(self._deliver, claim.address, claim.payload, self.timeout_s)
        except PrintFailed as failed:
            log.warning(
                "print failed",
                extra={"job_id": claim.job_id, "printer": claim.printer, "reason": failed.reason},
            )
            return failed.reason
        except Exception:
            log.exception("print crashed", extra={"job_id": claim.job_id})
            return "unreachable"
        return None

    async def _settle(self, command: Callable[[UnitOfWork], Any]) -> None:
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, self.announce)
            try:
                await command(uow)
            except Exception:
                await uow.rollback()
                raise
            await uow.commit()


def publisher(channels: Any) -> Announce:
    """Announce through Litestar's channels plugin (after each command's commit)."""

    async def announce(channel: str, message: Any) -> None:
        with contextlib.suppress(Exception):  # channels stop before us at shutdown
            channels.publish(message, channel)

    return announce
