"""Forms render the fields; `ctip.incidents.services` holds the one validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.forms import CountryField, DateInput
from ctip.incidents.codes import (
    AbducteeStatus,
    Annex,
    PartyKind,
    Reliability,
    Verification,
    VerificationBasis,
    VictimGroup,
    Violation,
)

DATE = DateInput()
AREA = forms.Textarea(attrs={"rows": 4})
SOURCES = 3  # source fields on the page; the API takes up to 20
DECISIONS = [
    (c, label)
    for c, label in Verification.choices
    if c in {"verified", "not_verified", "unverifiable"}
]


def _situation_choices(situations: Any) -> list[tuple[str, str]]:
    return [("", "—"), *((str(s.pk), s.name) for s in situations)]


class IncidentForm(forms.Form):
    situation = forms.ChoiceField(label=_("Conflict situation"))
    date = forms.CharField(label=_("Date (or first possible date)"), widget=DATE)
    date_to = forms.CharField(
        label=_("Last possible date, if uncertain"), required=False, widget=DATE
    )
    country = CountryField(label=_("Country"))
    admin1 = forms.CharField(
        label=_("First-level administrative area"), required=False, max_length=100
    )
    latitude = forms.CharField(label=_("Latitude (optional)"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Longitude (optional)"), required=False, max_length=20)
    violations = forms.MultipleChoiceField(  # required: the service says so with the rest
        label=_("Violations"),
        choices=Violation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    party = forms.CharField(
        label=_("Perpetrator (a party's name or alias; empty if unknown)"),
        required=False,
        max_length=200,
    )
    girls = forms.CharField(label=VictimGroup.GIRLS.label, required=False, initial="0")
    boys = forms.CharField(label=VictimGroup.BOYS.label, required=False, initial="0")
    women = forms.CharField(label=VictimGroup.WOMEN.label, required=False, initial="0")
    men = forms.CharField(label=VictimGroup.MEN.label, required=False, initial="0")
    unknown_sex = forms.CharField(label=VictimGroup.UNKNOWN.label, required=False, initial="0")
    narrative = forms.CharField(label=_("Narrative (encrypted)"), required=False, widget=AREA)

    def __init__(
        self, *args: Any, situations: Any = (), details: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = _situation_choices(situations)  # type: ignore[attr-defined]
        if not details:  # a correction leaves the narrative and the sources as recorded
            del self.fields["narrative"]
            return
        for n in range(1, SOURCES + 1):
            self.fields[f"source_{n}"] = forms.CharField(
                label=_("Source %(n)s (encrypted)") % {"n": n}, required=False, max_length=2000
            )
            self.fields[f"reliability_{n}"] = forms.ChoiceField(
                label=_("Reliability of source %(n)s") % {"n": n},
                choices=Reliability.choices,
                initial=Reliability.UNKNOWN,
                required=False,
            )

    def raw(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "narrative" not in self.fields:
            return data
        data["sources"] = [
            {"source": data.pop(f"source_{n}", ""), "reliability": data.pop(f"reliability_{n}", "")}
            for n in range(1, SOURCES + 1)
        ]
        return data


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    basis = forms.ChoiceField(label=_("Basis"), choices=VerificationBasis.choices)
    decided_on = forms.CharField(label=_("Date of the decision"), widget=DATE)
    note = forms.CharField(label=_("Note (encrypted)"), required=False, widget=AREA)


class AbducteeForm(forms.Form):
    group = forms.ChoiceField(label=_("Sex and age"), choices=VictimGroup.choices)
    names = forms.CharField(label=_("Names (encrypted)"), required=False, max_length=500)
    date_of_birth = forms.CharField(
        label=_("Date of birth (encrypted)"), required=False, max_length=40
    )
    notes = forms.CharField(label=_("Notes (encrypted)"), required=False, widget=AREA)


class AbducteeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AbducteeStatus.choices)
    status_on = forms.CharField(label=_("Since"), widget=DATE)
    held_by = forms.CharField(label=_("Held by (party)"), required=False, max_length=200)


class ReferForm(forms.Form):
    to_entity = forms.ChoiceField(label=_("Refer to"))
    caseworker = forms.ChoiceField(label=_("Caseworker (in your own entity)"), required=False)
    consent_referral = forms.BooleanField(label=_("The person consents to the referral"))
    consent_sharing = forms.BooleanField(
        label=_("The person consents to their identity going to another entity"), required=False
    )
    consent_date = forms.CharField(label=_("Date of consent"), widget=DATE)

    def __init__(
        self, *args: Any, entities: Any = (), caseworkers: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_entity"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} — {e.name}") for e in entities
        ]
        self.fields["caseworker"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(u.pk), u.full_name) for u in caseworkers),
        ]


class PartyForm(forms.Form):
    situation = forms.ChoiceField(label=_("Conflict situation"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices)
    aliases = forms.CharField(
        label=_("Aliases (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, situations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = _situation_choices(situations)  # type: ignore[attr-defined]


class ListingForm(forms.Form):
    annex = forms.ChoiceField(label=_("Annex"), choices=Annex.choices)
    year = forms.CharField(label=_("Year of the report"), max_length=4)
    violations = forms.MultipleChoiceField(
        label=_("Listed for"), choices=Violation.choices, widget=forms.CheckboxSelectMultiple
    )
    measures_in_place = forms.BooleanField(
        label=_("Has put measures in place (section B)"), required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_(
            "CTIP incident template (CSV or XLSX), or a KoBoToolbox / ODK export of the "
            "incident form"
        )
    )
    create_parties = forms.BooleanField(
        label=_("Add parties the register does not know (otherwise they are errors)"),
        required=False,
    )
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False, initial=True)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the round"), min_value=2000, max_value=2100)
    linkage_secret = forms.CharField(
        label=_("The round's linkage secret (used, never kept)"),
        widget=forms.PasswordInput,
        max_length=500,
    )
