from hypothesis import given
from hypothesis import strategies as st

from corredor.core.registry import case_status
from corredor.core.registry.vocab import CaseStatus


def test_every_status_has_a_row_in_the_transition_table():
    assert set(case_status.TRANSITIONS) == set(CaseStatus)


def test_every_status_can_reach_closed():
    for start in CaseStatus:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in case_status.allowed_next(frontier.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert CaseStatus.CLOSED in seen, start


@given(st.sampled_from(list(CaseStatus)), st.sampled_from(list(CaseStatus)))
def test_can_transition_agrees_with_the_table(a, b):
    assert case_status.can_transition(a, b) == (b in case_status.TRANSITIONS[a])


def test_no_status_transitions_to_itself():
    assert all(s not in case_status.allowed_next(s) for s in CaseStatus)
