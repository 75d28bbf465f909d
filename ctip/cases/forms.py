from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.cases.codes import (
    CASE_SEXES,
    INDICATOR_SETS,
    Answer,
    Outcome,
    RiskLevel,
    ServiceType,
    Setting,
    SharedPart,
)
from ctip.core.codes import (
    AgeBand,
    DisplacementStatus,
    FormOfExploitation,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.forms import CountryField, DateInput

DATE = DateInput()


class ScreeningForm(forms.Form):
    """Renders the questions of one indicator set; `clean_screening` validates."""

    screened_on = forms.CharField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    under_18 = forms.ChoiceField(
        label=_("Is the person under 18?"),
        choices=[("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    indicator_set = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator_set: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        chosen = INDICATOR_SETS[indicator_set]
        self.fields["indicator_set"].initial = indicator_set
        for question in chosen.questions:
            self.fields[f"{indicator_set}_{question.code}"] = forms.ChoiceField(
                label=question.text,  # type: ignore[arg-type]
                choices=Answer.choices,
                initial=Answer.UNKNOWN,
                required=False,
                widget=forms.RadioSelect,
            )
        # no default: the screener chooses (clean_screening checks it against the answers)
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Outcome"), choices=[("", _("— choose —")), *Outcome.choices]
        )
        self.fields["reason"] = forms.CharField(
            label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["open_case"] = forms.BooleanField(
            label=_("Open a case now (presumed victims)"), required=False
        )


class CaseForm(forms.Form):
    names = forms.CharField(label=_("Names (encrypted)"), required=False, max_length=500)
    date_of_birth = forms.CharField(label=_("Date of birth (encrypted)"), required=False)
    contacts = forms.CharField(
        label=_("Contacts (encrypted)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = forms.CharField(
        label=_("Identity documents (encrypted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    narrative = forms.CharField(
        label=_("Narrative (encrypted)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=CASE_SEXES, initial=Sex.UNKNOWN, required=False)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN, required=False
    )
    citizenship = CountryField(label=_("Citizenship"), required=False)
    country_of_detection = CountryField(
        label=_("Country where identified (your entity's by default)"), required=False
    )
    identified_on = forms.CharField(label=_("Identified on"), required=False, widget=DATE)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=200)
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruiter_relation = forms.ChoiceField(
        label=_("Recruiter"),
        choices=[("", "—"), *RecruiterRelation.choices],
        required=False,
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=TraffickingStatus.choices, required=False
    )
    status_decided_by = forms.ChoiceField(
        label=_("Status decided by"), choices=[("", "—"), *StatusDecidedBy.choices], required=False
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM, required=False
    )
    displacement_status = forms.ChoiceField(
        label=_("Displacement status"),
        choices=DisplacementStatus.choices,
        initial=DisplacementStatus.UNKNOWN,
        required=False,
    )
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=FormOfExploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_sharing = forms.BooleanField(label=_("Consents to data sharing"), required=False)
    consent_referral = forms.BooleanField(label=_("Consents to referral"), required=False)
    consent_statistics = forms.BooleanField(
        label=_("Consents to inclusion in statistics"), required=False
    )
    consent_date = forms.CharField(label=_("Date of consent"), required=False, widget=DATE)
    consent_scope = forms.CharField(label=_("Scope of consent"), required=False, max_length=300)
    best_interests = forms.CharField(
        label=_("Best-interests assessment, for a child (encrypted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    non_punishment = forms.BooleanField(
        label=_("Non-punishment applies (acts the person was compelled to commit)"),
        required=False,
    )
    conflict_situation = forms.ChoiceField(label=_("Conflict situation"), required=False)
    caseworker = forms.ChoiceField(label=_("Caseworker"), required=False)

    def __init__(self, *args, caseworkers=(), **kwargs):  # type: ignore[no-untyped-def]
        from ctip.core.models import ConflictSituation

        super().__init__(*args, **kwargs)
        self.fields["conflict_situation"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(c.pk), c.name) for c in ConflictSituation.objects.order_by("name")),
        ]
        self.fields["caseworker"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(u.pk), u.full_name) for u in caseworkers),
        ]


class CaseEditForm(CaseForm):
    """Every field of the opening form but the caseworker (assigned by a focal point)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        del self.fields["caseworker"]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (encrypted)"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    due_on = forms.CharField(label=_("Due on"), widget=DATE)
    what = forms.CharField(label=_("What is to be done (encrypted)"), max_length=1_000)


class AttachmentForm(forms.Form):
    """Renders the upload; `attachment_add` checks the file by its content."""

    file = forms.FileField(
        label=_("File: PDF, JPEG, PNG or plain text"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png"}
        ),
    )
    description = forms.CharField(
        label=_("Description (encrypted)"), max_length=1_000, required=False
    )


class ReferralForm(forms.Form):
    to_entity = forms.ChoiceField(label=_("Provider"))
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple
    )
    parts = forms.MultipleChoiceField(
        label=_("Share with the provider"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, providers=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["to_entity"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} — {e.name}") for e in providers
        ]


class ServiceForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    started_on = forms.CharField(label=_("Started on"), widget=DATE)
    ended_on = forms.CharField(label=_("Ended on"), required=False, widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=500)


class OfferForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    country = CountryField(label=_("Country"))
    area = forms.CharField(label=_("Area"), required=False, max_length=200)


class TipForm(forms.Form):
    entity = forms.ChoiceField(label=_("Who should receive it?"))
    what = forms.CharField(
        label=_("What did you see or hear?"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    where = forms.CharField(label=_("Where (if you can say)"), required=False, max_length=500)
    contact = forms.CharField(
        label=_("How to reach you, if you wish (leave empty to stay anonymous)"),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, entities=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} — {e.name}") for e in entities
        ]
