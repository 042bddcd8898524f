"""Errors a person can act on. Every message is written for the person at the tablet."""

from __future__ import annotations


class BrigadeError(Exception):
    """Base of every refusal Brigade explains to staff. ``status`` is the HTTP analogue."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(BrigadeError):
    """The request itself is wrong: a negative quantity, a missing modifier, a bad amount."""

    status = 422


class NotFound(BrigadeError):
    """The table, check or item named does not exist (or not at this location)."""

    status = 404


class Conflict(BrigadeError):
    """Someone else changed it first: a stale page, a table opened on another tablet."""

    status = 409


class Refused(BrigadeError):
    """The command is understood but not allowed now: a closed check, a locked PIN."""

    status = 403
