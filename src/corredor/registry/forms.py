"""Page forms of the registry. They shape input only; every rule lives in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corredor.core.registry import vocab as v
from corredor.reference.models import Country, Place, Subdivision

from . import labels
from .models import SensitiveKind

SEX_CHOICES = [(k.value, lab) for k, lab in labels.SEX.items() if k is not v.Sex.UNKNOWN]
SEX_CHOICES.insert(0, (v.Sex.UNKNOWN.value, labels.SEX[v.Sex.UNKNOWN]))
PRECISION_CHOICES = [(k.value, lab) for k, lab in labels.DOB_PRECISION.items() if k is not v.DobPrecision.ESTIMATED]
RELATIONSHIP_CHOICES = [(k.value, lab) for k, lab in labels.RELATIONSHIP.items() if k is not v.Relationship.SELF]
DOC_CHOICES = [("", _("No document")), *labels.choices(labels.DOCUMENT_TYPE)]
KIND_CHOICES = labels.choices(labels.CASE_KIND)
VULNERABILITY_CHOICES = labels.choices(labels.VULNERABILITY)


def _country_choices() -> list[tuple[str, str]]:
    first = ["HN", "GT", "SV", "MX", "VE", "HT", "NI", "CU", "CO", "EC"]
    countries = {c.code: str(c) for c in Country.objects.all()}
    head = [(c, countries[c]) for c in first if c in countries]
    tail = sorted(((c, n) for c, n in countries.items() if c not in first), key=lambda x: x[1])
    return [("", "—"), *head, ("", "──────────"), *tail]


def _language_choices() -> list[tuple[str, str]]:
    return [(code, f"{names[1]} / {names[0]}") for code, names in v.LANGUAGES.items()]


class PersonForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    first_surname = forms.CharField(label=_("First surname"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    other_names = forms.CharField(label=_("Other names, aliases, nicknames"), max_length=400, required=False,
                                  help_text=_("Separate with semicolons"))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES)
    gender_identity = forms.CharField(label=_("Gender identity (optional)"), max_length=60, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    dob_precision = forms.ChoiceField(label=_("How exact is the date?"), choices=PRECISION_CHOICES, required=False)
    stated_age = forms.IntegerField(label=_("Or: age stated today (years)"), min_value=0, max_value=120,
                                    required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    origin_country = forms.ChoiceField(label=_("Country of origin"), required=False)
    origin_subdivision = forms.ChoiceField(label=_("Department or state of origin"), required=False)
    origin_municipality = forms.CharField(label=_("Municipality of origin"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    current_place = forms.ChoiceField(label=_("Where the person is now"), required=False)
    current_location_note = forms.CharField(label=_("Location details"), max_length=200, required=False)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DOC_CHOICES, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_country = forms.ChoiceField(label=_("Issued by"), required=False)
    phone = forms.CharField(label=_("Phone (SMS or WhatsApp)"), max_length=40, required=False)
    phone_whatsapp = forms.BooleanField(label=_("Reachable on WhatsApp"), required=False)

    def __init__(self, *args: object, include_contacts: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        countries = _country_choices()
        for name in ("nationality", "origin_country", "document_country"):
            self.fields[name].choices = countries  # type: ignore[attr-defined]
        self.fields["origin_subdivision"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.code, f"{s.name} ({s.country_id})") for s in Subdivision.objects.order_by("country_id", "name")]
        self.fields["languages"].choices = _language_choices()  # type: ignore[attr-defined]
        self.fields["current_place"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (p.code, f"{p.name} ({p.country_id})") for p in Place.objects.order_by("kind", "name")]
        if not include_contacts:
            for name in ("document_type", "document_number", "document_country", "phone", "phone_whatsapp"):
                del self.fields[name]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, include_contacts=False, **kwargs)


class FamilyForm(forms.Form):
    contact_person = forms.CharField(label=_("Contact member (person number, e.g. P-000123)"), max_length=20)
    members = forms.CharField(
        label=_("Other members"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=2000,
        help_text=_("One per line: person number, then relationship to the contact member. "
                    "Example: P-000124 child"))


class FamilyMemberForm(forms.Form):
    person = forms.CharField(label=_("Person number"), max_length=20)
    relationship = forms.ChoiceField(label=_("Relationship to the contact member"), choices=RELATIONSHIP_CHOICES)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of case"), choices=KIND_CHOICES)
    site = forms.ChoiceField(label=_("Site"), required=False)
    place_in_line_on = forms.DateField(label=_("Place in line since (registration or list date)"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (p.code, p.name) for p in Place.objects.order_by("kind", "name")]


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, allowed: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s, labels.CASE_STATUS[v.CaseStatus(s)]) for s in allowed]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class ShareForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Share with"))
    consent_given_by = forms.CharField(label=_("Consent given by"), max_length=200,
                                       help_text=_("Who consented, and how (e.g. the person, verbally, today)"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(self, *args: object, organisations: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    conditions = forms.MultipleChoiceField(label=_("Conditions observed"), choices=VULNERABILITY_CHOICES,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"}))
    override = forms.ChoiceField(label=_("Expedite decision"), required=False, choices=[
        ("", _("Follow the rule")), ("yes", _("Expedite (override)")), ("no", _("Do not expedite (override)"))])
    override_reason = forms.CharField(label=_("Reason for overriding the rule"), max_length=200, required=False)


class SensitiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SensitiveKind.choices)
    text = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see these details?"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    mode = forms.ChoiceField(label=_("If some rows are invalid"), choices=[
        ("all_or_nothing", _("Import nothing and show me the errors")),
        ("skip_bad_rows", _("Import the valid households and list the skipped rows"))])
    source = forms.CharField(label=_("Name of the list"), max_length=100, required=False,
                             help_text=_("Importing the same list again under the same name creates no duplicates"))
