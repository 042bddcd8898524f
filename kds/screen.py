"""One station screen kept in step with the database over its websocket.

Every announcement is only a nudge: the screen's open tickets are read again and compared
with what this socket last sent, and only the difference goes out (a new card appended, a
bumped card deleted, a changed card replaced, a side panel redrawn). The same comparison
serves a reconnect, a lost announcement and a recall, so a screen cannot drift.
"""

from __future__ import annotations

from typing import Any

from litestar import WebSocket
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.web import render_html
from kds import views
from kds.models import Station

#: Announcements from the station's own channel; anything else came from the floor.
_TICKET_EVENTS = ("ticket", "bumped", "recalled", "changed", "poll")


class StationScreen:
    def __init__(self, socket: WebSocket[Any, Any, Any], station: Station) -> None:
        self.socket = socket
        self.station = station
        #: ticket id -> (seq, card html) as this screen shows it.
        self.cards: dict[int, tuple[int, str]] = {}
        #: panel id -> html as this screen shows it.
        self.panels: dict[str, str] = {}

    def _render(self, template: str, **context: Any) -> str:
        return render_html(self.socket, template, station=self.station, **context)

    def _card(self, ticket: views.TicketView, oob: bool = False) -> str:
        return self._render("kds/_ticket.html", ticket=ticket, oob=oob)

    async def _panels(
        self, session: AsyncSession, tickets: list[views.TicketView], with_pending: bool
    ) -> dict[str, str]:
        panels = {
            "all-day": self._render(
                "kds/_all_day.html", tickets=tickets, all_day=views.all_day(tickets), oob=True
            ),
            "recent": self._render(
                "kds/_recent.html",
                recent=await views.recently_bumped(session, self.station.id),
                oob=True,
            ),
        }
        if with_pending:
            panels["pending"] = await self._pending(session)
        return panels

    async def _pending(self, session: AsyncSession) -> str:
        held = await views.pending(session, self.station.location_id, self.station.id)
        return self._render("kds/_pending.html", pending=held, oob=True)

    def _changed_panels(self, fresh: dict[str, str]) -> list[str]:
        out = [html for key, html in fresh.items() if self.panels.get(key) != html]
        self.panels.update(fresh)
        return out

    async def snapshot(self) -> str:
        async with self.socket.app.state.sessionmaker() as session:
            tickets = await views.open_tickets(session, self.station.id)
            self.panels = await self._panels(session, tickets, with_pending=True)
        self.cards = {t.id: (t.seq, self._card(t)) for t in tickets}
        listing = self._render("kds/_tickets.html", tickets=tickets, oob=True)
        return listing + "".join(self.panels.values())

    async def on_event(self, event: dict[str, Any]) -> str | None:
        """One message per announcement (a screen applies it whole)."""
        async with self.socket.app.state.sessionmaker() as session:
            if not any(key in event for key in _TICKET_EVENTS):
                return "".join(self._changed_panels({"pending": await self._pending(session)}))
            tickets = await views.open_tickets(session, self.station.id)
            panels = await self._panels(session, tickets, with_pending="poll" in event)
        return "".join(self._reconcile(tickets) + self._changed_panels(panels)) or None

    def _reconcile(self, tickets: list[views.TicketView]) -> list[str]:
        fresh = {t.id: (t.seq, self._card(t)) for t in tickets}
        by_id = {t.id: t for t in tickets}
        kept = [i for i in self.cards if i in fresh]
        new = sorted((i for i in fresh if i not in self.cards), key=lambda i: fresh[i][0])
        newest_kept = max((self.cards[i][0] for i in kept), default=0)
        if new and fresh[new[0]][0] < newest_kept:
            # A recalled ticket goes back in its place by number: redraw the whole list.
            self.cards = fresh
            return [self._render("kds/_tickets.html", tickets=tickets, oob=True)]
        out = [
            f'<div id="ticket-{int(i)}" hx-swap-oob="delete"></div>'
            for i in self.cards
            if i not in fresh
        ]
        out += [self._card(by_id[i], oob=True) for i in kept if self.cards[i][1] != fresh[i][1]]
        if new:
            cards = "".join(fresh[i][1] for i in new)
            out.append(f'<div id="tickets" hx-swap-oob="beforeend">{cards}</div>')
        self.cards = fresh
        return out
