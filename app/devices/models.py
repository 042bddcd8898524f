"""A device waiting to be paired: it shows a code, a manager types it in the back office."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

DEVICE_KINDS = ("kds", "agent")


class DevicePairing(Base):
    """One code shown on one waiting kitchen screen or print agent.

    Neither the code nor the token is stored, only their sha256: the database holds
    nothing a thief could type or connect with. Rows are kept a day after they expire so a
    reused or expired code is answered with what happened to it, then deleted.
    """

    __tablename__ = "device_pairing"
    __table_args__ = (
        CheckConstraint(f"kind IN {DEVICE_KINDS!r}", name="kind"),
        # Counting codes still waiting (the caps in app/devices/pairing.py) reads this.
        Index(
            "ix_device_pairing_waiting",
            "location_id",
            "expires_at",
            postgresql_where=text("device_id IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    #: sha256 of the code as the manager types it, normalised (upper case, no dash).
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: sha256 of the token the waiting device was handed with its code: the device's token
    #: from the moment a manager confirms the code, worth nothing before.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: What is waiting: "kds" (a browser on /pair) or "agent" (brigade-print-agent --pair).
    kind: Mapped[str] = mapped_column(String(16))
    #: The address that asked, for the cap on codes waiting per address.
    client_ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime]
    #: The device it became, once a manager confirmed the code (then it is used up).
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    paired_at: Mapped[datetime | None]
