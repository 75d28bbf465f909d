"""Forms render the fields; `ctip.warning.services` holds the one validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.warning import framework

SCORE_CHOICES = [("", _("not known")), *((str(k), f"{k}: {v}") for k, v in framework.SCALE.items())]


def field_of(code: str, part: str) -> str:
    """The form field of an indicator's part: '1.x', 'score' -> 'score_1_x'."""
    return f"{part}_{code.replace('.', '_')}"


class AssessmentForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, initial_scores: dict[str, int | None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        for indicator in framework.SCORED:
            known = (initial_scores or {}).get(indicator.code)
            self.fields[field_of(indicator.code, "score")] = forms.ChoiceField(
                label=str(indicator.name),
                choices=SCORE_CHOICES,
                required=False,
                initial="" if known is None else str(known),
                help_text=str(indicator.definition),
            )
            self.fields[field_of(indicator.code, "evidence")] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[field_of(indicator.code, "sources")] = forms.CharField(
                label=_("Sources"), required=False, max_length=5000
            )

    def groups(self) -> list[tuple[Any, list[tuple[Any, Any, Any]]]]:
        """Per risk factor, each person-scored indicator's three bound fields."""
        found = []
        for factor in framework.FACTORS:
            rows = [
                tuple(self[field_of(i.code, part)] for part in ("score", "evidence", "sources"))
                for i in framework.indicators_of(factor.code)
                if not i.computed
            ]
            if rows:
                found.append((factor, rows))
        return found  # type: ignore[return-value]

    def scores(self) -> dict[str, dict[str, Any]]:
        return {
            i.code: {
                part: self.cleaned_data.get(field_of(i.code, part))
                for part in ("score", "evidence", "sources")
            }
            for i in framework.SCORED
        }

    def field_for_error(self, key: str) -> str | None:
        """A service error names an indicator code: put it on that indicator's score."""
        if key in framework.INDICATORS_BY_CODE:
            return field_of(key, "score")
        return key if key in self.fields else None


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class WatchForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"))
    user = forms.ChoiceField(label=_("Watcher"))

    def __init__(self, *args: Any, situations: Any = (), people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = [(s.pk, s.name) for s in situations]  # type: ignore[attr-defined]
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.email} ({u.get_role_display()}, {u.entity.code if u.entity else '-'})")
            for u in people
        ]
