from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.forms import CountryField, DateInput
from ctip.statistics.disclosure import MAX_EPSILON, MIN_EPSILON

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Reference year"), min_value=1990, max_value=2100)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        return deadline


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    layout = forms.ChoiceField(
        label=_("Layout"),
        required=False,
        choices=[
            ("", _("Detect from the columns")),
            ("ctip", _("CTIP template")),
            ("ctdc", _("CTDC global dataset")),
            ("unodc", _("dataUNODC long format")),
            ("sdmx-csv", _("SDMX-CSV (SDG 16.2.2)")),
        ],
    )
    country = CountryField(label=_("Country of detection for rows without one"), required=False)
    import_at_once = forms.BooleanField(
        label=_("Import at once if every row is valid (for large files: no second step)"),
        required=False,
        initial=False,
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[
            ("", _("UTF-8 or UTF-16 (detected)")),
            ("latin-1", _("Latin-1 (Western European, older Excel)")),
        ],
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 500 MB."))
        return upload


class StartSubmissionForm(forms.Form):
    country = CountryField(label=_("Country of detection"))


class ExpectForm(forms.Form):
    """Who is expected to report which country of detection (the entity is a select)."""

    country = CountryField(label=_("Country of detection"))


class CitizenshipForm(forms.Form):
    """A country of citizenship to add to the grid's citizenship tab."""

    add = CountryField(label=_("Add a country of citizenship"))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ExplainForm(CommentForm):
    rule = forms.CharField(widget=forms.HiddenInput, max_length=60)
    cell = forms.CharField(widget=forms.HiddenInput, max_length=200)


class PublishForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Suppress cells below"), min_value=2, max_value=100, initial=5
    )
    epsilon = forms.FloatField(
        label=_("Also publish a differentially private table with ε ="),
        required=False,
        min_value=MIN_EPSILON,
        max_value=MAX_EPSILON,
        help_text=_("Optional, at most 1. Smaller ε: more noise, stronger privacy."),
    )


class ConfirmPublishForm(PublishForm):
    """The publication of what the preview showed: its version and submissions."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    submissions = forms.RegexField(
        widget=forms.HiddenInput, regex=r"^\d+(,\d+)*$", max_length=20000
    )

    def previewed(self) -> tuple[int, list[int]]:
        ids = [int(n) for n in self.cleaned_data["submissions"].split(",")]
        return self.cleaned_data["version"], ids
