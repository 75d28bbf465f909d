import functools
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ctip.core.codes import EntityKind, Role
from ctip.core.models import Country, Entity
from ctip.core.reference import (
    country_choices,
    country_code_from_text,
    country_name,
    country_name_for_code,
    un_country_names,
)
from ctip.core.values import split_items


def blank_form(form_class: type[forms.Form]) -> SafeString:
    """An empty form's markup in the reader's language: labels and inputs, no value, nobody's
    data. Rendered once per language and process, not at every view (a list of every country
    is most of a page's time). Only for forms whose fields name no user's data; reference
    data (countries) changes only with a deployment, which restarts the processes."""
    return _blank_form(form_class, translation.get_language() or "")


@functools.cache
def _blank_form(form_class: type[forms.Form], language: str) -> SafeString:
    return form_class().as_div()


class DateInput(forms.DateInput):
    """An HTML date picker. Its value must be ISO (2026-11-29) in every language: a localised
    format such as 2026/11/29 is silently dropped by the browser."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _picked(code: str) -> str:
    """How a chosen country reads in the box and in the list: “Iraq (IRQ)”."""
    return f"{country_name_for_code(code)} ({code})"


class CountryInput(forms.TextInput):
    """A text box with the countries' UN names in the user's language as suggestions (an HTML
    `<datalist>`: the browser filters it as one types a name or a code; no script needed)."""

    template_name = "core/widgets/country_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        text = str(value or "").strip()
        if text.upper() in un_country_names():
            return _picked(text.upper())
        return text or None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-countries"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["countries"] = [_picked(code) for code, _name in country_choices()]
        return context


class CountryField(forms.CharField):
    """One country, picked by its name in the user's language or typed as an ISO alpha-3
    code. The cleaned value is the alpha-3 code ("IRQ"), or "" when left empty."""

    widget = CountryInput
    default_error_messages = {
        "unknown": _(
            "“%(value)s” is not a country in the list. Choose one from the list, or type its "
            "three-letter ISO code, e.g. IRQ."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Type a few letters of the name, or the ISO code (e.g. IRQ).")
        )
        super().__init__(max_length=200, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        code = country_code_from_text(text)
        if code is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return code


class CountriesInput(forms.TextInput):
    """Several countries in one box, separated by “;”, shown by name."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        items = split_items(value)
        known = un_country_names()
        shown = [country_name_for_code(i.upper()) if i.upper() in known else i for i in items]
        return "; ".join(shown) or None


class CountriesField(forms.CharField):
    """Countries by name in any UN language or by ISO alpha-3 code, separated by “;”. The
    cleaned value is the codes joined by “;” ("IRQ;NGA"), as the services take them."""

    widget = CountriesInput
    default_error_messages = {
        "unknown": _(
            "Not countries in the list: %(values)s. Write UN names or three-letter ISO codes, "
            "separated by “;”."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Names or ISO codes, separated by “;”, e.g. Iraq; NGA."))
        super().__init__(max_length=4000, **kwargs)

    def to_python(self, value: Any) -> str:
        items = split_items(super().to_python(value))
        codes = {item: country_code_from_text(item) for item in items}
        unknown = [item for item, code in codes.items() if code is None]
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"values": "; ".join(f"“{item}”" for item in unknown)},
            )
        return ";".join(sorted({code for code in codes.values() if code}))


class CountryModelChoiceField(forms.ModelChoiceField):
    """A `<select>` of Country rows labelled with their UN names in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        return country_name(obj)


class CountryModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return country_name(obj)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "The email or password is not correct. Accounts lock after repeated failures."
        ),
        "inactive": _("This account is inactive."),
    }


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput, min_length=12
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class EntityForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EntityKind.choices)
    country = CountryModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )


class UserForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, min_length=12
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ConflictSituationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    countries = CountryModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all()
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=254)
    entity = forms.CharField(label=_("Entity code"), required=False, max_length=20)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from ctip.core.audit import action_choices

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]  # type: ignore[attr-defined]
