"""Translated labels for the registry's vocabularies, shared by models, forms and pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corredor.core.registry import vocab as v

SEX = {v.Sex.FEMALE: _("Female"), v.Sex.MALE: _("Male"), v.Sex.INTERSEX: _("Intersex"),
       v.Sex.UNKNOWN: _("Not recorded")}
DOB_PRECISION = {v.DobPrecision.EXACT: _("exact"), v.DobPrecision.MONTH: _("month and year only"),
                 v.DobPrecision.YEAR: _("year only"), v.DobPrecision.ESTIMATED: _("estimated from stated age")}
RELATIONSHIP = {
    v.Relationship.SELF: _("Contact member"), v.Relationship.PARENT: _("Parent"), v.Relationship.CHILD: _("Child"),
    v.Relationship.SIBLING: _("Sibling"), v.Relationship.SPOUSE_PARTNER: _("Spouse or partner"),
    v.Relationship.GRANDPARENT: _("Grandparent"), v.Relationship.GRANDCHILD: _("Grandchild"),
    v.Relationship.LEGAL_GUARDIAN: _("Legal guardian"), v.Relationship.WARD: _("Ward (child in their guardianship)"),
    v.Relationship.OTHER_CAREGIVER: _("Other caregiver"), v.Relationship.OTHER_RELATIVE: _("Other relative"),
    v.Relationship.NOT_RELATED: _("Not related"),
}
DOCUMENT_TYPE = {
    v.DocumentType.PASSPORT: _("Passport"), v.DocumentType.NATIONAL_ID: _("National identity card"),
    v.DocumentType.BIRTH_CERTIFICATE: _("Birth certificate"), v.DocumentType.A_NUMBER: _("US A-number"),
    v.DocumentType.CONSULAR_ID: _("Consular ID"), v.DocumentType.UNHCR_CERTIFICATE: _("UNHCR certificate"),
    v.DocumentType.OTHER: _("Other"),
}
CONTACT_KIND = {v.ContactKind.PHONE_SMS: _("Phone (SMS)"), v.ContactKind.PHONE_WHATSAPP: _("Phone (WhatsApp)"),
                v.ContactKind.TRUSTED_CONTACT: _("Trusted contact"), v.ContactKind.OTHER: _("Other")}
CASE_KIND = {
    v.CaseKind.ASYLUM_AT_PORT: _("Asylum at a port of entry"), v.CaseKind.MPP_BACKLOG: _("MPP backlog"),
    v.CaseKind.METERING_BACKLOG: _("Metering waitlist backlog"),
    v.CaseKind.PATHWAY_APPLICATION: _("Protection pathway application"),
    v.CaseKind.RETURN_REINTEGRATION: _("Return and reintegration"),
    v.CaseKind.UNACCOMPANIED_CHILD: _("Unaccompanied child"),
    v.CaseKind.POST_RELEASE: _("Post-release case management"),
}
CASE_STATUS = {
    v.CaseStatus.REGISTERED: _("Registered"), v.CaseStatus.WAITING: _("Waiting"),
    v.CaseStatus.SCHEDULED: _("Appointment scheduled"), v.CaseStatus.IN_CUSTODY: _("In custody"),
    v.CaseStatus.RELEASED: _("Released"), v.CaseStatus.IN_PROCEEDINGS: _("In proceedings"),
    v.CaseStatus.PROTECTION_GRANTED: _("Protection granted"), v.CaseStatus.PROTECTION_DENIED: _("Protection denied"),
    v.CaseStatus.RETURNED: _("Returned"), v.CaseStatus.REFERRED: _("Referred"), v.CaseStatus.CLOSED: _("Closed"),
}
VULNERABILITY = {
    v.Vulnerability.UNACCOMPANIED_CHILD: _("Unaccompanied child"),
    v.Vulnerability.SEPARATED_CHILD: _("Separated child"), v.Vulnerability.PREGNANT: _("Pregnant"),
    v.Vulnerability.SERIOUS_MEDICAL_CONDITION: _("Serious medical condition"),
    v.Vulnerability.DISABILITY: _("Disability"), v.Vulnerability.ELDERLY: _("Elderly"),
    v.Vulnerability.LGBTQI: _("LGBTQI+"), v.Vulnerability.GBV_SURVIVOR: _("Survivor of gender-based violence"),
    v.Vulnerability.WOMAN_AT_RISK: _("Woman at risk"), v.Vulnerability.TORTURE_SURVIVOR: _("Survivor of torture"),
    v.Vulnerability.TRAFFICKING_SURVIVOR: _("Survivor of trafficking"),
    v.Vulnerability.MONOLINGUAL_INDIGENOUS: _("Speaks only an indigenous language"), v.Vulnerability.OTHER: _("Other"),
}


def choices(labels: dict) -> list[tuple[str, object]]:
    return [(key.value, label) for key, label in labels.items()]
