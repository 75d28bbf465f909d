"""Forms render the fields; `ctip.funds.services` holds the one validation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.funds.codes import GrantStatus, Purpose


class FundForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)


class GrantForm(forms.Form):
    grant_id = forms.CharField(label=_("Grant id"), max_length=100)
    grantee = forms.CharField(label=_("Grantee"), max_length=200)
    country = forms.CharField(label=_("Country (ISO alpha-3)"), max_length=3)
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=GrantStatus.choices)


class GrantsFileForm(forms.Form):
    file = forms.FileField(label=_("Grants file (CSV or XLSX)"))
