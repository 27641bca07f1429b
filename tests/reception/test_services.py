"""Custody from arrival to exit: populations, impossible timelines, clocks across transfers, ORR placement,
isolation, release to case management, breaches with reasons, alerts and the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import translation

from corredor.audit.models import AuditEvent
from corredor.core.custody.clocks import Level
from corredor.platform.authz import Role
from corredor.platform.errors import DuplicateError, PermissionDeniedError, ValidationFailedError
from corredor.reception import selectors, services
from corredor.reception.errors import CustodyStateError, ReleaseBlockedError
from corredor.reception.models import Alert, Breach, Custody, OutboxMessage, Stay

from .conftest import members

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
SENT: list[str] = []


def record_sent(message) -> None:
    """A delivery adapter for the tests: remembers what it was asked to send."""
    SENT.append(message.address)


def admit(staff, case, facility, at, now):
    return services.custody_admit(actor=staff, case=case, persons=members(case), facility=facility, arrived_at=at,
                                  now=now)


def test_arrival_classifies_the_family_and_the_child_and_moves_the_case(staff, facilities, family_case, child_case,
                                                                        now):
    family = family_case()
    mother, son = admit(staff, family, facilities["port"], now - 2 * H, now)
    assert (mother.population, son.population) == ("families", "families")
    family.refresh_from_db()
    assert family.status == "in_custody" and family.events.last().kind == "custody"
    (boy,) = admit(staff, child_case(), facilities["port"], now - H, now)
    assert boy.population == "uc_boys_13_17"
    event = AuditEvent.objects.filter(action="custody.admitted").order_by("id").last()
    assert event.person_id == boy.person_id and event.changes["population"]["new"] == "uc_boys_13_17"


def test_impossible_arrivals_are_refused_whole(staff, facilities, family_case, child_case, now):
    family = family_case()
    with pytest.raises(ValidationFailedError, match="in the future"):
        admit(staff, family, facilities["port"], now + 3 * H, now)
    with pytest.raises(ValidationFailedError, match="people enter custody at a port"):
        admit(staff, family, facilities["ngo"], now, now)
    with pytest.raises(ValidationFailedError, match="Only members of case"):
        services.custody_admit(actor=staff, case=family, persons=members(child_case()), facility=facilities["port"],
                               arrived_at=now, now=now)
    admit(staff, family, facilities["port"], now - 5 * H, now)
    with pytest.raises(ValidationFailedError, match="Already in custody"):
        admit(staff, family, facilities["jpc"], now - H, now)
    assert Custody.objects.count() == 2 and Stay.objects.count() == 2  # nothing half-written


def test_transfers_keep_the_clock_and_refuse_impossible_times(staff, facilities, family_case, now):
    custodies = admit(staff, family_case(), facilities["port"], now - 50 * H, now)
    with pytest.raises(ValidationFailedError, match="before the arrival"):
        services.custody_transfer(actor=staff, custodies=custodies, to_facility=facilities["jpc"],
                                  departed_at=now - 60 * H, arrived_at=now - 59 * H, now=now)
    with pytest.raises(ValidationFailedError, match="ORR placement"):
        services.custody_transfer(actor=staff, custodies=custodies, to_facility=facilities["orr"],
                                  departed_at=now - 40 * H, now=now)
    services.custody_transfer(actor=staff, custodies=custodies, to_facility=facilities["jpc"],
                              departed_at=now - 40 * H, now=now)
    moved = Custody.objects.get(pk=custodies[0].pk)
    assert moved.in_transit and moved.current_facility == facilities["jpc"]
    services.custody_transfer_arrive(actor=staff, custodies=[moved], arrived_at=now - 39 * H, now=now)
    moved.refresh_from_db()
    (clock,) = [c for c in selectors.clocks_for(moved, now=now) if c.rule.id == "family-reception"]
    assert clock.elapsed == 50 * H and clock.level is Level.WARNING  # counted from the port, across the transfer
    teds = next(c for c in selectors.clocks_for(moved, now=now) if c.rule.id == "cbp-teds")
    assert not teds.running and teds.elapsed == 11 * H  # the CBP clock stopped on arrival at the JPC


def test_orr_placement_flow_stops_the_child_clock(staff, facilities, child_case, make_user, now):
    orr = make_user(Role.ORR_CASEWORKER, "ORR", username="orr-1")
    other_orr = make_user(Role.ORR_CASEWORKER, "UNICEF", username="orr-elsewhere")
    (boy,) = admit(staff, child_case(), facilities["port"], now - 30 * H, now)
    services.custody_transfer(actor=staff, custodies=[boy], to_facility=facilities["jpc"], departed_at=now - 29 * H,
                              arrived_at=now - 28 * H, now=now)
    referral = services.orr_referral_request(actor=staff, custody=Custody.objects.get(pk=boy.pk))
    with pytest.raises(DuplicateError):
        services.orr_referral_request(actor=staff, custody=Custody.objects.get(pk=boy.pk))
    assert list(selectors.referrals_visible_to(user=other_orr)) == []
    with pytest.raises(PermissionDeniedError):
        services.orr_referral_decide(actor=other_orr, referral=referral, accept=False, decline_reason="other")
    declined = services.orr_referral_decide(actor=orr, referral=referral, accept=False, decline_reason="no_bed_age",
                                            note="full this week")
    assert declined.status == "not_accepted"
    with translation.override("en"):
        _facility, rows = selectors.board(user=staff, facility_code="jpc-test", now=now)
    assert any("did not accept" in b for b in rows[0].blockers)
    again = services.orr_referral_request(actor=staff, custody=Custody.objects.get(pk=boy.pk))
    accepted = services.orr_referral_decide(actor=orr, referral=again, accept=True, shelter=facilities["orr"])
    placed = services.orr_placement_complete(actor=orr, referral=accepted, departed_at=now - 3 * H,
                                             arrived_at=now - H, now=now)
    child = Custody.objects.get(pk=boy.pk)
    assert placed.status == "placed" and child.current_facility == facilities["orr"] and child.ended_at is None
    uc = next(c for c in selectors.clocks_for(child, now=now) if c.rule.id == "uc-orr-placement")
    assert not uc.running and uc.level is Level.MET and uc.elapsed == 29 * H
    assert "ORR" in child.case.events.last().summary


def test_orr_acceptance_needs_a_free_bed(staff, facilities, child_case, make_user, now):
    orr = make_user(Role.ORR_CASEWORKER, "ORR", username="orr-2")
    first, second = (admit(staff, child_case(), facilities["jpc"], now - H, now)[0] for _ in range(2))
    r1 = services.orr_referral_request(actor=staff, custody=first)
    services.orr_referral_decide(actor=orr, referral=r1, accept=True, shelter=facilities["orr"])
    r2 = services.orr_referral_request(actor=staff, custody=second)
    with pytest.raises(ValidationFailedError, match="no free bed"):
        services.orr_referral_decide(actor=orr, referral=r2, accept=True, shelter=facilities["orr"])


def test_release_is_refused_in_isolation_and_for_a_child_then_goes_to_case_management(
        staff, facilities, family_case, child_case, make_user, org, now):
    health = make_user(Role.HEALTH_SCREENER, "IOM", username="nurse")
    family = family_case()
    custodies = admit(staff, family, facilities["jpc"], now - 20 * H, now)
    with pytest.raises(PermissionDeniedError):  # reception staff do not record health data
        services.screening_record(actor=staff, custody=custodies[0], kind="health", occurred_at=now - H,
                                  test_result="positive", now=now)
    services.screening_record(actor=health, custody=custodies[1], kind="health", occurred_at=now - 10 * H,
                              test_result="positive", findings="fever, cough", isolation_until=now + 48 * H, now=now)
    event = AuditEvent.objects.filter(action="reception.screening_recorded").order_by("id").last()
    assert event.changes["findings"]["new"] == "•••" and "fever" not in family.events.last().summary
    with pytest.raises(ReleaseBlockedError, match="isolation until"):
        services.custody_release(actor=staff, custodies=custodies, released_at=now, destination_city="Houston",
                                 now=now)
    with pytest.raises(ReleaseBlockedError):
        services.custody_transfer(actor=staff, custodies=custodies, to_facility=facilities["port"], departed_at=now,
                                  now=now)
    services.isolation_end(actor=health, custody=Custody.objects.get(pk=custodies[1].pk), at=now - H,
                           reason="negative retest")
    (boy,) = admit(staff, child_case(), facilities["jpc"], now - H, now)
    with pytest.raises(ReleaseBlockedError, match="ORR"):
        services.custody_release(actor=staff, custodies=[boy], released_at=now, destination_city="Houston", now=now)
    with pytest.raises(ValidationFailedError, match="provider"):
        services.custody_release(actor=staff, custodies=custodies, released_at=now, destination_city="Houston",
                                 programme="Family case management", now=now)
    releases = services.custody_release(
        actor=staff, custodies=custodies, released_at=now, destination_city="Houston", destination_region="TX",
        sponsor_name="Ana Núñez", sponsor_phone="+1 713 555 0101", documents_issued=["notice_to_appear"],
        programme="Family case management", provider=org("WRC"), now=now)
    family.refresh_from_db()
    assert family.status == "released" and len(releases) == 2
    assert releases[0].enrolment.programme == "Family case management"
    assert releases[0].enrolment.destination_city == "Houston"
    released = AuditEvent.objects.filter(action="custody.released").order_by("id").last()
    assert released.changes["sponsor_name"]["new"] == "•••" and released.changes["destination_city"]["new"] == "Houston"
    with pytest.raises(CustodyStateError, match="already ended"):
        services.custody_release(actor=staff, custodies=custodies, released_at=now, destination_city="X", now=now)


def test_breach_needs_a_breached_clock_and_a_reason_and_is_counted_once(staff, facilities, family_case, now):
    custodies = admit(staff, family_case(), facilities["jpc"], now - 40 * H, now)
    with pytest.raises(ValidationFailedError, match="not breached"):
        services.breach_record(actor=staff, custody=custodies[0], rule_id="family-reception", reason_code="sponsor",
                               reason="no sponsor", now=now)
    later = now + 40 * H
    with pytest.raises(ValidationFailedError, match="explanation is required"):
        services.breach_record(actor=staff, custody=custodies[0], rule_id="family-reception", reason_code="sponsor",
                               reason="  ", now=later)
    breach = services.breach_record(actor=staff, custody=custodies[0], rule_id="family-reception",
                                    reason_code="sponsor", reason="sponsor unreachable", now=later)
    assert breach.breached_at == now - 40 * H + 72 * H and breach.facility == facilities["jpc"]
    with pytest.raises(DuplicateError):
        services.breach_record(actor=staff, custody=custodies[0], rule_id="family-reception", reason_code="other",
                               reason="again", now=later)
    assert selectors.breach_counts(user=staff) == [("family-reception", "sponsor", 1)]


def test_sweep_raises_each_alert_once_and_the_outbox_delivers_through_the_adapter(staff, facilities, family_case,
                                                                                  child_case, now):
    staff.email = "supervisor@example.org"
    staff.save()
    admit(staff, child_case(), facilities["jpc"], now - 61 * H, now)  # escalated
    admit(staff, family_case(), facilities["jpc"], now - 10 * H, now)  # on time
    first = services.alerts_sweep(now=now)
    assert first["raised"] == 2  # the child's ORR clock: its warning and its escalation (CBP's clock never ran)
    assert Alert.objects.filter(level="escalation").count() >= 1
    assert services.alerts_sweep(now=now)["raised"] == 0  # once per clock and level
    queued = OutboxMessage.objects.all()
    assert queued and all(m.status == "pending" and "supervisor@example.org" == m.address for m in queued)
    assert all("Josué" not in m.body and "CR-" in m.body for m in queued)  # a case reference, never a name
    SENT.clear()
    with override_settings(CORREDOR_OUTBOX_ADAPTER="tests.reception.test_services.record_sent"):
        assert services.outbox_deliver() == len(queued)
    assert SENT == ["supervisor@example.org"] * len(queued)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    later = services.alerts_sweep(now=now + 12 * H)
    assert later["raised"] >= 1 and Alert.objects.filter(level="breach").exists()
    alert = Alert.objects.filter(level="breach").first()
    services.alert_acknowledge(actor=staff, alert=alert)
    assert Alert.objects.get(pk=alert.pk).acknowledged_by == staff


def test_scope_other_organisations_and_sites_see_nothing(staff, facilities, family_case, make_user, now):
    custodies = admit(staff, family_case(), facilities["jpc"], now - H, now)
    outsider = make_user(Role.RECEPTION_STAFF, "UNHCR", username="reception-unhcr")
    assert list(selectors.custody_list_visible_to(user=outsider)) == []
    with pytest.raises(PermissionDeniedError):
        services.custody_release(actor=outsider, custodies=custodies, released_at=now, destination_city="X", now=now)
    officer = make_user(Role.PORT_OFFICER, "CBP", site="poe-san-ysidro", username="officer-sy")
    assert list(selectors.custody_list_visible_to(user=officer)) == []  # the JPC is not their port
    partner = make_user(Role.LEGAL_PROVIDER, "KIND", username="kind-lawyer")  # KIND works inside the JPC
    assert {c.pk for c in selectors.custody_list_visible_to(user=partner)} == {c.pk for c in custodies}
    services.screening_record(actor=partner, custody=custodies[0], kind="legal_orientation", occurred_at=now,
                              provider=partner.organisation, now=now)
    assert Breach.objects.count() == 0


def test_rules_are_data_a_coordinator_file_replaces_the_defaults(staff, facilities, family_case, now, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("""
- id: family-24h
  applies_to: families
  counted_facility_kinds: [port, bp_station, jpc]
  warning_hours: 12
  escalation_hours: 18
  limit_hours: 24
  label: {en: Family out within 24 hours, es: Familia fuera en 24 horas}
  source: local policy (test)
""", encoding="utf-8")
    custodies = admit(staff, family_case(), facilities["jpc"], now - 30 * H, now)
    with override_settings(CORREDOR_CUSTODY_RULES=str(rules)):
        (clock,) = selectors.clocks_for(custodies[0], now=now)
        assert clock.rule.id == "family-24h" and clock.level is Level.BREACHED
    assert {c.rule.id for c in selectors.clocks_for(custodies[0], now=now)} == {"family-reception"}


def test_return_moves_the_case_and_another_exit_leaves_it_to_the_caseworker(staff, facilities, family_case,
                                                                             child_case, now):
    family = family_case()
    custodies = admit(staff, family, facilities["jpc"], now - 5 * H, now)
    with pytest.raises(ValidationFailedError, match="reason"):
        services.custody_exit(actor=staff, custodies=custodies, outcome="returned", at=now - H, reason=" ", now=now)
    services.custody_exit(actor=staff, custodies=custodies, outcome="returned", at=now - H, reason="asked to return",
                          now=now)
    family.refresh_from_db()
    assert family.status == "returned"
    case = child_case()
    (boy,) = admit(staff, case, facilities["jpc"], now - 5 * H, now)
    services.custody_exit(actor=staff, custodies=[boy], outcome="other", at=now - H, reason="taken to hospital",
                          now=now)
    case.refresh_from_db()
    assert case.status == "in_custody" and Custody.objects.get(pk=boy.pk).outcome == "other"
