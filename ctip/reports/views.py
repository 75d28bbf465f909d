"""Pages of the annual report: its texts by section and language, and its builds."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.views.pages import add_errors
from ctip.reports import figures, policies, selectors, services
from ctip.reports.codes import OutputFormat, Section
from ctip.reports.tasks import build_report


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
        max_length=services.MAX_TEXT_CHARS,
        help_text=gettext_lazy(
            "Paragraphs are separated by a blank line. Write a figure as its name in braces, "
            "such as {victims_detected}: the report prints the published value, with its source."
        ),
    )


class BuildForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=[])
    output = forms.ChoiceField(label=gettext_lazy("Format"), choices=OutputFormat.choices)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]


def _author(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    policies.require_author(user)
    return user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _author(request)
    return render(request, "reports/index.html", {"years": selectors.report_years()})


@login_required
def year_page(request: HttpRequest, year: int) -> HttpResponse:
    user = _author(request)
    selectors.require_year(year)
    found = {(n.section, n.language): n for n in selectors.narratives(user=user, year=year)}
    from django.conf import settings

    grid = [
        (section, [(code, found.get((section.value, code))) for code, _name in settings.LANGUAGES])
        for section in Section
    ]
    return render(
        request,
        "reports/year.html",
        {"year": year, "grid": grid, "report_languages": settings.LANGUAGES, "form": BuildForm()},
    )


@login_required
@require_POST
def build(request: HttpRequest, year: int) -> HttpResponse:
    user = _author(request)
    selectors.require_year(year)
    form = BuildForm(request.POST)
    if form.is_valid():
        try:
            job = services.report_build_start(
                actor=user,
                year=year,
                language=form.cleaned_data["language"],
                output=form.cleaned_data["output"],
                task=build_report,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("core:job_detail", job_id=job.pk)
    else:
        messages.error(request, _("Choose a language and a format."))
    return redirect("reports:year", year=year)


def _section(section: str, language: str) -> Section:
    from django.conf import settings

    if section not in Section.values or language not in dict(settings.LANGUAGES):
        raise not_found()
    return Section(section)


@login_required
def edit(request: HttpRequest, year: int, section: str, language: str) -> HttpResponse:
    user = _author(request)
    selectors.require_year(year)
    chosen = _section(section, language)
    narrative = selectors.narrative_get(user=user, year=year, section=section, language=language)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                saved = services.narrative_save(
                    actor=user,
                    year=year,
                    section=section,
                    language=language,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved as version %(v)s, a draft until another author approves it.")
                    % {"v": saved.version},
                )
                return redirect("reports:edit", year=year, section=section, language=language)
    else:
        form = NarrativeForm(initial={"text": narrative.text if narrative else ""})
    values = _figure_values(year, chosen, language)
    return render(
        request,
        "reports/edit.html",
        {
            "year": year,
            "section": chosen,
            "language": language,
            "narrative": narrative,
            "form": form,
            "figures": values,
            "versions": selectors.narrative_versions(user=user, narrative=narrative)[:20]
            if narrative
            else [],
            "may_approve": narrative is not None and policies.may_approve(user, narrative),
        },
    )


def _figure_values(year: int, section: Section, language: str) -> list[tuple[str, str, str]]:
    """(name, value as printed, source) of the section's figures, for the author."""
    from django.utils import translation

    from ctip.reports.sections import gather_one

    with translation.override(language):
        found = gather_one(year, section)
        return [
            (name, found.figures[name].text, found.figures[name].source)
            if name in found.figures
            else (name, "—", "")
            for name in figures.names_of(section)
        ]


@login_required
@require_POST
def approve(request: HttpRequest, year: int, section: str, language: str) -> HttpResponse:
    user = _author(request)
    _section(section, language)
    narrative = selectors.narrative_get(user=user, year=year, section=section, language=language)
    if narrative is None:
        raise not_found()
    version = request.POST.get("version", "")
    try:
        services.narrative_approve(
            actor=user, narrative=narrative, version=int(version) if version.isdigit() else 0
        )
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("Approved: the report prints this version."))
    return redirect("reports:edit", year=year, section=section, language=language)
