"""Every page as every role, in Spanish and English: the right pages open, the others refuse, none fails."""

from __future__ import annotations

import pytest

from corredor.platform.authz import ROLE_PERMISSIONS, Permission, Role
from corredor.registry import services

pytestmark = pytest.mark.django_db
P = Permission

PAGES = [
    ("/", frozenset()),
    ("/registry/search/?q=Nunez", frozenset({P.PERSON_VIEW})),
    ("/registry/people/new/", frozenset({P.PERSON_REGISTER})),
    ("/registry/people/{person}/", frozenset({P.PERSON_VIEW})),
    ("/registry/people/{person}/edit/", frozenset({P.PERSON_VIEW, P.PERSON_EDIT})),
    ("/registry/people/{person}/assessment/", frozenset({P.PERSON_VIEW, P.VULNERABILITY_ASSESS})),
    ("/registry/families/new/", frozenset({P.FAMILY_EDIT})),
    ("/registry/families/{family}/", frozenset({P.PERSON_VIEW})),
    ("/registry/cases/", frozenset({P.CASE_VIEW})),
    ("/registry/cases/{case}/", frozenset({P.CASE_VIEW})),
    ("/registry/figures/", frozenset({P.AGGREGATES_VIEW})),
    ("/registry/import/", frozenset({P.DATA_IMPORT})),
    ("/audit/", frozenset({P.AUDIT_VIEW})),
    ("/appointments/", frozenset({P.APPOINTMENT_VIEW})),
    ("/appointments/capacity/", frozenset({P.CAPACITY_MANAGE})),
    ("/appointments/check-in/", frozenset({P.APPOINTMENT_CHECK_IN})),
    ("/appointments/cases/{case}/", frozenset({P.CASE_VIEW})),
]


@pytest.fixture
def world(intake, registered):
    person = registered()
    child = registered(given_names="Kevin", date_of_birth=None, stated_age=9, documents=[], contacts=[])
    family = services.family_create(actor=intake, contact=person, members=[services.MemberData(child, "child")])
    case = services.case_open(actor=intake, kind="asylum_at_port", family=family)
    return {"person": person.pk, "family": family.pk, "case": case.reference}


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_walks_every_page(role, language, world, make_user, login):
    client = login(make_user(role, "UNHCR"), language)
    for template, requires in PAGES:
        url = template.format(**world)
        response = client.get(url)
        allowed = requires <= ROLE_PERMISSIONS[role]
        assert response.status_code == (200 if allowed else 403), (url, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        if allowed and template == "/registry/people/{person}/":
            assert "Núñez" in html
            assert "Threat" not in html  # sensitive details are never on the basic page


def test_login_page_and_redirect_for_anonymous(client):
    assert client.get("/login/").status_code == 200
    response = client.get("/registry/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_spanish_is_the_default_and_switchable(client, make_user):
    user = make_user(Role.INTAKE_WORKER, username="bilingue")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/").content.decode()
    assert '<html lang="es">' in html and "Buscar" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Search" in html


def test_register_person_and_family_through_the_pages(intake, login):
    client = login(intake)
    response = client.post("/registry/people/new/", {
        "given_names": "Rosa María", "first_surname": "López", "sex": "female", "stated_age": "31",
        "nationality": "HN", "languages": ["spa", "cab"], "phone": "+52 664 100 2000", "phone_whatsapp": "on",
        "document_type": "passport", "document_number": "F1234567", "document_country": "HN"})
    assert response.status_code == 302
    mother_url = response["Location"]
    mother_id = int(mother_url.rstrip("/").split("/")[-1])
    page = client.get(mother_url).content.decode()
    assert "Rosa María López" in page and "F1234567" in page and "estimated" in page
    response = client.post("/registry/people/new/", {"given_names": "Kevin", "sex": "male", "stated_age": "8"})
    kid_id = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post("/registry/families/new/", {"contact_person": f"P-{mother_id:06d}",
                                                       "members": f"P-{kid_id:06d} child"})
    assert response.status_code == 302
    family_page = client.get(response["Location"]).content.decode()
    assert "Kevin" in family_page and "child with parent or guardian" in family_page
    response = client.post("/registry/cases/new/", {"kind": "metering_backlog", "family_id": response["Location"]
                                                    .rstrip("/").split("/")[-1], "place_in_line_on": "2020-02-01"})
    assert response.status_code == 302
    case_page = client.get(response["Location"]).content.decode()
    assert "Metering waitlist backlog" in case_page and "2020-02-01" in case_page
    response = client.post(f"/registry/people/{kid_id}/assessment/", {
        "conditions": ["serious_medical_condition"], "assessed_on": "2026-01-05", "override": ""})
    assert response.status_code == 302
    assert "expedited" in client.get(response["Location"]).content.decode()


def test_sensitive_reveal_page_needs_a_reason_and_is_not_cached(intake, registered, login):
    person = registered()
    services.sensitive_detail_record(actor=intake, person=person, kind="protection_narrative",
                                     text_value="Threatened after witnessing a killing.")
    client = login(intake)
    response = client.post(f"/registry/people/{person.pk}/sensitive/", {"reason": ""})
    assert response.status_code == 302
    response = client.post(f"/registry/people/{person.pk}/sensitive/", {"reason": "credible fear interview"})
    assert response.status_code == 200 and "witnessing" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_csv_import_page(intake, login):
    import io

    client = login(intake)
    upload = io.BytesIO(b"given_names,first_surname,nationality\nRosa,Tzoc,GT\n<b>,x,GT\n")
    upload.name = "lista.csv"
    response = client.post("/registry/import/", {"file": upload, "mode": "skip_bad_rows", "source": "albergue"})
    html = response.content.decode()
    assert response.status_code == 200 and "Imported: 1 people" in html and "given_names" in html


def test_audit_viewer_answers_who_saw_what(intake, registered, make_user, login):
    person = registered()
    services.sensitive_detail_record(actor=intake, person=person, kind="gbv", text_value="x")
    services.sensitive_details_reveal(actor=intake, person=person, reason="hearing tomorrow")
    auditor = login(make_user(Role.AUDITOR, "DHS"))
    html = auditor.get("/audit/", {"person": person.reference, "action": "sensitive.viewed"}).content.decode()
    assert "sensitive.viewed" in html and "intake-unhcr" in html and "hearing tomorrow" in html
    assert "<code>sensitive.viewed</code>" in html and "<code>person.registered</code>" not in html


def test_an_oversized_list_is_refused_with_a_reason(intake, login, monkeypatch):
    import io

    from corredor.registry import imports

    monkeypatch.setattr(imports, "MAX_BYTES", 20)
    upload = io.BytesIO(b"given_names,first_surname\nRosa,Tzoc\nAna,Mam\n")
    upload.name = "lista.csv"
    html = login(intake).post("/registry/import/", {"file": upload, "mode": "all_or_nothing"}).content.decode()
    assert "larger than" in html and "Imported" not in html
