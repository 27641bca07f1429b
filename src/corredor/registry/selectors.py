"""Every read of the registry, always scoped to what the user may see.

A user sees a case when their organisation holds it (at their site, if their role is limited to one),
when it was shared with their organisation with consent recorded, or when their role is explicitly
cross-organisational. They see a person registered by their organisation or belonging to a case they see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from corredor.accounts.selectors import require_permission, user_grants, user_has_permission
from corredor.core.registry import names
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError

from .models import Case, CaseShare, ContactChannel, Family, FamilyMembership, IdentityDocument, Person

if TYPE_CHECKING:
    from corredor.accounts.models import User


def _case_scope_q(user: User) -> Q | None:
    """None means every case; an empty Q() never happens (no scope -> match nothing)."""
    if user_has_permission(user=user, permission=Permission.CASE_VIEW_ANY_ORGANISATION):
        return None
    grants = user_grants(user=user)
    q = Q(pk__in=[])
    for scope in grants.scopes:
        held = Q(holding_organisation_id=scope.organisation_id)
        if scope.site_id is not None:
            held &= Q(site_id=scope.site_id)
        q |= held
    org_ids = {s.organisation_id for s in grants.scopes}
    if org_ids:
        q |= Q(Exists(CaseShare.objects.filter(case=OuterRef("pk"), organisation_id__in=org_ids,
                                               revoked_at__isnull=True)))
    return q


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    require_permission(user=user, permission=Permission.CASE_VIEW)
    qs = Case.objects.select_related("holding_organisation", "person", "family", "site", "assigned_worker")
    scope = _case_scope_q(user)
    return qs if scope is None else qs.filter(scope)


def person_list_visible_to(*, user: User) -> QuerySet[Person]:
    require_permission(user=user, permission=Permission.PERSON_VIEW)
    qs = Person.objects.filter(anonymised_at__isnull=True).select_related("nationality")
    scope = _case_scope_q(user)
    if scope is None:
        return qs
    visible_cases = Case.objects.filter(scope)
    org_ids = {s.organisation_id for s in user_grants(user=user).scopes
               if s.site_id is None}
    return qs.filter(
        Q(registered_by_organisation_id__in=org_ids)
        | Q(Exists(visible_cases.filter(person=OuterRef("pk"))))
        | Q(Exists(visible_cases.filter(family__memberships__person=OuterRef("pk"))))
    )


def person_get_visible_to(*, user: User, person_id: int) -> Person:
    person = person_list_visible_to(user=user).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError(f"No person P-{person_id:06d} that you may see.", field="person")
    return person


def family_list_visible_to(*, user: User) -> QuerySet[Family]:
    visible_people = person_list_visible_to(user=user)
    return Family.objects.filter(Q(Exists(FamilyMembership.objects.filter(
        family=OuterRef("pk"), person__in=visible_people)))).select_related("contact_member")


def family_get_visible_to(*, user: User, family_id: int) -> Family:
    family = family_list_visible_to(user=user).filter(pk=family_id).first()
    if family is None:
        raise NotFoundError(f"No family F-{family_id:06d} that you may see.", field="family")
    return family


def case_get_visible_to(*, user: User, case_id: int | None = None, reference: str | None = None) -> Case:
    qs = case_list_visible_to(user=user)
    case = qs.filter(pk=case_id).first() if case_id is not None else qs.filter(reference=reference).first()
    if case is None:
        raise NotFoundError(f"No case {reference or case_id} that you may see.", field="case")
    return case


@dataclass(frozen=True)
class SearchResult:
    people: list[Person]
    cases: list[Case]


def registry_search(*, user: User, query: str, limit: int = 50) -> SearchResult:
    """Search people by name (accent- and case-insensitive), document number or phone; cases by reference."""
    query = query.strip()[:100]
    if not query:
        return SearchResult([], [])
    people = person_list_visible_to(user=user)
    folded = names.fold(query)
    conditions = Q(pk__in=[])
    if folded:
        terms = folded.split()
        name_q = Q()
        for term in terms[:6]:
            name_q &= Q(search_text__contains=term)
        conditions |= name_q
    doc = names.fold_document_number(query)
    if len(doc) >= 4:
        conditions |= Q(Exists(IdentityDocument.objects.filter(person=OuterRef("pk"), number_folded=doc)))
    phone = names.fold_phone(query)
    if len(phone) >= 7:
        conditions |= Q(Exists(ContactChannel.objects.filter(person=OuterRef("pk"), value_folded__endswith=phone)))
    if query.upper().startswith("P-") and query[2:].isdigit():
        conditions |= Q(pk=int(query[2:]))
    found_people = list(people.filter(conditions).order_by("first_surname", "given_names", "id")[:limit])
    cases: list[Case] = []
    if user_has_permission(user=user, permission=Permission.CASE_VIEW):
        ref = query.upper()
        case_q = Q(reference=ref) | Q(reference__endswith=ref) if ref.startswith("CR-") or ref.isdigit() else None
        if case_q is not None:
            cases = list(case_list_visible_to(user=user).filter(case_q)[:limit])
    return SearchResult(found_people, cases)


# ---------------------------------------------------------------------------------------------------
# Aggregates for analysts: counts only, small cells suppressed, never rows.


@dataclass(frozen=True)
class AggregateRow:
    key: str
    count: int | None  # None: suppressed (under the small-cell threshold)


def _suppress(counter: Counter[str] | dict[str, int]) -> list[AggregateRow]:
    threshold = settings.SMALL_CELL_THRESHOLD
    return [AggregateRow(k, c if c >= threshold else None) for k, c in sorted(counter.items())]


def case_aggregates(*, user: User, by: str) -> list[AggregateRow]:
    """Case counts grouped by status, kind, nationality or holding organisation, across all organisations."""
    require_permission(user=user, permission=Permission.AGGREGATES_VIEW)
    field = {"status": "status", "kind": "kind", "organisation": "holding_organisation__code",
             "nationality": "person__nationality_id"}.get(by)
    if field is None:
        from corredor.platform.errors import ValidationFailedError

        raise ValidationFailedError({"by": ["Group by status, kind, nationality or organisation."]})
    rows = Case.objects.values(field).annotate(n=Count("id")).order_by()
    return _suppress({str(r[field] or "unknown"): r["n"] for r in rows})
