"""The case status machine: the one table of allowed transitions."""

from __future__ import annotations

from .vocab import CaseStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    # a case can reach custody without an appointment: arrival at a port without one, or an encounter
    S.REGISTERED: frozenset({S.WAITING, S.IN_CUSTODY, S.REFERRED, S.CLOSED}),
    S.WAITING: frozenset({S.SCHEDULED, S.IN_CUSTODY, S.REFERRED, S.CLOSED}),
    S.SCHEDULED: frozenset({S.WAITING, S.IN_CUSTODY, S.CLOSED}),
    S.IN_CUSTODY: frozenset({S.RELEASED, S.RETURNED, S.REFERRED}),
    S.RELEASED: frozenset({S.IN_PROCEEDINGS, S.CLOSED}),
    S.IN_PROCEEDINGS: frozenset({S.PROTECTION_GRANTED, S.PROTECTION_DENIED, S.CLOSED}),
    S.PROTECTION_GRANTED: frozenset({S.CLOSED}),
    S.PROTECTION_DENIED: frozenset({S.IN_PROCEEDINGS, S.RETURNED, S.CLOSED}),  # appeal reopens proceedings
    S.RETURNED: frozenset({S.REFERRED, S.CLOSED}),
    S.REFERRED: frozenset({S.WAITING, S.CLOSED}),
    S.CLOSED: frozenset({S.REGISTERED}),  # reopening starts the journey again, with a reason
}

TERMINAL = frozenset({S.CLOSED})


def allowed_next(status: S) -> frozenset[S]:
    """Statuses a case in `status` may move to."""
    return TRANSITIONS[status]


def can_transition(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]
