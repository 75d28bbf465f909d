from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.caselaw.codes import EvidentialIssue, Instance, Language, LegalSystem, Scope, Verdict
from ctip.caselaw.exports import yes_no
from ctip.core.codes import FormOfExploitation
from ctip.core.forms import CountriesField, CountryField, DateInput


class DecisionForm(forms.Form):
    """Renders the fields; `ctip.caselaw.services.clean_decision` is the one validation."""

    title = forms.CharField(label=_("Short title"), max_length=300)
    country = CountryField(label=_("Country"), required=False)
    international_body = forms.CharField(label=_("or international court or body"), required=False)
    court = forms.CharField(label=_("Court"), max_length=300)
    legal_system = forms.ChoiceField(
        label=_("Legal system"), choices=[("", "—"), *LegalSystem.choices], required=False
    )
    instance = forms.ChoiceField(label=_("Latest ruling"), choices=Instance.choices)
    decision_date = forms.CharField(label=_("Date of the decision"), widget=DateInput())
    case_number = forms.CharField(label=_("Case number"), required=False)
    language = forms.ChoiceField(label=_("Language of the decision"), choices=Language.choices)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    charges = forms.CharField(
        label=_("Charges, one per line: legislation | charge | verdict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sentences = forms.CharField(
        label=_("Sentences"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    victims_count = forms.CharField(label=_("Victims: number"), required=False)
    victims_female = forms.CharField(label=_("of whom female"), required=False)
    victims_male = forms.CharField(label=_("of whom male"), required=False)
    victims_children = forms.CharField(label=_("of whom children"), required=False)
    victim_nationalities = CountriesField(label=_("Victims' nationalities"), required=False)
    defendants_count = forms.CharField(label=_("Defendants: number"), required=False)
    defendants_female = forms.CharField(label=_("of whom female"), required=False)
    defendants_male = forms.CharField(label=_("of whom male"), required=False)
    defendant_nationalities = CountriesField(label=_("Defendants' nationalities"), required=False)
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=FormOfExploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    acts = forms.CharField(label=_("Acts"), required=False)
    means = forms.CharField(label=_("Means"), required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False)
    scope = forms.ChoiceField(label=_("Transnational or internal"), choices=Scope.choices)
    organised_crime = forms.ChoiceField(
        label=_("Organised criminal group involved"),
        choices=[("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    conflict_related = forms.BooleanField(label=_("Conflict-related"), required=False)
    conflict_situation = forms.CharField(label=_("Conflict situation (name)"), required=False)
    fact_summary = forms.CharField(
        label=_("Summary of the facts"), widget=forms.Textarea(attrs={"rows": 6})
    )
    legal_reasoning = forms.CharField(
        label=_("Legal reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    commentary = forms.CharField(
        label=_("Commentary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = forms.CharField(label=_("Keywords (separated by “;”)"), required=False)
    evidential_issues = forms.MultipleChoiceField(
        label=_("Evidential issues (digest)"),
        choices=EvidentialIssue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sources = forms.CharField(
        label=_("Source documents (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def initial_from(decision) -> dict:  # type: ignore[no-untyped-def]
    """The form's values for an existing decision."""
    data = {
        name: getattr(decision, name)
        for name in DecisionForm.base_fields
        if hasattr(decision, name)
    }
    data.update(
        country=decision.country_id or "",
        decision_date=decision.decision_date.isoformat(),
        charges="\n".join(
            f"{c['legislation']} | {c['charge']} | {c['verdict']}" for c in decision.charges
        ),
        forms_of_exploitation=decision.forms,
        evidential_issues=decision.issues,
        keywords="; ".join(decision.keywords),
        organised_crime=yes_no(decision.organised_crime),
        conflict_situation=decision.conflict_situation.name if decision.conflict_situation else "",
    )
    for group in ("victims", "defendants"):
        for part, value in getattr(decision, group).items():
            data[f"{group}_{part}"] = value
    return data
