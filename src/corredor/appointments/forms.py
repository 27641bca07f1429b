from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corredor.reference.models import Place, PlaceKind


def _port_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in Place.objects.filter(kind=PlaceKind.PORT).order_by("name")]


class CapacityForm(forms.Form):
    port = forms.ChoiceField(label=_("Port of entry"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label=_("Persons per day (0 closes the port)"), min_value=-10**6, max_value=10**6)
    closed_reason = forms.CharField(label=_("Reason (required when closing)"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["port"].choices = _port_choices()  # type: ignore[attr-defined]


class RunForm(forms.Form):
    start_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    horizon_days = forms.IntegerField(label=_("Days to plan"), min_value=1, max_value=366, initial=14)
    seed = forms.IntegerField(label=_("Seed (optional, to repeat a run exactly)"), required=False, min_value=0,
                              max_value=2**31 - 1)


class ProjectionForm(forms.Form):
    capacity_change = forms.IntegerField(label=_("Change in persons per day across all ports"), required=False,
                                         min_value=-100_000, max_value=100_000)


class WaitingForm(forms.Form):
    identity_confirmed = forms.BooleanField(label=_("Identity confirmed by the intake worker"), required=False)
    ports = forms.MultipleChoiceField(label=_("Ports, in order of preference"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    single_port_only = forms.BooleanField(label=_("Cannot travel to another port"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ports"].choices = _port_choices()  # type: ignore[attr-defined]


class ScreeningForm(forms.Form):
    screened_on = forms.DateField(label=_("Health screening done on"), widget=forms.DateInput(attrs={"type": "date"}))


class BookForm(forms.Form):
    port = forms.ChoiceField(label=_("Port of entry"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["port"].choices = _port_choices()  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Appointment code or QR content"), max_length=400)


class LegacyImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of list"), choices=[
        ("mpp", _("MPP case list (A-number, pending port, hearing date)")),
        ("metering", _("Metering waitlist (city, list number, list date)"))])
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    mode = forms.ChoiceField(label=_("If some rows are invalid"), choices=[
        ("all_or_nothing", _("Import nothing and show me the errors")),
        ("skip_bad_rows", _("Import the valid households and list the skipped rows"))])
    source = forms.CharField(label=_("Name of the list"), max_length=100, required=False)


class EndOfDayForm(forms.Form):
    port = forms.ChoiceField(label=_("Port of entry"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["port"].choices = _port_choices()  # type: ignore[attr-defined]
