import datetime as dt

import pytest

from corredor.audit.models import AuditEvent
from corredor.platform.authz import Role
from corredor.platform.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    StaleEditError,
    ValidationFailedError,
)
from corredor.registry import selectors, services
from corredor.registry.models import Case, CaseEvent, Person

pytestmark = pytest.mark.django_db


def test_register_person_writes_record_documents_contacts_and_masked_audit(intake, registered):
    person = registered()
    assert person.full_name == "María José Núñez Castañeda"
    assert person.documents.get().number_folded == "0801199012345"
    assert person.contacts.get().value_folded == "50499123456"
    event = AuditEvent.objects.get(action="person.registered", object_id=str(person.pk))
    assert event.actor == intake and event.person_id == person.pk
    assert event.changes["given_names"] == {"old": None, "new": "•••"}
    assert event.changes["nationality"] == {"old": None, "new": "HN"}
    assert "Núñez" not in str(event.changes)


def test_stated_age_gives_estimated_date_of_birth(registered):
    person = registered(date_of_birth=None, dob_precision="", stated_age=34)
    assert person.dob_precision == "estimated"
    assert 33 <= (dt.date.today() - person.date_of_birth).days // 365 <= 34


def test_invalid_person_lists_every_bad_field_and_writes_nothing(intake, person_data):
    before = Person.objects.count()
    with pytest.raises(ValidationFailedError) as exc:
        services.person_register(actor=intake, data=person_data(
            given_names="<b>x</b>", nationality="ZZ", date_of_birth=dt.date(2999, 1, 1), sex="robot",
            origin_subdivision="GT-01"))
    errors = exc.value.errors
    assert {"given_names", "nationality", "date_of_birth", "sex", "origin_subdivision"} <= set(errors)
    assert Person.objects.count() == before
    assert not AuditEvent.objects.filter(action="person.registered").exists()


def test_a_role_without_the_permission_cannot_register(make_user, person_data):
    analyst = make_user(Role.ANALYST)
    with pytest.raises(PermissionDeniedError):
        services.person_register(actor=analyst, data=person_data())


def test_update_with_stale_version_is_refused_with_what_changed(intake, registered, person_data, make_user):
    person = registered()
    other = make_user(Role.CASE_MANAGER, "UNHCR", username="cm-other")
    services.person_update(actor=other, person=person, data=person_data(origin_municipality="Choloma"),
                           expected_version=1)
    with pytest.raises(StaleEditError) as exc:
        services.person_update(actor=intake, person=person, data=person_data(given_names="María"),
                               expected_version=1)
    assert exc.value.details["changed_fields"] == ["origin_municipality"]
    assert exc.value.details["changed_by"] == ["cm-other"]
    person.refresh_from_db()
    assert person.given_names == "María José" and person.version == 2


def test_case_lifecycle_follows_the_transition_table(intake, registered):
    person = registered()
    case = services.case_open(actor=intake, kind="asylum_at_port", person=person)
    assert case.reference == f"CR-{case.opened_on.year}-{case.pk:06d}"
    case = services.case_transition(actor=intake, case=case, target="waiting", expected_version=1)
    with pytest.raises(InvalidTransitionError) as exc:
        services.case_transition(actor=intake, case=case, target="protection_granted", expected_version=2)
    assert "allowed next" in exc.value.message
    case = services.case_transition(actor=intake, case=case, target="closed", expected_version=2, reason="left")
    assert case.closed_on == dt.date.today()
    with pytest.raises(ValidationFailedError):
        services.case_transition(actor=intake, case=case, target="registered", expected_version=3)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["opened", "status_changed", "status_changed"]
    assert "from waiting to closed" in CaseEvent.objects.filter(case=case).last().summary


def test_family_flags_and_case_expedite_from_assessment(intake, registered):
    aunt = registered(given_names="Rosa", date_of_birth=dt.date(1985, 1, 1))
    child = registered(given_names="Kevin", date_of_birth=dt.date(2014, 3, 3), documents=[], contacts=[])
    family = services.family_create(actor=intake, contact=aunt,
                                    members=[services.MemberData(child, "other_relative")])
    case = services.case_open(actor=intake, kind="asylum_at_port", family=family)
    from corredor.registry.presenters import family_members

    statuses = {m["person_id"]: m["child_status"] for m in family_members(family)}
    assert statuses[child.pk] == "separated"
    services.vulnerability_assess(actor=intake, person=child, conditions=["separated_child"])
    case.refresh_from_db()
    assert case.expedite and "separated child" in case.expedite_reason
    assert case.events.filter(kind="assessment").count() == 1


def test_family_rejects_duplicate_member_and_second_self(intake, registered):
    a, b = registered(given_names="Ana"), registered(given_names="Beto")
    with pytest.raises(ValidationFailedError):
        services.family_create(actor=intake, contact=a, members=[services.MemberData(a, "child")])
    with pytest.raises(ValidationFailedError):
        services.family_create(actor=intake, contact=a, members=[services.MemberData(b, "self")])


def test_share_needs_consent_and_makes_case_visible_to_the_other_organisation(intake, registered, make_user, org):
    person = registered()
    case = services.case_open(actor=intake, kind="asylum_at_port", person=person)
    lawyer = make_user(Role.LEGAL_PROVIDER, "KIND")
    assert not selectors.case_list_visible_to(user=lawyer).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDeniedError):
        services.case_share(actor=intake, case=case, organisation=org("KIND"), consent_given_by="x", purpose="y")
    coordinator = make_user(Role.COORDINATOR, "UNHCR")
    with pytest.raises(ValidationFailedError):
        services.case_share(actor=coordinator, case=case, organisation=org("KIND"), consent_given_by="",
                            purpose="legal orientation")
    services.case_share(actor=coordinator, case=case, organisation=org("KIND"),
                        consent_given_by="the person, verbally", purpose="legal orientation")
    assert selectors.case_list_visible_to(user=lawyer).filter(pk=case.pk).exists()
    assert selectors.person_list_visible_to(user=lawyer).filter(pk=person.pk).exists()


def test_sensitive_details_need_their_own_permission_and_each_view_is_audited(intake, registered, make_user):
    person = registered()
    services.sensitive_detail_record(actor=intake, person=person, kind="protection_narrative",
                                     text_value="Threatened by MS-13 after refusing to pay extortion.")
    with pytest.raises(PermissionDeniedError):
        services.sensitive_detail_record(actor=intake, person=person, kind="health", text_value="x")
    details = services.sensitive_details_reveal(actor=intake, person=person, reason="interview preparation")
    assert [d.kind for d in details] == ["protection_narrative"]
    viewed = AuditEvent.objects.get(action="sensitive.viewed")
    assert viewed.reason == "interview preparation" and viewed.person_id == person.pk
    reception = make_user(Role.RECEPTION_STAFF, "UNHCR")
    with pytest.raises(PermissionDeniedError):
        services.sensitive_details_reveal(actor=reception, person=person)
    recorded = AuditEvent.objects.get(action="sensitive.recorded")
    assert "MS-13" not in str(recorded.changes)


def test_search_is_accent_and_case_insensitive_and_finds_documents_and_phones(intake, registered):
    person = registered()
    for query in ("maria jose nunez", "NÚÑEZ castañeda", "0801199012345", "0801-1990-12345", "9912 3456",
                  person.reference):
        assert person in selectors.registry_search(user=intake, query=query).people, query
    assert selectors.registry_search(user=intake, query="Pérez").people == []


def test_aggregates_suppress_small_cells(intake, registered, make_user):
    for i in range(6):
        services.case_open(actor=intake, kind="mpp_backlog", person=registered(given_names=f"Ana{'x' * i}"))
    services.case_open(actor=intake, kind="metering_backlog", person=registered(given_names="Luis"))
    analyst = make_user(Role.ANALYST)
    rows = {r.key: r.count for r in selectors.case_aggregates(user=analyst, by="kind")}
    assert rows == {"mpp_backlog": 6, "metering_backlog": None}
    with pytest.raises(PermissionDeniedError):
        selectors.case_list_visible_to(user=analyst)


def test_site_scoped_role_sees_only_cases_at_its_site(intake, registered, make_user, org):
    from corredor.reference.models import Place

    here = services.case_open(actor=intake, kind="asylum_at_port", person=registered(given_names="Aqui"),
                              site=Place.objects.get(code="mx-tijuana"))
    there = services.case_open(actor=intake, kind="asylum_at_port", person=registered(given_names="Alla"),
                               site=Place.objects.get(code="mx-reynosa"))
    scoped = make_user(Role.PORT_OFFICER, "UNHCR", site="mx-tijuana")
    visible = set(selectors.case_list_visible_to(user=scoped).values_list("pk", flat=True))
    assert here.pk in visible and there.pk not in visible


def test_expired_role_grants_nothing(make_user, registered, intake):
    import time_machine

    from corredor.accounts import services as account_services
    from corredor.accounts.models import Organisation, User

    user = account_services.user_create(actor=None, username="temp", password="x" * 20,
                                        organisation=Organisation.objects.get(code="UNHCR"), validate=False)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    account_services.role_assign(actor=None, user=user, role=Role.INTAKE_WORKER,
                                 organisation=user.organisation, expires_at=soon)
    assert selectors.case_list_visible_to(user=User.objects.get(pk=user.pk)) is not None
    with time_machine.travel(soon + dt.timedelta(minutes=1)):
        with pytest.raises(PermissionDeniedError):
            selectors.case_list_visible_to(user=User.objects.get(pk=user.pk))


def test_case_counts_in_the_database_match_one_case_per_open(intake, registered):
    n = Case.objects.count()
    services.case_open(actor=intake, kind="asylum_at_port", person=registered())
    assert Case.objects.count() == n + 1
