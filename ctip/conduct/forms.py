"""Forms render the fields; `ctip.conduct.services` holds the one validation."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.conduct.codes import (
    Category,
    Channel,
    CustodyAction,
    InvestigatingBody,
    Measure,
    Outcome,
    PersonnelCategory,
)
from ctip.core.codes import AgeBand, Sex
from ctip.core.forms import CountryField, DateInput
from ctip.core.reference import country_name_for_code

DATE = DateInput()
AREA = forms.Textarea(attrs={"rows": 3})
UNIT_HELP = _("Pick a registered unit or type it; a unit not yet registered is added.")


class UnitInput(forms.TextInput):
    """A text box with the entity's registered units as suggestions (an HTML `<datalist>`,
    each with its contingent's nationality; no script). What is typed is matched to the
    register when saved, however it is spelled."""

    template_name = "conduct/widgets/unit_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.units: list[tuple[str, str | None]] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-units"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["units"] = [
            (unit, country_name_for_code(code) if code else "") for unit, code in self.units
        ]
        return context


class UnitField(forms.CharField):
    widget = UnitInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", UNIT_HELP)
        super().__init__(max_length=120, **kwargs)


def suggest_units(form: forms.Form, units: Any) -> None:
    """Offer `units` ((name, country code) pairs, from `selectors.unit_suggestions`)."""
    form.fields["unit"].widget.units = list(units)  # type: ignore[attr-defined]


class AllegationForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    incident_date = forms.CharField(label=_("Date of the incident"), required=False, widget=DATE)
    reported_on = forms.CharField(label=_("Date of the report"), widget=DATE)
    victims_count = forms.CharField(label=_("Number of victims"), initial="1")
    victims_minors = forms.CharField(label=_("of whom minors"), required=False)
    victims_female = forms.CharField(label=_("of whom female"), required=False)
    victims_male = forms.CharField(label=_("of whom male"), required=False)
    victim_identities = forms.CharField(
        label=_("Victims' identities (encrypted)"), required=False, widget=AREA
    )
    personnel_category = forms.ChoiceField(
        label=_("Personnel category"), choices=PersonnelCategory.choices
    )
    contingent_country = CountryField(label=_("Contingent's nationality"), required=False)
    unit = UnitField(label=_("Unit"), required=False)
    subject_identity = forms.CharField(
        label=_("Identity of the subject (encrypted)"), required=False, widget=AREA
    )
    subject_identifier = forms.CharField(
        label=_("Subject's personnel or identity number (kept only as a keyed hash, for vetting)"),
        required=False,
        max_length=200,
    )
    account = forms.CharField(label=_("What happened (encrypted)"), required=False, widget=AREA)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggest_units(self, units)


class PublicReportForm(forms.Form):
    entity = forms.ChoiceField(label=_("Which mission or organisation?"))
    category = forms.ChoiceField(label=_("What happened?"), choices=Category.choices)
    personnel_category = forms.ChoiceField(
        label=_("Who was involved?"), choices=PersonnelCategory.choices
    )
    incident_date = forms.CharField(label=_("When (if you know)"), required=False, widget=DATE)
    victims_count = forms.CharField(label=_("How many people were harmed?"), initial="1")
    victims_minors = forms.CharField(label=_("How many of them are children?"), required=False)
    account = forms.CharField(
        label=_("Tell us what happened, where, and how to reach you if you wish"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, entities=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} — {e.name}") for e in entities
        ]


class InvestigationForm(forms.Form):
    body = forms.ChoiceField(label=_("Investigating body"), choices=InvestigatingBody.choices)
    referred_on = forms.CharField(label=_("Referred on"), widget=DATE)
    started_on = forms.CharField(label=_("Started on"), required=False, widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    finished_on = forms.CharField(label=_("Finished on"), required=False, widget=DATE)
    measures = forms.MultipleChoiceField(
        label=_("Actions taken"),
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interim_measures = forms.MultipleChoiceField(
        label=_("Interim measures"),
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paternity_claims = forms.CharField(label=_("Paternity or child-support claims"), required=False)
    victim_referral = forms.CharField(
        label=_("Victim assistance (referral)"), required=False, max_length=300
    )


class ExtendForm(forms.Form):
    days = forms.CharField(label=_("Extension in days"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CustodyForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    action = forms.ChoiceField(label=_("Action"), choices=CustodyAction.choices)
    holder = forms.CharField(label=_("Held by"), max_length=200)
    at = forms.CharField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class VettingForm(forms.Form):
    identifier = forms.CharField(label=_("Personnel or identity number"), max_length=200)
    purpose = forms.CharField(label=_("Purpose (e.g. deployment to a mission)"), required=False)


class CertificationForm(forms.Form):
    country = CountryField(label=_("Contributing country"))
    unit = UnitField(label=_("Unit"))
    deployed_on = forms.CharField(label=_("Deployed on"), widget=DATE)
    personnel = forms.CharField(label=_("Personnel deployed"), required=False)
    training_done = forms.BooleanField(label=_("Pre-deployment training done"), required=False)
    no_prior_misconduct = forms.BooleanField(label=_("No known prior misconduct"), required=False)
    certified_on = forms.CharField(label=_("Certified on"), required=False, widget=DATE)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggest_units(self, units)


class UnitForm(forms.Form):
    """A unit to register ahead of any allegation or certification."""

    country = CountryField(label=_("Contingent's nationality"), required=False)
    name = forms.CharField(label=_("Unit, as registered"), max_length=120)


class UnitMergeForm(forms.Form):
    into = forms.ChoiceField(label=_("Merge into"))

    def __init__(self, *args: Any, candidates: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [(u.pk, u.name) for u in candidates]  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    """A victim referred to a provider the SEA trust fund pays; the identity is typed here
    and goes into the case only."""

    provider = forms.ChoiceField(label=_("Provider (paid by the trust fund)"))
    names = forms.CharField(label=_("Victim's names"), max_length=200, required=False)
    date_of_birth = forms.CharField(label=_("Date of birth"), max_length=10, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[c for c in Sex.choices if c[0] != Sex.TOTAL])
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    consent_referral = forms.BooleanField(label=_("The person consents to the referral"))
    consent_sharing = forms.BooleanField(
        label=_("… and to sharing their identity with the provider")
    )
    consent_date = forms.DateField(
        label=_("Date of consent"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, providers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, f"{p.code} — {p.name}") for p in providers]  # type: ignore[attr-defined]


class PublicYearForm(forms.Form):
    """The year of the public statistics: one of the years with figures."""

    year = forms.IntegerField(
        label=_("Year"),
        widget=forms.Select,
        error_messages={"invalid": _("Give the year as a number, such as 2025.")},
    )

    def __init__(self, *args: Any, years: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["year"].widget.choices = [(str(y), str(y)) for y in reversed(self.years)]  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year not in self.years:
            raise forms.ValidationError(
                _("There are no figures for %(year)s. Choose one of the years listed."),
                code="unknown",
                params={"year": year},
            )
        return year
