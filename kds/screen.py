"""What a station's screens show, kept once per station per process (``kds.feeds``).

Every announcement is only a nudge: the board reads what the nudge can have changed, renders
it once, compares it with what the screens were last sent, and gives back only the
difference (a new card appended, a bumped card deleted, a changed card replaced, a side panel
redrawn), the same text for every screen of the station. The same comparison serves a lost
announcement and a recall, so the screens cannot drift; a screen that joins (or reconnects)
gets the whole board.

What each nudge can change:
- a ticket announcement: the open tickets, "all day" and "recently bumped";
- a floor announcement for a table: only the held lines of the open checks at that table
  (the pending panel), read for that table alone; other floor news changes nothing here;
- a routing change: which held lines are this station's (the routing map is kept here, not
  read per redraw);
- the periodic re-check: everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from litestar.template import TemplateEngineProtocol
from sqlalchemy.ext.asyncio import AsyncSession

from kds import views
from kds.models import Station, Ticket
from kds.reads import load_tickets
from kds.routing import RoutingMap
from kds.stations import routing_map

CardKey = tuple[Any, ...]
#: Announcements on a station's own channel that change its tickets.
TICKET_KEYS = frozenset({"ticket", "bumped", "recalled", "changed"})


@dataclass(slots=True)
class Nudges:
    """What a batch of announcements asks the board to read again."""

    #: Read every open ticket (else only ``ticket_ids``).
    all_tickets: bool = False
    ticket_ids: set[int] = field(default_factory=set)
    #: Read "recently bumped" again.
    recent: bool = False
    tables: set[int] = field(default_factory=set)
    all_held: bool = False
    routing: bool = False

    @classmethod
    def everything(cls) -> Nudges:
        return cls(all_tickets=True, recent=True, all_held=True, routing=True)

    def add(self, event: dict[str, Any]) -> None:
        """Note one announcement (from the station's channel, the floor or routing: the
        backend does not say which, the keys do)."""
        keys = set(event)
        table = event.get("table")
        if keys & TICKET_KEYS:
            for key in keys & TICKET_KEYS:
                if type(event[key]) is int:
                    self.ticket_ids.add(event[key])
                else:
                    self.all_tickets = True
            self.recent |= bool(keys & {"bumped", "recalled"})
        elif "routing" in keys:
            self.routing = self.all_held = True
        elif keys == {"table"} and type(table) is int:
            self.tables.add(table)
        elif not keys <= {"alert", "alerts"}:
            # A floor redrawn, tables renamed, anything new: read every held line again.
            # (Alerts, raised or cleared, are for expo and the floor: nothing to redraw here.)
            self.all_held = True

    @property
    def tickets(self) -> bool:
        return self.all_tickets or bool(self.ticket_ids)

    def __bool__(self) -> bool:
        return self.tickets or self.recent or self.all_held or self.routing or bool(self.tables)


def card_key(t: views.TicketView) -> CardKey:
    """Everything a card shows: the same key, the same html."""
    return (
        t.seq,
        t.kind,
        t.check_number,
        t.table_name,
        t.server_name,
        t.fired_at,
        t.allergies,
        t.allergy_acked_at,
        tuple(t.items),
    )


class StationBoard:
    def __init__(self, engine: TemplateEngineProtocol[Any, Any], station: Station) -> None:
        self.engine = engine
        self.station = station
        self.tickets: list[views.TicketView] = []
        #: ticket id -> (key, seq, card html) as the screens show it.
        self.cards: dict[int, tuple[CardKey, int, str]] = {}
        #: panel id -> html as the screens show it.
        self.panels: dict[str, str] = {}
        #: held lines of open checks, by table (None: counter checks).
        self.held: dict[int | None, list[views.HeldRow]] = {}
        self.routing: RoutingMap | None = None
        #: Sequence numbers already acknowledged (the screens need not tell the database).
        self.acknowledged: set[int] = set()

    def _render(self, template: str, **context: Any) -> str:
        return str(self.engine.get_template(template).render(station=self.station, **context))

    def _card(self, ticket: views.TicketView, oob: bool = False) -> str:
        return self._render("kds/_ticket.html", ticket=ticket, oob=oob)

    def snapshot(self) -> str:
        listing = self._render("kds/_tickets.html", tickets=self.tickets, oob=True)
        return listing + "".join(self.panels.values())

    async def refresh_tickets(self, session: AsyncSession, nudges: Nudges) -> str:
        """Read the tickets the nudges name (all of them when asked): the cards that changed,
        for every screen ("" if none did)."""
        if not nudges.tickets:
            return ""
        station_id = self.station.id
        if not nudges.all_tickets:
            named = await load_tickets(
                session, (Ticket.id.in_(nudges.ticket_ids)) & (Ticket.station_id == station_id)
            )
            # A void ticket strikes lines on the station's other tickets: read them all.
            nudges.all_tickets = any(t.kind == "void" for t in named)
        if nudges.all_tickets:
            tickets = await load_tickets(
                session, (Ticket.station_id == station_id) & Ticket.bumped_at.is_(None)
            )
        else:
            by_id = {t.id: t for t in self.tickets}
            for i in nudges.ticket_ids:
                by_id.pop(i, None)  # bumped, or gone: unless read again just now
            by_id.update((t.id, t) for t in named if t.bumped_at is None)
            tickets = sorted(by_id.values(), key=lambda t: t.seq)
        self.acknowledged.update(t.seq for t in tickets if t.acknowledged_at is not None)
        return "".join(self._reconcile(tickets))

    async def refresh_panels(self, session: AsyncSession, nudges: Nudges) -> str:
        """The side panels the nudges can have changed, redrawn where they did."""
        station = self.station
        panels: dict[str, str] = {}
        if nudges.tickets or "all-day" not in self.panels:
            panels["all-day"] = self._render(
                "kds/_all_day.html",
                tickets=self.tickets,
                all_day=views.all_day(self.tickets),
                oob=True,
            )
        if nudges.recent or "recent" not in self.panels:
            recent = await views.recently_bumped(session, station.id)
            panels["recent"] = self._render("kds/_recent.html", recent=recent, oob=True)
        if nudges.routing or self.routing is None:
            self.routing = await routing_map(session)
        held_changed = nudges.routing
        if nudges.all_held:
            held: dict[int | None, list[views.HeldRow]] = {}
            for row in await views.held_lines(session, station.location_id):
                held.setdefault(row.table_id, []).append(row)
            held_changed |= held != self.held
            self.held = held
        elif nudges.tables:
            fresh = await views.held_lines(session, station.location_id, nudges.tables)
            for table in nudges.tables:
                rows = [r for r in fresh if r.table_id == table]
                held_changed |= rows != self.held.get(table, [])
                if rows:
                    self.held[table] = rows
                else:
                    self.held.pop(table, None)
        if held_changed or "pending" not in self.panels:
            pending = views.pending_from(self._all_held(), self.routing, station.id)
            panels["pending"] = self._render("kds/_pending.html", pending=pending, oob=True)
        out = [html for key, html in panels.items() if self.panels.get(key) != html]
        self.panels.update(panels)
        return "".join(out)

    def _all_held(self) -> Iterable[views.HeldRow]:
        return (row for rows in self.held.values() for row in rows)

    def _reconcile(self, tickets: list[views.TicketView]) -> list[str]:
        fresh: dict[int, tuple[CardKey, int, str]] = {}
        changed: list[int] = []
        for t in tickets:
            key = card_key(t)
            shown = self.cards.get(t.id)
            if shown is not None and shown[0] == key:
                fresh[t.id] = shown
            else:
                fresh[t.id] = (key, t.seq, self._card(t))
                if shown is not None:
                    changed.append(t.id)
        by_id = {t.id: t for t in tickets}
        self.tickets = tickets
        kept = [i for i in self.cards if i in fresh]
        new = sorted((i for i in fresh if i not in self.cards), key=lambda i: fresh[i][1])
        newest_kept = max((self.cards[i][1] for i in kept), default=0)
        gone = [i for i in self.cards if i not in fresh]
        self.cards = fresh
        if new and fresh[new[0]][1] < newest_kept:
            # A recalled ticket goes back in its place by number: redraw the whole list.
            return [self._render("kds/_tickets.html", tickets=tickets, oob=True)]
        out = [f'<div id="ticket-{int(i)}" hx-swap-oob="delete"></div>' for i in gone]
        out += [self._card(by_id[i], oob=True) for i in changed]
        if new:
            cards = "".join(fresh[i][2] for i in new)
            out.append(f'<div id="tickets" hx-swap-oob="beforeend">{cards}</div>')
        return out
