"""Which version of the location's row a server process is running on.

Several server processes share one PostgreSQL, and each keeps the location in memory
(``app.state.location``): tax mode, training mode (which decides whether a card goes to the
simulator), tips, the service charge. Each request reads this stamp and, when it moved, the
process reloads the row before the request goes on (``app.platform.location``).

The stamp is the row's ``xmin``: PostgreSQL gives every new version of a row the id of the
transaction that wrote it, so *any* committed change shows — the settings page, the API,
``brigade`` on the console, an UPDATE typed by hand — with no column to keep up to date, no
migration, and nothing for a writer to forget. It is only ever compared for equality (two
versions of the row written by one transaction id would need four billion transactions in
between, with this process never reloading). Freezing by VACUUM keeps the raw ``xmin``.

Why a stamp per request rather than an announcement on a channel: an announcement arrives a
little after the commit, is lost when Redis restarts (a process would then take cards on the
simulator until restarted), and needs Redis for several processes at all. The stamp is read
in the statement that already looks up the request's session (``app.platform.auth``), so it
costs no extra round trip, and a request that starts after the commit always sees it.
"""

from __future__ import annotations

from sqlalchemy import ColumnClause, literal_column, select

from app.platform.models import Location

#: The stamp as text: ``xid`` has no comparison operators worth relying on, its text does.
STAMP_COLUMN: ColumnClause[str] = literal_column("location.xmin::text")
#: The first location's stamp (the one ``load_location`` serves), as a scalar subquery.
STAMP = select(STAMP_COLUMN).select_from(Location).order_by(Location.id).limit(1)
#: Where PrincipalMiddleware leaves the stamp it read with the session, for FollowLocation.
SCOPE_KEY = "brigade_location_stamp"
