"""Pages of GLOTIP-framework reporting. Each parses input, calls a service or selector, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ctip.core.codes import AgeGroup, FormOfExploitation, Sex
from ctip.core.forms import blank_form
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.reference import country_name_for_code
from ctip.core.views.pages import add_errors
from ctip.statistics import (
    duplicates,
    expectations,
    policies,
    round_page,
    selectors,
    services,
)
from ctip.statistics.codes import (
    CATEGORY_NAMES,
    Dimension,
    Indicator,
    RoundState,
)
from ctip.statistics.exports import WRITERS, Names, export_statistics
from ctip.statistics.forms import (
    CitizenshipForm,
    CommentForm,
    ConfirmPublishForm,
    ExpectForm,
    ExplainForm,
    PublishForm,
    RoundForm,
    StartSubmissionForm,
)
from ctip.statistics.importing import records_delete
from ctip.statistics.lists import RECORDS, SUBMISSIONS
from ctip.statistics.models import PublishedRelease
from ctip.statistics.public_views import download, victim_rows

SYNC_IMPORT_BYTES = 2 * 1024 * 1024

# The grid of the aggregate table: (indicator, sex, age) rows for dimension Total.
GRID_ROWS = [
    (indicator, sex, age)
    for indicator in Indicator.values
    for sex, age in (("_T", "_T"), ("F", "_T"), ("M", "_T"), ("_T", "Y0T17"), ("_T", "Y_GE18"))
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def rounds_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.READERS)
    coordinator = policies.sees_all_entities(user)
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        policies.require(user, policies.COORDINATORS)
        if form.is_valid():
            try:
                round_ = services.round_open(actor=user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The %(year)s round is open.") % {"year": round_.year})
                return redirect("statistics:round", year=round_.year)
    return render(
        request,
        "statistics/rounds.html",
        {
            "rounds": selectors.rounds(),
            "form": form if coordinator else None,
            "trend": selectors.trend(user=user) if coordinator else [],
        },
    )


@login_required
def round_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    round_ = selectors.round_get(year=year)
    submissions = selectors.submissions_for(user=user).filter(round=round_)
    listing = list_page(
        request, submissions.select_related("entity", "country_of_detection"), SUBMISSIONS
    )
    exported = export_if_asked(request, user, listing)
    if exported:
        return exported
    can_report = policies.holds(user, policies.REPORTERS) and round_.state == RoundState.OPEN
    context: dict[str, Any] = {
        "round": round_,
        "listing": listing,
        "start_form": blank_form(StartSubmissionForm) if can_report else "",
        "can_report": can_report,
        "can_change_state": policies.holds(user, policies.COORDINATORS),
    }
    if policies.sees_all_entities(user):
        context["desk"] = round_page.desk(request, user, round_)
    return render(request, "statistics/round.html", context)


@login_required
@require_POST
def expected_view(request: HttpRequest, year: int) -> HttpResponse:
    """Analysts say who is expected to report which country of detection in a round."""
    user = _user(request)
    policies.require(user, policies.COORDINATORS)
    round_ = selectors.round_get(year=year)
    action = request.POST.get("action")
    if action == "propose":
        added = expectations.expected_propose(actor=user, round_=round_)
        messages.success(request, _("%(n)s expected submissions added.") % {"n": added})
    elif action == "remove":
        found = selectors.expected_get(
            user=user, round_=round_, expected_id=request.POST.get("expected", "")
        )
        expectations.expected_remove(actor=user, expected=found)
    else:
        entity = Entity.objects.filter(code=request.POST.get("entity", "")).first()
        form = ExpectForm(request.POST)
        country = (
            Country.objects.filter(alpha3=form.cleaned_data["country"]).first()
            if form.is_valid()
            else None
        )
        if entity is None or country is None:
            messages.error(request, _("Choose an entity and a country of detection."))
        else:
            expectations.expected_add(actor=user, round_=round_, entity=entity, country=country)
    return redirect(reverse("statistics:round", kwargs={"year": year}) + "#coverage")


@login_required
@require_POST
def round_state_view(request: HttpRequest, year: int) -> HttpResponse:
    """Close a round to submissions, or reopen it."""
    user = _user(request)
    round_ = selectors.round_get(year=year)
    state = request.POST.get("state", "")
    try:
        services.round_set_state(actor=user, round_=round_, state=state)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The %(year)s round is closed for submissions.") % {"year": year}
            if state == RoundState.CLOSED
            else _("The %(year)s round is open again.") % {"year": year},
        )
    return redirect("statistics:round", year=year)


@login_required
@require_POST
def submission_start_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    round_ = selectors.round_get(year=year)
    form = StartSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for m in form.errors["country"]))
        return redirect("statistics:round", year=year)
    try:
        submission = services.submission_start(
            actor=user,
            round_=round_,
            country=Country.objects.get(alpha3=form.cleaned_data["country"]),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:round", year=year)
    return redirect("statistics:submission", submission_id=submission.pk)


def _grid(
    user: User,
    submission: Any,
    dimension: str,
    added: str = "",
    typed: dict[str, str] | None = None,
    bad: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """The cells of one dimension: indicator × sex/age × category, as stored, or as typed
    when the grid comes back with errors (each bad cell carrying its message)."""
    typed, bad = typed or {}, bad or {}
    cells = {
        (c.indicator, c.sex, c.age, c.category): c
        for c in selectors.cells_of(user=user, submission=submission, dimension=dimension)
    }
    countries = {key[3] for key in cells if len(key[3]) == 3 and key[3].isupper()}
    countries |= {key.rsplit("|", 1)[-1] for key in typed if key.count("|") == 3}
    if added:
        countries.add(added)
    rows = []
    for category in services.categories(dimension, sorted(c for c in countries if len(c) == 3)):
        category_name = _category_name(dimension, category)
        for indicator, sex, age in GRID_ROWS:
            key = f"{indicator}|{sex}|{age}|{category}"
            cell = cells.get((indicator, sex, age, category))
            shown = ""
            if cell is not None:
                shown = (
                    str(cell.value)
                    if cell.value is not None
                    else ("n/a" if cell.value_status == "not_applicable" else "")
                )
            rows.append(
                {
                    "indicator": indicator,
                    "sex": sex,
                    "age": age,
                    "category": category,
                    "words": (
                        category_name,
                        Indicator(indicator).label,
                        Sex(sex).label,
                        AgeGroup(age).label,
                    ),
                    "value": typed.get(key, shown),
                    "name": f"cell|{key}",
                    "errors": bad.get(key, []),
                }
            )
    return rows


def _category_name(dimension: str, category: str) -> str:
    """A category of the grid in words: a form of exploitation, a country, or a group."""
    if dimension == Dimension.FORM_OF_EXPLOITATION and category in FormOfExploitation.values:
        return str(FormOfExploitation(category).label)
    if category in CATEGORY_NAMES:
        return str(CATEGORY_NAMES[category])
    return country_name_for_code(category)


def _dimension(request: HttpRequest) -> str:
    value = request.GET.get("dimension") or request.POST.get("dimension") or Dimension.TOTAL
    return value if value in Dimension.values else Dimension.TOTAL


@login_required
def submission_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    added = ""
    if request.GET.get("add"):
        picked = CitizenshipForm(request.GET)
        if picked.is_valid():
            added = picked.cleaned_data["add"]
        else:
            messages.error(request, " ".join(str(m) for m in picked.errors["add"]))
    return _submission_page(
        request, user, submission, _grid(user, submission, _dimension(request), added)
    )


def _submission_page(
    request: HttpRequest, user: User, submission: Any, grid: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    findings = services.submission_findings(submission)
    explained = {(e.rule, e.cell): e for e in submission.explanations.all()}
    return render(
        request,
        "statistics/submission.html",
        {
            "submission": submission,
            "events": submission.events.select_related("actor"),
            "findings": [(f, explained.get((f.rule, f.cell))) for f in findings],
            "grid": grid,
            "grid_has_errors": any(cell["errors"] for cell in grid),
            "dimension": _dimension(request),
            "dimensions": Dimension.choices,
            "editable": policies.may_edit_submission(user, submission),
            "can_submit": policies.may_submit(user, submission),
            "can_review": policies.may_review(user, submission),
            "comment_form": CommentForm(),
            "citizenship_form": CitizenshipForm(),
            "record_count": submission.record_count,
        },
        status=status,
    )


def _act(
    request: HttpRequest,
    submission_id: int,
    action: Callable[[User, Any], str],
    query: str = "",
) -> HttpResponse:
    """Run one step on a submission, all or nothing, and go back to its page."""
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    try:
        with transaction.atomic():
            messages.success(request, action(user, submission))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    url = reverse("statistics:submission", kwargs={"submission_id": submission_id})
    return redirect(url + query)


@login_required
def submission_records(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The victim records of a submission, pseudonymised, with the way to delete a wrong
    import while the submission can still change."""
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    if not policies.may_read_records(user, submission):
        raise not_found()
    if request.method == "POST":
        if not request.POST.get("sure"):
            messages.error(request, _("Tick the box to confirm the deletion."))
            return redirect("statistics:records", submission_id=submission_id)
        try:
            deleted = records_delete(actor=user, submission=submission)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)s victim records deleted.") % {"n": deleted})
        return redirect("statistics:records", submission_id=submission_id)
    listing = list_page(
        request, selectors.records_of(user=user, submission_id=submission.pk), RECORDS
    )
    return export_if_asked(request, user, listing, target=submission) or render(
        request,
        "statistics/records.html",
        {
            "submission": submission,
            "listing": listing,
            "may_delete": policies.may_delete_records(user, submission),
        },
    )


@login_required
@require_POST
def submission_grid(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Save the grid, all cells or none; with a bad cell, the grid comes back as typed."""
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    dimension = _dimension(request)
    typed: dict[str, str] = {}
    for name in request.POST:
        raw = request.POST.get(name, "")
        parts = name.split("|")
        if parts[0] != "cell":
            continue
        if len(parts) != 5 or tuple(parts[1:4]) not in GRID_ROWS:
            raise not_found()
        typed["|".join(parts[1:])] = raw[:100]
    try:
        saved = services.cells_set(
            actor=user,
            submission=submission,
            dimension=dimension,
            typed={tuple(key.split("|")): raw for key, raw in typed.items()},  # type: ignore[misc]
        )
    except ValidationError as error:
        bad = getattr(error, "error_dict", None)
        if bad is None:  # the submission itself: not editable any more
            for message in error.messages:
                messages.error(request, message)
            return redirect("statistics:submission", submission_id=submission_id)
        messages.error(request, _("Nothing was saved: correct the marked cells."))
        errors = {key: [str(m) for e in found for m in e.messages] for key, found in bad.items()}
        grid = _grid(user, submission, dimension, typed=typed, bad=errors)
        shown = {cell["name"] for cell in grid}
        for key, found in errors.items():  # a cell that is not in the grid at all
            if f"cell|{key}" not in shown:
                messages.error(request, f"{key}: {' '.join(found)}")
        return _submission_page(request, user, submission, grid, status=400)
    messages.success(
        request,
        ngettext("%(n)s cell saved.", "%(n)s cells saved.", saved) % {"n": saved}
        if saved
        else _("Nothing had changed."),
    )
    url = reverse("statistics:submission", kwargs={"submission_id": submission_id})
    return redirect(url + "?" + urlencode({"dimension": dimension}))


@login_required
@require_POST
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    def submit(user: User, submission: Any) -> str:
        services.submission_submit(actor=user, submission=submission)
        return _("Submitted for validation.")

    return _act(request, submission_id, submit)


@login_required
@require_POST
def submission_explain(request: HttpRequest, submission_id: int) -> HttpResponse:
    form = ExplainForm(request.POST)

    def explain(user: User, submission: Any) -> str:
        if not form.is_valid():
            raise ValidationError(_("Write an explanation."))
        services.warning_explain(actor=user, submission=submission, **form.cleaned_data)
        return _("Explanation saved.")

    return _act(request, submission_id, explain)


@login_required
@require_POST
def submission_review(request: HttpRequest, submission_id: int, decision: str) -> HttpResponse:
    form = CommentForm(request.POST)

    def review(user: User, submission: Any) -> str:
        if decision == "validate":
            services.submission_validate(actor=user, submission=submission)
            return _("Validated.")
        if decision == "return":
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            services.submission_return(actor=user, submission=submission, comment=comment)
            return _("Returned to the focal point.")
        raise not_found()

    return _act(request, submission_id, review)


@login_required
def publish_view(request: HttpRequest, year: int) -> HttpResponse:
    """What the next release would show, for confirmation; publishing it on confirmation."""
    user = _user(request)
    policies.require(user, policies.REVIEWERS)
    round_ = selectors.round_get(year=year)
    form = (
        ConfirmPublishForm(request.POST) if request.method == "POST" else PublishForm(request.GET)
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("statistics:round", year=year)
    options = {"threshold": form.cleaned_data["threshold"], "epsilon": form.cleaned_data["epsilon"]}
    try:
        if isinstance(form, ConfirmPublishForm):
            release = services.round_publish(
                actor=user, round_=round_, previewed=form.previewed(), **options
            )
            messages.success(request, _("Published version %(v)s.") % {"v": release.version})
            return redirect("statistics:round", year=year)
        draft = services.release_draft(actor=user, round_=round_, lock=False, **options)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:round", year=year)
    shown = PublishedRelease(round=round_, threshold=options["threshold"], cells=draft.cells)
    names = Names()
    return render(
        request,
        "statistics/publish.html",
        {
            "round": round_,
            "draft": draft,
            "form": form,
            "rows": sorted(
                victim_rows(shown, names).values(),
                key=lambda r: (r["code"] in names.countries, r["area"]),
            ),
        },
    )


@login_required
def export_view(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.COORDINATORS)
    if fmt not in WRITERS:
        raise not_found()
    return download(
        *export_statistics(actor=user, round_=selectors.round_get(year=year), fmt=fmt, public=False)
    )


@login_required
@require_POST
def dedup_run_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.REVIEWERS)
    found = duplicates.dedup_run(actor=user, round_=selectors.round_get(year=year))
    messages.success(request, _("%(n)s clusters of probable duplicates proposed.") % {"n": found})
    return redirect("statistics:round", year=year)


@login_required
@require_POST
def dedup_decide_view(request: HttpRequest, cluster_id: int) -> HttpResponse:
    user = _user(request)
    cluster = selectors.cluster_get(user=user, cluster_id=cluster_id)
    decision = request.POST.get("decision")
    if decision == "undo":
        duplicates.dedup_undo(actor=user, cluster=cluster)
        messages.success(request, _("Cluster %(n)s is proposed again.") % {"n": cluster.pk})
    elif decision in {"same", "different"}:
        try:
            duplicates.dedup_decide(actor=user, cluster=cluster, same_person=decision == "same")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        raise not_found()
    return redirect(
        reverse("statistics:round", kwargs={"year": cluster.round.year}) + "#duplicates"
    )
