"""The registry's controlled vocabularies, shared by the domain core, the apps and the synthetic population.

Each enum's value is what the database stores; labels for people live in the apps (translated).
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"
    UNKNOWN = "unknown"


class DobPrecision(StrEnum):
    """How much of a date of birth is known. Many people carry no documents and state an age."""

    EXACT = "exact"
    MONTH = "month"  # year and month known; the day is stored as 1
    YEAR = "year"  # only the year known; stored as 1 July (mid-year minimises age error)
    ESTIMATED = "estimated"  # estimated from a stated age on a given date


class Relationship(StrEnum):
    """A member's relationship to the family's contact member (the reference person)."""

    SELF = "self"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    SPOUSE_PARTNER = "spouse_partner"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    LEGAL_GUARDIAN = "legal_guardian"
    WARD = "ward"  # the child a legal guardian is responsible for
    OTHER_CAREGIVER = "other_caregiver"
    OTHER_RELATIVE = "other_relative"
    NOT_RELATED = "not_related"


class Vulnerability(StrEnum):
    UNACCOMPANIED_CHILD = "unaccompanied_child"
    SEPARATED_CHILD = "separated_child"
    PREGNANT = "pregnant"
    SERIOUS_MEDICAL_CONDITION = "serious_medical_condition"
    DISABILITY = "disability"
    ELDERLY = "elderly"
    LGBTQI = "lgbtqi"
    GBV_SURVIVOR = "gbv_survivor"
    WOMAN_AT_RISK = "woman_at_risk"
    TORTURE_SURVIVOR = "torture_survivor"
    TRAFFICKING_SURVIVOR = "trafficking_survivor"
    MONOLINGUAL_INDIGENOUS = "monolingual_indigenous"
    OTHER = "other"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"  # DUI (SV), DPI (GT), DNI (HN), INE/CURP (MX), cédula...
    BIRTH_CERTIFICATE = "birth_certificate"
    A_NUMBER = "a_number"  # US alien registration number (MPP cases)
    CONSULAR_ID = "consular_id"
    UNHCR_CERTIFICATE = "unhcr_certificate"
    OTHER = "other"


class ContactKind(StrEnum):
    PHONE_SMS = "phone_sms"
    PHONE_WHATSAPP = "phone_whatsapp"
    TRUSTED_CONTACT = "trusted_contact"  # a person reachable on the migrant's behalf
    OTHER = "other"


class CaseKind(StrEnum):
    ASYLUM_AT_PORT = "asylum_at_port"
    MPP_BACKLOG = "mpp_backlog"
    METERING_BACKLOG = "metering_backlog"
    PATHWAY_APPLICATION = "pathway_application"
    RETURN_REINTEGRATION = "return_reintegration"
    UNACCOMPANIED_CHILD = "unaccompanied_child"
    POST_RELEASE = "post_release"


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    SCHEDULED = "scheduled"
    IN_CUSTODY = "in_custody"
    RELEASED = "released"
    IN_PROCEEDINGS = "in_proceedings"
    PROTECTION_GRANTED = "protection_granted"
    PROTECTION_DENIED = "protection_denied"
    RETURNED = "returned"
    REFERRED = "referred"
    CLOSED = "closed"


# ISO 639-3 codes for the languages the corridor needs first; free text is accepted for others.
LANGUAGES: dict[str, tuple[str, str]] = {
    # code: (English name, Spanish name)
    "spa": ("Spanish", "Español"),
    "eng": ("English", "Inglés"),
    "hat": ("Haitian Creole", "Criollo haitiano"),
    "por": ("Portuguese", "Portugués"),
    "fra": ("French", "Francés"),
    "quc": ("K'iche'", "K'iche'"),
    "mam": ("Mam", "Mam"),
    "kek": ("Q'eqchi'", "Q'eqchi'"),
    "cak": ("Kaqchikel", "Kaqchikel"),
    "cab": ("Garífuna", "Garífuna"),
    "len": ("Lenca", "Lenca"),
    "miq": ("Miskito", "Misquito"),
    "tzj": ("Tz'utujil", "Tz'utujil"),
    "poh": ("Poqomchi'", "Poqomchi'"),
    "ixl": ("Ixil", "Ixil"),
    "acr": ("Achi", "Achí"),
    "jac": ("Popti'", "Popti'"),
    "kjb": ("Q'anjob'al", "Q'anjob'al"),
    "ngb": ("Ngäbere", "Ngäbere"),
    "nah": ("Nahuatl", "Náhuatl"),
    "tzo": ("Tzotzil", "Tsotsil"),
    "tzh": ("Tzeltal", "Tseltal"),
    "zap": ("Zapotec", "Zapoteco"),
    "mix": ("Mixtec", "Mixteco"),
    "arb": ("Arabic", "Árabe"),
    "rus": ("Russian", "Ruso"),
    "cmn": ("Mandarin Chinese", "Chino mandarín"),
    "wol": ("Wolof", "Wólof"),
    "tir": ("Tigrinya", "Tigriña"),
    "hin": ("Hindi", "Hindi"),
    "pan": ("Punjabi", "Panyabí"),
}

INDIGENOUS_LANGUAGES = frozenset(
    {"quc", "mam", "kek", "cak", "cab", "len", "miq", "tzj", "poh", "ixl", "acr", "jac", "kjb", "ngb",
     "nah", "tzo", "tzh", "zap", "mix"}
)
