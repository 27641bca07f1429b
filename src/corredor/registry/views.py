"""Registry pages: thin views over the services and selectors. The core forms work without JavaScript;
htmx only makes search live."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corredor.accounts.models import Organisation
from corredor.accounts.selectors import require_permission, user_has_permission
from corredor.core.registry import case_status
from corredor.core.registry import vocab as v
from corredor.platform.authz import Permission
from corredor.platform.errors import CorredorError, ValidationFailedError
from corredor.reference.models import Place

from . import forms, imports, presenters, selectors, services
from .models import Case, Family


def _add_errors(form: Any, exc: CorredorError) -> None:
    errors = exc.details.get("errors") if isinstance(exc, ValidationFailedError) else None
    if not errors:
        form.add_error(None, exc.message)
        return
    for field, messages_ in errors.items():
        name = field.split("[")[0].split(".")[-1]
        target = name if name in form.fields else None
        if field.startswith("documents"):
            target = "document_number" if "document_number" in form.fields else None
        if field.startswith("contacts"):
            target = "phone" if "phone" in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def _person_data(cd: dict[str, Any]) -> services.PersonData:
    documents = []
    if cd.get("document_type") or cd.get("document_number"):
        documents.append(services.DocumentData(doc_type=cd.get("document_type") or "other",
                                               number=cd.get("document_number") or "",
                                               issuing_country=cd.get("document_country") or ""))
    contacts = []
    if cd.get("phone"):
        kind = v.ContactKind.PHONE_WHATSAPP if cd.get("phone_whatsapp") else v.ContactKind.PHONE_SMS
        contacts.append(services.ContactData(kind=kind.value, value=cd["phone"]))
    return services.PersonData(
        given_names=cd["given_names"], first_surname=cd.get("first_surname") or "",
        second_surname=cd.get("second_surname") or "",
        other_names=[a.strip() for a in (cd.get("other_names") or "").split(";") if a.strip()],
        sex=cd.get("sex") or "unknown", gender_identity=cd.get("gender_identity") or "",
        date_of_birth=cd.get("date_of_birth"), dob_precision=cd.get("dob_precision") or "",
        stated_age=cd.get("stated_age"), nationality=cd.get("nationality") or "",
        origin_country=cd.get("origin_country") or "", origin_subdivision=cd.get("origin_subdivision") or "",
        origin_municipality=cd.get("origin_municipality") or "", languages=list(cd.get("languages") or []),
        needs_interpreter=bool(cd.get("needs_interpreter")), current_place=cd.get("current_place") or "",
        current_location_note=cd.get("current_location_note") or "", documents=documents, contacts=contacts)


def _person_id(text: str) -> int | None:
    text = text.strip().upper().removeprefix("P-")
    return int(text) if text.isdigit() and len(text) < 12 else None


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    result = selectors.registry_search(user=request.user, query=query) if query.strip() else None  # type: ignore[arg-type]
    context = {"q": query, "result": result}
    template = "registry/_search_results.html" if request.htmx else "registry/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def person_register(request: HttpRequest) -> HttpResponse:
    require_permission(user=request.user, permission=Permission.PERSON_REGISTER)  # type: ignore[arg-type]
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(actor=request.user, data=_person_data(form.cleaned_data))  # type: ignore[arg-type]
        except CorredorError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Registered %(ref)s.") % {"ref": person.reference})
            return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "title": _("Register a person")},
                  status=422 if request.method == "POST" else 200)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_visible_to(user=user, person_id=person_id)  # type: ignore[arg-type]
    cases = selectors.case_list_visible_to(user=user).filter(  # type: ignore[arg-type]
        services.models_q_person_or_family(person)).distinct()
    families = Family.objects.filter(memberships__person=person).distinct()
    can_see_sensitive = any(user_has_permission(user=user, permission=p) for p in (  # type: ignore[arg-type]
        Permission.SENSITIVE_PROTECTION_VIEW, Permission.SENSITIVE_HEALTH_VIEW))
    return render(request, "registry/person_detail.html", {
        "person": person, "cases": cases, "families": [(f, presenters.family_members(f)) for f in families],
        "assessments": person.assessments.all()[:10], "can_see_sensitive": can_see_sensitive,
        "reveal_form": forms.RevealForm(), "sensitive_form": forms.SensitiveForm(), "case_form": forms.CaseOpenForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    require_permission(user=user, permission=Permission.PERSON_EDIT)  # type: ignore[arg-type]
    person = selectors.person_get_visible_to(user=user, person_id=person_id)  # type: ignore[arg-type]
    initial = {**{k: getattr(person, k) for k in ("given_names", "first_surname", "second_surname", "sex",
                                                  "gender_identity", "date_of_birth", "dob_precision",
                                                  "origin_municipality", "languages", "needs_interpreter",
                                                  "current_location_note", "version")},
               "other_names": "; ".join(person.other_names), "nationality": person.nationality_id or "",
               "origin_country": person.origin_country_id or "",
               "origin_subdivision": person.origin_subdivision_id or "",
               "current_place": person.current_place.code if person.current_place else ""}
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.person_update(actor=user, person=person, data=_person_data(form.cleaned_data),  # type: ignore[arg-type]
                                       expected_version=form.cleaned_data["version"],
                                       reason=form.cleaned_data.get("reason") or "")
            except CorredorError as exc:
                status = exc.status
                _add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/person_form.html",
                  {"form": form, "title": _("Edit %(ref)s") % {"ref": person.reference}, "person": person},
                  status=status)


@login_required
@require_http_methods(["POST"])
def sensitive_reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_visible_to(user=user, person_id=person_id)  # type: ignore[arg-type]
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need to see the sensitive details."))
        return redirect("registry:person_detail", person_id=person.pk)
    details = services.sensitive_details_reveal(actor=user, person=person,  # type: ignore[arg-type]
                                                reason=form.cleaned_data["reason"])
    response = render(request, "registry/sensitive.html", {"person": person, "details": details})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["POST"])
def sensitive_record(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_visible_to(user=user, person_id=person_id)  # type: ignore[arg-type]
    form = forms.SensitiveForm(request.POST)
    if form.is_valid():
        services.sensitive_detail_record(actor=user, person=person, kind=form.cleaned_data["kind"],  # type: ignore[arg-type]
                                         text_value=form.cleaned_data["text"])
        messages.success(request, _("Recorded. The details are stored apart and shown only to those allowed."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("registry:person_detail", person_id=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_record(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    require_permission(user=user, permission=Permission.VULNERABILITY_ASSESS)  # type: ignore[arg-type]
    person = selectors.person_get_visible_to(user=user, person_id=person_id)  # type: ignore[arg-type]
    form = forms.AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        override = {"yes": True, "no": False}.get(cd.get("override") or "")
        try:
            a = services.vulnerability_assess(actor=user, person=person, conditions=cd["conditions"],  # type: ignore[arg-type]
                                              assessed_on=cd["assessed_on"], override=override,
                                              override_reason=cd.get("override_reason") or "")
        except CorredorError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded: %(reason)s") % {"reason": a.expedite_reason})
            return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/assessment_form.html", {"form": form, "person": person},
                  status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def family_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_permission(user=user, permission=Permission.FAMILY_EDIT)  # type: ignore[arg-type]
    form = forms.FamilyForm(request.POST or None, initial={"contact_person": request.GET.get("contact", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            contact_id = _person_id(form.cleaned_data["contact_person"])
            if contact_id is None:
                raise ValidationFailedError({"contact_person": [_("Write a person number like P-000123.")]})
            contact = selectors.person_get_visible_to(user=user, person_id=contact_id)  # type: ignore[arg-type]
            members = []
            for n, line in enumerate(form.cleaned_data["members"].splitlines(), start=1):
                if not line.strip():
                    continue
                parts = line.split()
                pid = _person_id(parts[0]) if parts else None
                if pid is None or len(parts) != 2:
                    raise ValidationFailedError({"members": [
                        _("Line %(n)d: write a person number and a relationship, e.g. P-000124 child.") % {"n": n}]})
                members.append(services.MemberData(
                    selectors.person_get_visible_to(user=user, person_id=pid), parts[1].lower()))  # type: ignore[arg-type]
            family = services.family_create(actor=user, contact=contact, members=members)  # type: ignore[arg-type]
        except CorredorError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Family %(ref)s registered.") % {"ref": family.reference})
            return redirect("registry:family_detail", family_id=family.pk)
    return render(request, "registry/family_form.html",
                  {"form": form, "relationships": forms.RELATIONSHIP_CHOICES},
                  status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def family_detail(request: HttpRequest, family_id: int) -> HttpResponse:
    user = request.user
    family = selectors.family_get_visible_to(user=user, family_id=family_id)  # type: ignore[arg-type]
    member_form = forms.FamilyMemberForm(request.POST or None, initial={"version": family.version})
    if request.method == "POST" and member_form.is_valid():
        try:
            pid = _person_id(member_form.cleaned_data["person"])
            if pid is None:
                raise ValidationFailedError({"person": [_("Write a person number like P-000123.")]})
            person = selectors.person_get_visible_to(user=user, person_id=pid)  # type: ignore[arg-type]
            services.family_member_add(actor=user, family=family,  # type: ignore[arg-type]
                                       member=services.MemberData(person, member_form.cleaned_data["relationship"]),
                                       expected_version=member_form.cleaned_data["version"])
        except CorredorError as exc:
            _add_errors(member_form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("registry:family_detail", family_id=family.pk)
    cases = selectors.case_list_visible_to(user=user).filter(family=family)  # type: ignore[arg-type]
    return render(request, "registry/family_detail.html", {
        "family": family, "members": presenters.family_members(family), "cases": cases,
        "member_form": member_form, "case_form": forms.CaseOpenForm(),
    }, status=422 if request.method == "POST" else 200)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.case_list_visible_to(user=request.user)  # type: ignore[arg-type]
    status = request.GET.get("status", "")[:24]
    if status:
        qs = qs.filter(status=status)
    raw_page = request.GET.get("page", "1")
    page = min(max(1, int(raw_page)), 100_000) if raw_page.isdigit() and len(raw_page) < 7 else 1
    per_page = 50
    cases = list(qs.order_by("-updated_at", "-id")[(page - 1) * per_page: page * per_page + 1])
    return render(request, "registry/case_list.html", {
        "cases": cases[:per_page], "has_next": len(cases) > per_page, "page": page, "status": status,
        "statuses": [s.value for s in v.CaseStatus]})


@login_required
@require_http_methods(["POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.CaseOpenForm(request.POST)
    person_id, family_id = request.POST.get("person_id", ""), request.POST.get("family_id", "")
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(request.META.get("HTTP_REFERER") or "home")
    person = selectors.person_get_visible_to(user=user, person_id=int(person_id)) if person_id.isdigit() else None  # type: ignore[arg-type]
    family = selectors.family_get_visible_to(user=user, family_id=int(family_id)) if family_id.isdigit() else None  # type: ignore[arg-type]
    site = Place.objects.filter(code=form.cleaned_data["site"]).first() if form.cleaned_data["site"] else None
    case = services.case_open(actor=user, kind=form.cleaned_data["kind"], person=person, family=family,  # type: ignore[arg-type]
                              site=site, place_in_line_on=form.cleaned_data.get("place_in_line_on"))
    messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
    return redirect("registry:case_detail", reference=case.reference)


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms_: Any) -> HttpResponse:
    user = request.user
    allowed = sorted(s.value for s in case_status.allowed_next(v.CaseStatus(case.status)))
    organisations = [(o.code, f"{o.code} — {o.name}") for o in
                     Organisation.objects.filter(is_active=True).exclude(pk=case.holding_organisation_id)]
    context = {
        "case": case, "members": services.case_members(case), "events": case.events.all(),
        "expedite_assessments": services.case_expedite_assessments(case),
        "shares": case.shares.filter(revoked_at__isnull=True).select_related("organisation"),
        "transition_form": forms_.get("transition_form") or forms.TransitionForm(
            allowed=allowed, initial={"version": case.version}),
        "note_form": forms_.get("note_form") or forms.NoteForm(),
        "share_form": forms_.get("share_form") or forms.ShareForm(organisations=organisations),
        "can_transition": user_has_permission(user=user, permission=Permission.CASE_TRANSITION),  # type: ignore[arg-type]
        "can_edit": user_has_permission(user=user, permission=Permission.CASE_EDIT),  # type: ignore[arg-type]
        "can_share": user_has_permission(user=user, permission=Permission.CASE_SHARE),  # type: ignore[arg-type]
    }
    return render(request, "registry/case_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_visible_to(user=user, reference=reference[:20])  # type: ignore[arg-type]
    if request.method == "GET":
        return _case_page(request, case)
    action = request.POST.get("action", "")
    allowed = sorted(s.value for s in case_status.allowed_next(v.CaseStatus(case.status)))
    organisations = [(o.code, o.code) for o in Organisation.objects.filter(is_active=True)]
    try:
        if action == "transition":
            form: Any = forms.TransitionForm(request.POST, allowed=allowed)
            if not form.is_valid():
                return _case_page(request, case, 422, transition_form=form)
            services.case_transition(actor=user, case=case, target=form.cleaned_data["status"],  # type: ignore[arg-type]
                                     expected_version=form.cleaned_data["version"],
                                     reason=form.cleaned_data.get("reason") or "")
        elif action == "note":
            form = forms.NoteForm(request.POST)
            if not form.is_valid():
                return _case_page(request, case, 422, note_form=form)
            services.case_note_add(actor=user, case=case, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        elif action == "share":
            form = forms.ShareForm(request.POST, organisations=organisations)
            if not form.is_valid():
                return _case_page(request, case, 422, share_form=form)
            org = Organisation.objects.get(code=form.cleaned_data["organisation"])
            services.case_share(actor=user, case=case, organisation=org,  # type: ignore[arg-type]
                                consent_given_by=form.cleaned_data["consent_given_by"],
                                purpose=form.cleaned_data["purpose"])
        else:
            raise ValidationFailedError({"action": [_("Unknown action.")]})
    except CorredorError as exc:
        messages.error(request, exc.message)
        return _case_page(request, case, exc.status)
    messages.success(request, _("Saved."))
    return redirect("registry:case_detail", reference=case.reference)


@login_required
def aggregates(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "status")
    if by not in ("status", "kind", "nationality", "organisation"):
        by = "status"
    rows = selectors.case_aggregates(user=request.user, by=by)  # type: ignore[arg-type]
    return render(request, "registry/aggregates.html", {"rows": rows, "by": by,
                                                        "groupings": ["status", "kind", "nationality", "organisation"]})


@login_required
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    require_permission(user=request.user, permission=Permission.DATA_IMPORT)  # type: ignore[arg-type]
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.people_import_csv(actor=request.user,  # type: ignore[arg-type]
                                               content=imports.read_upload(form.cleaned_data["file"]),
                                               mode=form.cleaned_data["mode"],
                                               source=form.cleaned_data.get("source") or "")
        except CorredorError as exc:
            _add_errors(form, exc)
    return render(request, "registry/import.html", {"form": form, "result": result,
                                                    "columns": imports.COLUMNS})
