"""Input shapes of the reception pages. Times are typed as the facility's local wall-clock time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BreachReason, CustodyOutcome, DeclineReason, ScreeningKind, SponsorStatus, TestResult
from .services import DOCUMENTS_ISSUED

_LOCAL = {"type": "datetime-local"}


def local_to_utc(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    """A wall-clock time at the facility as an instant. In the repeated hour of the autumn change the first
    (daylight) occurrence is meant; a time in the skipped spring hour is read as the standard-time offset."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


class LocalTimeForm(forms.Form):
    """A form whose datetime fields are local times at `zone`; cleaned values are aware UTC instants."""

    time_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.time_fields:
            if data.get(name) is not None:
                naive = data[name].replace(tzinfo=None) if data[name].tzinfo else data[name]
                try:
                    data[name] = local_to_utc(naive, self.zone)
                except (OverflowError, ValueError):
                    self.add_error(name, _("This date is out of range."))
                    data.pop(name, None)
        return data


def _dt(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=forms.DateTimeInput(attrs=_LOCAL),
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ArrivalFindForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=20)


class ArrivalForm(LocalTimeForm):
    time_fields = ("arrived_at",)
    arrived_at = _dt(_("Arrived at (local time)"))
    source = forms.ChoiceField(label=_("How they arrived"), choices=[("manual", _("At a port without an appointment")),
                                                                    ("encounter", _("Encountered between ports"))])


class TransferForm(LocalTimeForm):
    time_fields = ("departed_at", "arrived_at")
    to_facility = forms.ChoiceField(label=_("To facility"))
    departed_at = _dt(_("Left at (local time here)"))
    arrived_at = _dt(_("Arrived at (local time here; leave empty while in transit)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ArriveForm(LocalTimeForm):
    time_fields = ("arrived_at",)
    arrived_at = _dt(_("Arrived at (local time)"))


class ReleaseForm(LocalTimeForm):
    time_fields = ("released_at",)
    released_at = _dt(_("Released at (local time)"))
    destination_city = forms.CharField(label=_("Destination city"), max_length=100)
    destination_region = forms.CharField(label=_("State or region"), max_length=60, required=False)
    sponsor_name = forms.CharField(label=_("Sponsor or contact"), max_length=150, required=False)
    sponsor_relationship = forms.CharField(label=_("Relationship"), max_length=60, required=False)
    sponsor_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address, if known"), max_length=300, required=False)
    documents_issued = forms.MultipleChoiceField(label=_("Documents issued"), required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 choices=[(d, d.replace("_", " ").capitalize())
                                                          for d in DOCUMENTS_ISSUED])
    programme = forms.CharField(label=_("Case-management programme at the destination"), max_length=150,
                                required=False)
    provider = forms.ChoiceField(label=_("Programme run by"), required=False)


class ExitForm(LocalTimeForm):
    time_fields = ("at",)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(CustodyOutcome.RETURNED, CustodyOutcome.RETURNED.label),
                                                             (CustodyOutcome.OTHER, CustodyOutcome.OTHER.label)])
    at = _dt(_("At (local time)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ScreeningForm(LocalTimeForm):
    time_fields = ("occurred_at", "isolation_until")
    kind = forms.ChoiceField(label=_("Screening or service"), choices=ScreeningKind.choices)
    occurred_at = _dt(_("When (local time)"))
    test_result = forms.ChoiceField(label=_("Test result (health screening)"), required=False,
                                    choices=[("", "—"), *TestResult.choices])
    findings = forms.CharField(label=_("Findings (health data: shown only to health staff)"), required=False,
                               max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    isolation_until = _dt(_("Isolation until (local time)"), required=False)
    referral_needed = forms.BooleanField(label=_("Needs a referral"), required=False)
    provider = forms.ChoiceField(label=_("Provider (legal orientation)"), required=False)
    language = forms.CharField(label=_("Language interpreted"), max_length=40, required=False)


class SponsorForm(forms.Form):
    sponsor_status = forms.ChoiceField(label=_("Sponsor search"), choices=SponsorStatus.choices)


class BreachForm(forms.Form):
    rule_id = forms.CharField(widget=forms.HiddenInput, max_length=40)
    reason_code = forms.ChoiceField(label=_("Reason"), choices=BreachReason.choices)
    reason = forms.CharField(label=_("What happened"), max_length=500)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Not accept"))])
    shelter = forms.ChoiceField(label=_("Shelter"), required=False)
    decline_reason = forms.ChoiceField(label=_("Reason for not accepting"), required=False,
                                       choices=[("", "—"), *DeclineReason.choices])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PlacementForm(LocalTimeForm):
    time_fields = ("departed_at", "arrived_at")
    departed_at = _dt(_("Left federal custody at (local time)"))
    arrived_at = _dt(_("Arrived at the shelter at (local time)"))


class BedsForm(forms.Form):
    capacity_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    available = forms.IntegerField(label=_("Free beds now"), min_value=-10**6, max_value=10**6)
