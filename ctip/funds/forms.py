"""Forms render the fields; `ctip.funds.services` holds the one validation."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.cases.codes import ServiceType
from ctip.core.codes import AgeGroup, FormOfExploitation, Sex
from ctip.core.forms import CountryField
from ctip.funds.codes import Decision, GrantStatus, Purpose, TargetGroup
from ctip.funds.services import PARTS


class FundForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)


class GrantForm(forms.Form):
    grant_id = forms.CharField(label=_("Grant id"), max_length=100)
    grantee = forms.CharField(label=_("Grantee"), max_length=200)
    country = CountryField(label=_("Country"))
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=GrantStatus.choices)


class GrantsFileForm(forms.Form):
    file = forms.FileField(label=_("Grants file (CSV or XLSX)"))


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ProposalForm(forms.Form):
    call = forms.ChoiceField(label=_("Call for proposals"))
    applicant = forms.CharField(label=_("Applicant (NGO)"), max_length=200)
    applicant_entity = forms.CharField(
        label=_("Its code in CTIP, if it records its cases here"), max_length=20, required=False
    )
    country = CountryField(label=_("Country"))
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, calls: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [(c.pk, c.title) for c in calls]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0-100)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


PART_LABELS = {
    "by_sex": _("By sex"),
    "by_age": _("By age"),
    "by_form": _("By form of exploitation"),
    "by_service": _("By service"),
}


class ReportForm(forms.Form):
    """Victims assisted and the four breakdowns, one number field per code."""

    victims = forms.IntegerField(label=_("Victims assisted (each counted once)"), min_value=0)
    narrative = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {
            "by_sex": dict(Sex.choices),
            "by_age": dict(AgeGroup.choices),
            "by_form": dict(FormOfExploitation.choices),
            "by_service": dict(ServiceType.choices),
        }
        for part, codes in PARTS.items():
            for code in codes:
                self.fields[f"{part}.{code}"] = forms.IntegerField(
                    label=names[part].get(code, code), min_value=0, required=False
                )

    def parts(self) -> list[tuple[Any, list[Any]]]:
        return [(PART_LABELS[p], [self[f"{p}.{c}"] for c in codes]) for p, codes in PARTS.items()]

    def figures(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "victims": data["victims"],
            "narrative": data.get("narrative", ""),
            **{p: {c: data.get(f"{p}.{c}") or 0 for c in codes} for p, codes in PARTS.items()},
        }


class InstalmentForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Amount"), max_length=30)


class DisbursementForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Amount"), max_length=30)
    usd_rate = forms.CharField(
        label=_("US dollars per unit (UN operational rate), if not in dollars"),
        max_length=20,
        required=False,
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)
