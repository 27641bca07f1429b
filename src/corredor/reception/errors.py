"""Stable error codes of reception and custody."""

from __future__ import annotations

from corredor.platform.errors import CorredorError


class CustodyStateError(CorredorError):
    """The custody record is not in a state that allows the action (already released, in transit...)."""

    code = "custody_state"
    status = 409


class ReleaseBlockedError(CorredorError):
    """Release or transfer refused while isolation or a clock rule forbids it."""

    code = "release_blocked"
    status = 409
