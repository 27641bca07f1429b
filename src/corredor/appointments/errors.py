"""Stable error codes of orderly processing."""

from __future__ import annotations

from corredor.platform.errors import CorredorError


class CapacityFullError(CorredorError):
    """The port-day has fewer free seats than the party needs (also when two people race for the last ones)."""

    code = "capacity_full"
    status = 409


class RunConflictError(CorredorError):
    """Capacity or the waiting list changed after the preview; nothing was published."""

    code = "run_conflict"
    status = 409


class AppointmentStateError(CorredorError):
    code = "appointment_state"
    status = 409
