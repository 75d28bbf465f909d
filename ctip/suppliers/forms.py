"""Forms render the fields; `ctip.suppliers.services` holds the one validation."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.forms import CountryField
from ctip.suppliers.codes import CODE_VERSION, FlagKind, Outcome, Sector


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class SupplierForm(forms.Form):
    ungm_number = forms.CharField(label=_("UNGM number"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = CountryField(label=_("Country"))
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)


class SuppliersFileForm(forms.Form):
    file = forms.FileField(label=_("Suppliers file (CSV or XLSX)"))


class CodeForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=20, initial=CODE_VERSION)
    accepted_on = _date(_("Accepted on"))
    signed_by = forms.CharField(label=_("Signed by"), max_length=200)


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FlagKind.choices)
    detail = forms.CharField(label=_("Detail"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("Source"), max_length=300)


class CheckForm(forms.Form):
    checked_on = _date(_("Checked on"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    expires_on = _date(_("Valid until"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ContractForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    awarded_on = _date(_("Awarded on"))
    value = forms.CharField(label=_("Value"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
