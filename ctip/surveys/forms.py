"""Forms render the fields; `ctip.surveys.services` holds the one validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.surveys.codes import Breakdown, Experience


class SurveyForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), widget=forms.CheckboxSelectMultiple, required=False
    )
    breakdowns = forms.MultipleChoiceField(
        label=_("Breakdowns"),
        choices=Breakdown.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_n = forms.CharField(label=_("Fewest respondents for a published estimate"), initial="30")
    current_wave = forms.CharField(label=_("Current wave"), max_length=40, initial="1")

    def __init__(self, *args: Any, bank: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (i.code, f"{i.code}: {i.question}") for i in bank
        ]


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    question = forms.CharField(label=_("Question (answered yes or no)"), max_length=300)
    experience = forms.ChoiceField(label=_("Whose experience"), choices=Experience.choices)


class ResponsesForm(forms.Form):
    file = forms.FileField(
        label=_("Responses (one row per respondent) or a KoBoToolbox / ODK export of the form")
    )
    wave = forms.CharField(
        label=_("Wave (for an export of the form)"), required=False, max_length=40
    )
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


class EstimatesForm(forms.Form):
    by = forms.ChoiceField(label=_("Break down by"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, *args: Any, breakdowns: Any = (), outcomes: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(Breakdown.choices)
        self.fields["by"].choices = [  # type: ignore[attr-defined]
            ("", _("Everyone")),
            *((b, labels.get(b, b)) for b in breakdowns),
        ]
        self.fields["indicator"].choices = [(o, o) for o in outcomes]  # type: ignore[attr-defined]
