"""Every write, whatever the door, leaves exactly one audit event of the right type with the right diff."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection, connections, transaction

from corredor.accounts import services as account_services
from corredor.audit import context
from corredor.audit.models import AppendOnlyError, AuditEvent
from corredor.platform.authz import Role
from corredor.registry import services

pytestmark = pytest.mark.django_db


class Tracker:
    def __init__(self) -> None:
        self.start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(id__gt=self.start).order_by("id"))

    def one(self, action: str) -> AuditEvent:
        events = self.new()
        assert [e.action for e in events] == [action], [e.action for e in events]
        return events[0]


def test_every_registry_service_writes_exactly_one_event(intake, registered, make_user, org):
    t = Tracker()
    person = registered()
    e = t.one("person.registered")
    assert e.actor == intake and e.organisation.code == "UNHCR" and e.person_id == person.pk
    assert e.changes["documents"]["new"][0]["number"] == "•••"
    assert e.changes["contacts"]["new"][0]["value"] == "•••"

    t = Tracker()
    services.person_update(actor=intake, person=person, data=services.PersonData(
        given_names="María José", first_surname="Núñez", second_surname="Castañeda", sex="female",
        date_of_birth=dt.date(1990, 5, 17), dob_precision="exact", nationality="HN", origin_country="HN",
        origin_subdivision="HN-CR", origin_municipality="Choloma", languages=["spa", "cab"],
        current_place="mx-tijuana"), expected_version=1, reason="moved")
    e = t.one("person.updated")
    assert e.changes == {"languages": {"old": ["spa"], "new": ["spa", "cab"]},
                         "origin_municipality": {"old": "•••", "new": "•••"},
                         "version": {"old": 1, "new": 2}}
    assert e.reason == "moved"

    child = registered(given_names="Kevin", documents=[], contacts=[], date_of_birth=dt.date(2016, 1, 1))
    t = Tracker()
    family = services.family_create(actor=intake, contact=person, members=[services.MemberData(child, "child")])
    assert t.one("family.created").changes["members"]["new"] == [{"person": child.pk, "relationship": "child"}]

    sibling = registered(given_names="Brenda", documents=[], contacts=[], date_of_birth=dt.date(2018, 1, 1))
    t = Tracker()
    services.family_member_add(actor=intake, family=family, member=services.MemberData(sibling, "child"),
                               expected_version=1)
    assert t.one("family.member_added").changes["version"] == {"old": 1, "new": 2}

    t = Tracker()
    case = services.case_open(actor=intake, kind="asylum_at_port", family=family)
    e = t.one("case.opened")
    assert e.changes["kind"] == {"old": None, "new": "asylum_at_port"} and e.object_id == str(case.pk)

    t = Tracker()
    case = services.case_transition(actor=intake, case=case, target="waiting", expected_version=1, reason="ready")
    assert t.one("case.transitioned").changes == {"status": {"old": "registered", "new": "waiting"},
                                                  "version": {"old": 1, "new": 2}}
    t = Tracker()
    services.case_note_add(actor=intake, case=case, note="Family asked about school for Kevin.")
    assert t.one("case.note_added").changes == {"note": {"old": None, "new": "•••"}}

    t = Tracker()
    coordinator = make_user(Role.COORDINATOR)
    t = Tracker()
    services.case_share(actor=coordinator, case=case, organisation=org("KIND"),
                        consent_given_by="Rosa, verbally", purpose="legal orientation")
    e = t.one("case.shared")
    assert e.changes["shared_with"]["new"] == "KIND" and e.changes["consent_given_by"]["new"] == "•••"

    t = Tracker()
    manager = make_user(Role.CASE_MANAGER)
    t = Tracker()
    services.case_update(actor=manager, case=case, expected_version=case.version, assigned_worker=None,
                         site=None, reason="")  # no change: no event
    assert t.new() == []

    t = Tracker()
    services.vulnerability_assess(actor=intake, person=child, conditions=["disability", "elderly"])
    assert t.one("vulnerability.assessed").changes["expedite"] == {"old": None, "new": True}

    t = Tracker()
    services.sensitive_detail_record(actor=intake, person=person, kind="gbv", text_value="secret account")
    e = t.one("sensitive.recorded")
    assert "secret" not in json.dumps(e.changes)

    t = Tracker()
    services.sensitive_details_reveal(actor=intake, person=person, reason="hearing")
    assert t.one("sensitive.viewed").reason == "hearing"


def test_account_services_write_exactly_one_event(org, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    t = Tracker()
    user = account_services.user_create(actor=admin, username="nuevo", password="a-long-password-123",
                                        organisation=org("IOM"))
    e = t.one("user.created")
    assert e.actor == admin and e.changes["username"]["new"] == "nuevo"
    t = Tracker()
    assignment = account_services.role_assign(actor=admin, user=user, role=Role.HEALTH_SCREENER,
                                              organisation=org("IOM"))
    assert t.one("role.assigned").changes["role"]["new"] == "health_screener"
    t = Tracker()
    account_services.role_revoke(actor=admin, assignment=assignment, reason="left the organisation")
    assert t.one("role.revoked").reason == "left the organisation"
    t = Tracker()
    token, raw = account_services.api_token_issue(actor=admin, user=user, name="clinic", scopes=["person.view"])
    e = t.one("token.issued")
    assert raw not in json.dumps(e.changes) and token.key_hash not in json.dumps(e.changes)
    t = Tracker()
    account_services.api_token_revoke(actor=admin, token=token)
    t.one("token.revoked")


def test_channel_and_request_id_are_recorded(intake, login, person_data):
    client = login(intake)
    t = Tracker()
    response = client.post("/api/people", data=json.dumps({"given_names": "Ana"}), content_type="application/json",
                           HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 201 and response["X-Request-ID"] == "req-12345678"
    e = t.one("person.registered")
    assert (e.channel, e.request_id) == ("api", "req-12345678")

    t = Tracker()
    client.post("/registry/people/new/", {"given_names": "Beatriz", "sex": "female"})
    assert t.one("person.registered").channel == "web"

    t = Tracker()
    with context.bind(channel=context.Channel.CLI):
        services.person_register(actor=intake, data=person_data(given_names="Carmen"))
    assert t.one("person.registered").channel == "cli"


def test_admin_writes_are_audited(make_user, login):
    from corredor.reference.models import Place

    admin = make_user(Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    client = login(admin)
    place = Place.objects.get(code="poe-calexico")
    t = Tracker()
    response = client.post(f"/admin/reference/place/{place.pk}/change/", {
        "code": place.code, "kind": place.kind, "name": place.name, "country": place.country_id,
        "subdivision_code": place.subdivision_code, "latitude": place.latitude, "longitude": place.longitude,
        "time_zone": place.time_zone, "paired_with": place.paired_with_id or "", "daily_capacity": 200,
        "note": place.note})
    assert response.status_code == 302, response.content[:500]
    e = t.one("admin.changed")
    assert e.changes == {"daily_capacity": {"old": 180, "new": 200}} and e.channel == "admin"


def test_import_writes_one_event_per_record_and_one_for_the_run(intake, login):
    client = login(intake)
    t = Tracker()
    csv_file = io.BytesIO(b"household_id,relationship,given_names,nationality\nH,self,Ana,GT\nH,child,Eva,GT\n")
    csv_file.name = "l.csv"
    assert client.post("/api/imports/people", {"file": csv_file, "mode": "all_or_nothing"}).status_code == 200
    actions = [e.action for e in t.new()]
    assert sorted(actions) == ["case.opened", "family.created", "import.run", "person.registered",
                               "person.registered"]
    assert {e.channel for e in t.new()} == {"import"}


def test_the_trail_is_append_only(intake, registered):
    registered()
    event = AuditEvent.objects.first()
    with pytest.raises(AppendOnlyError):
        event.reason = "tampered"
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database-level enforcement is PostgreSQL's")
def test_the_database_refuses_changes_to_the_trail(intake, registered):
    from django.db.utils import DatabaseError

    registered()
    event_id = AuditEvent.objects.first().pk
    for sql in ("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event_id])


def test_audit_record_refuses_to_run_outside_a_transaction(monkeypatch):
    from corredor.audit import services as audit
    from corredor.audit.events import AuditAction

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # as outside any transaction
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action=AuditAction.IMPORT_RUN, object_type="x", object_id="1")
