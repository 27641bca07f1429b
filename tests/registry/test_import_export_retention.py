import datetime as dt
import json

import pytest
import time_machine

from corredor.audit.models import AuditEvent
from corredor.platform.authz import Role
from corredor.registry import exports, imports, retention, services
from corredor.registry.models import (
    Case,
    CaseEvent,
    ContactChannel,
    Family,
    IdentityDocument,
    ImportedRecord,
    Person,
    SensitiveDetail,
)

pytestmark = pytest.mark.django_db

HEADER = "record_id,household_id,relationship,given_names,first_surname,second_surname,sex,date_of_birth,nationality,phone,registered_on,origin_subdivision\n"  # noqa: E501
GOOD = (
    "A1,H1,self,Rosa María,López,Hernández,female,1988-04-02,HN,+52 664 123 4567,2020-03-02,HN-CR\n"
    "A2,H1,child,Kevin,López,Hernández,male,2015-07,HN,,2020-03-02,\n"
    "A3,H2,self,Juan,Tzoc,Xicará,male,12/01/1979,GT,,2019-11-20,GT-QZ\n"
)
BAD = (
    "B1,H3,self,<script>,Pérez,,female,1990-01-01,HN,,2021-01-01,\n"  # row 2: bad name
    "B2,H3,child,Ana,Pérez,,female,2016-01-01,HN,,2021-01-01,\n"      # row 3: same household, waits
    "B3,H4,self,Luis,Gómez,,male,31/02/1990,SV,,2021-01-01,\n"        # row 4: impossible date
    "B4,H5,self,Marta,Cruz,,female,1992-02-02,ZZ,,2021-01-01,\n"      # row 5: unknown country
    "B5,H6,self,Carla,Reyes,,female,1993-03-03,HN,,2021-01-01,\n"     # row 6: good
)


def test_import_creates_people_families_cases_and_is_idempotent(intake):
    result = imports.people_import_csv(actor=intake, content=(HEADER + GOOD).encode(), mode="all_or_nothing",
                                       source="Casa del Migrante, Tijuana")
    assert result.committed and not result.errors
    assert (result.people_created, result.families_created, result.cases_created) == (3, 1, 2)
    rosa = Person.objects.get(given_names="Rosa María")
    assert rosa.origin_subdivision_id == "HN-CR"  # Cortés
    kevin = Person.objects.get(given_names="Kevin")
    assert kevin.dob_precision == "month" and kevin.date_of_birth == dt.date(2015, 7, 1)
    juan = Person.objects.get(given_names="Juan")
    assert juan.date_of_birth == dt.date(1979, 1, 12) and juan.origin_subdivision_id == "GT-09"
    family_case = Case.objects.get(family__memberships__person=rosa)
    assert family_case.place_in_line_on == dt.date(2020, 3, 2) and family_case.status == "waiting"
    assert AuditEvent.objects.filter(action="import.run", channel="import").count() == 1
    assert AuditEvent.objects.filter(action="person.registered", channel="import").count() == 3
    again = imports.people_import_csv(actor=intake, content=(HEADER + GOOD).encode(), mode="all_or_nothing",
                                      source="Casa del Migrante, Tijuana")
    assert again.committed and again.people_created == 0 and again.already_imported == 3
    assert Person.objects.count() == 3 and Family.objects.count() == 1


def test_import_without_record_ids_is_still_idempotent(intake):
    text = "household_id,relationship,given_names,first_surname,nationality\nX,self,Ana,Mam,GT\nX,child,Eva,Mam,GT\n"
    imports.people_import_csv(actor=intake, content=text.encode(), mode="all_or_nothing")
    imports.people_import_csv(actor=intake, content=text.encode(), mode="all_or_nothing")
    assert Person.objects.count() == 2


def test_all_or_nothing_writes_nothing_and_reports_every_bad_row(intake):
    result = imports.people_import_csv(actor=intake, content=(HEADER + GOOD + BAD).encode(),
                                       mode="all_or_nothing")
    assert not result.committed
    assert Person.objects.count() == 0 and AuditEvent.objects.filter(action="import.run").count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert {(5, "given_names"), (6, "household_id"), (7, "date_of_birth"), (8, "nationality")} <= by_row
    assert all(e.reason for e in result.errors)


def test_skip_bad_rows_imports_the_rest_and_returns_skipped_rows(intake):
    result = imports.people_import_csv(actor=intake, content=(HEADER + GOOD + BAD).encode(),
                                       mode="skip_bad_rows")
    assert result.committed
    assert result.skipped_rows == [5, 6, 7, 8]
    assert result.people_created == 4  # three good + Carla
    assert not Person.objects.filter(given_names="Ana").exists()  # her household waits whole


@pytest.mark.parametrize(("content", "column"), [
    (b"\xff\xfe\x00bad", "file"),
    (b"name,surname\nA,B\n", "given_names"),
    (b"given_names,colour\nAna,red\n", "colour"),
])
def test_malformed_files_are_refused_with_a_reason(intake, content, column):
    result = imports.people_import_csv(actor=intake, content=content, mode="skip_bad_rows")
    assert not result.committed and result.errors[0].column == column


def test_import_needs_permission(make_user):
    with pytest.raises(Exception) as exc:
        imports.people_import_csv(actor=make_user(Role.PORT_OFFICER), content=(HEADER + GOOD).encode(),
                                  mode="all_or_nothing")
    assert getattr(exc.value, "code", "") == "permission_denied"


def test_subject_export_contains_everything_and_is_audited(intake, registered, make_user):
    person = registered()
    case = services.case_open(actor=intake, kind="asylum_at_port", person=person)
    services.vulnerability_assess(actor=intake, person=person, conditions=["pregnant"])
    services.sensitive_detail_record(actor=intake, person=person, kind="protection_narrative", text_value="story")
    manager = make_user(Role.CASE_MANAGER, "UNHCR")
    record = exports.person_export(actor=manager, person=person)
    json.dumps(record)  # plain JSON
    assert record["person"]["given_names"] == "María José"
    assert record["person"]["documents"][0]["number"] == "0801-1990-12345"
    assert record["cases"][0]["reference"] == case.reference and record["cases"][0]["timeline"]
    assert record["vulnerability_assessments"][0]["conditions"] == ["pregnant"]
    assert record["sensitive_details"][0]["text"] == "story"
    assert record["sensitive_details_withheld_kinds"] == ["health"]
    assert any(e["action"] == "person.registered" for e in record["access_history"])
    assert AuditEvent.objects.filter(action="person.exported", person_id=person.pk, actor=manager).count() == 1


def test_retention_anonymises_only_people_whose_cases_all_closed_long_ago(intake, registered):
    old = registered(given_names="Eulogia")
    recent = registered(given_names="Reciente")
    still_open = registered(given_names="Abierta")
    with time_machine.travel(dt.datetime(2019, 1, 10, tzinfo=dt.UTC)):
        c1 = services.case_open(actor=intake, kind="asylum_at_port", person=old)
        services.case_transition(actor=intake, case=c1, target="closed", expected_version=None, reason="done")
        services.case_note_add(actor=intake, case=c1, note="Eulogia said she will go to her cousin in Houston.")
        services.sensitive_detail_record(actor=intake, person=old, kind="gbv", text_value="details")
        c3 = services.case_open(actor=intake, kind="asylum_at_port", person=still_open)
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC)):
        c2 = services.case_open(actor=intake, kind="asylum_at_port", person=recent)
        services.case_transition(actor=intake, case=c2, target="closed", expected_version=None, reason="done")
    events_before = AuditEvent.objects.count()
    with time_machine.travel(dt.datetime(2026, 11, 30, tzinfo=dt.UTC)):
        report = retention.retention_apply(actor=None, retention_days=5 * 365)
    assert report.anonymised == 1
    old.refresh_from_db()
    assert old.given_names == "(anonymised)" and old.first_surname == "" and old.anonymised_at
    assert old.dob_precision == "year" and old.date_of_birth == dt.date(1990, 7, 1)
    assert not IdentityDocument.objects.filter(person=old).exists()
    assert not ContactChannel.objects.filter(person=old).exists()
    assert not SensitiveDetail.objects.filter(person=old).exists()
    assert not ImportedRecord.objects.filter(person=old).exists()
    assert "Houston" not in " ".join(CaseEvent.objects.filter(case=c1).values_list("summary", flat=True))
    for p in (recent, still_open):
        p.refresh_from_db()
        assert p.anonymised_at is None
    assert c3.closed_on is None
    # the trail is kept, and grows by exactly the anonymisation event
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.get(action="person.anonymised")
    assert event.actor is None and event.actor_label == "system:retention"
    assert "Eulogia" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_retention_task_runs_through_the_tasks_framework(intake, registered):
    from corredor.registry.tasks import retention_run

    result = retention_run.enqueue()
    assert result.return_value == {"cutoff": (dt.date.today() - dt.timedelta(days=5 * 365)).isoformat(),
                                   "anonymised": 0}
