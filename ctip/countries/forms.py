from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.forms import CountryField
from ctip.countries.codes import INSTRUMENT_CHOICES, RESPONSE_MEASURES, Criminalization

YES_NO_UNKNOWN = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class TreatyImportForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"), choices=INSTRUMENT_CHOICES)
    file = forms.FileField(
        label=_("Status table (CSV, XLSX or JSON in the UN Treaty Collection's columns)")
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("e.g. UN Treaty Collection, status as at 1 November 2026"),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check only"), required=False)


class ResponseImportForm(forms.Form):
    file = forms.FileField(label=_("National response (CSV, XLSX or JSON)"))
    dry_run = forms.BooleanField(label=_("Dry run: check only"), required=False)


class ResponseForm(forms.Form):
    """Renders the fields; `ctip.countries.services.clean_response` is the one validation."""

    country = CountryField(label=_("Country"))
    year = forms.CharField(label=_("Year"), max_length=4)
    criminalization = forms.ChoiceField(
        label=_("Criminalization of trafficking"),
        choices=[("", _("Unknown")), *Criminalization.choices],
        required=False,
    )
    legislation = forms.CharField(
        label=_("Legislation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name, label in RESPONSE_MEASURES.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=YES_NO_UNKNOWN, required=False
            )
        self.order_fields(
            ["country", "year", "criminalization", "legislation", *RESPONSE_MEASURES, "source"]
        )
