"""Printers and print jobs. A job is a row: queued, printing, printed or failed.

No reply from a printer is never "printed": a job leaves `printing` only on a confirmed
write (or an agent's acknowledgement), else it is retried, moved to the backup, or failed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

PRINTER_KINDS = ("network", "agent", "usb", "serial", "file")
JOB_STATES = ("queued", "printing", "printed", "failed")


class Printer(Base):
    __tablename__ = "printer"
    __table_args__ = (CheckConstraint(f"kind IN {PRINTER_KINDS!r}", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    #: network: the server prints to host:port itself; agent: a print agent on the LAN does.
    kind: Mapped[str] = mapped_column(String(10), default="network")
    #: "192.168.1.50:9100" for network; a device path for usb/serial; a path for file.
    address: Mapped[str] = mapped_column(String(200), default="")
    #: The print agent (a device) that reaches this printer, for kind "agent".
    agent_device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    #: Characters per line at normal size (42 for 80 mm paper, 32 for 58 mm).
    columns: Mapped[int] = mapped_column(default=42, server_default="42")
    #: Prints guest checks and receipts, and has the cash drawer on its kick port.
    prints_receipts: Mapped[bool] = mapped_column(default=False, server_default="false")
    #: Last problem seen (off, paper out): shown to staff until a job prints again.
    trouble: Mapped[str | None] = mapped_column(Text)
    trouble_since: Mapped[datetime | None]


class PrintJob(Base):
    __tablename__ = "print_job"
    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATES!r}", name="status"),
        # Workers claim the oldest due job with FOR UPDATE SKIP LOCKED.
        Index(
            "ix_print_job_due",
            "status",
            "next_attempt_at",
            postgresql_where=text("status = 'queued'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printer.id"))
    #: The printer it was meant for, when it was moved to a backup ("BACKUP FROM ...").
    original_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printer.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("kitchen_ticket.id"))
    #: ticket, void, reprint, receipt
    kind: Mapped[str] = mapped_column(String(10))
    #: The ESC/POS bytes to send (rendered once, so a retry prints exactly the same).
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = created_at_column()
    claimed_at: Mapped[datetime | None]
    printed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
