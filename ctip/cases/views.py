"""Pages of screening and case files: the entity's caseworkers and focal points only.

Views parse input, call one selector or service, render. Protected records come only through
`selectors` (same 404 for missing and forbidden); who may do what is in `policies`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ctip.cases import lists, policies, selectors, services
from ctip.cases.case_page import approvals_context, attachments_context
from ctip.cases.codes import (
    INDICATOR_SETS,
    ApprovalKind,
    CaseEventKind,
    CaseStatus,
    GoalStatus,
)
from ctip.cases.facts import FIELDS, case_facts, edit_lines, form_initial, names_of
from ctip.cases.forms import (
    CaseEditForm,
    CaseForm,
    FollowUpForm,
    NoteForm,
    OfferForm,
    ReferralForm,
    ScreeningForm,
    ServiceForm,
)
from ctip.cases.models import Case
from ctip.cases.prefill import case_initial
from ctip.cases.services.editing import CLOSED
from ctip.cases.xlsform import workbook_bytes
from ctip.core.forms import blank_form
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.views.pages import add_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _private(response: HttpResponse) -> HttpResponse:
    """A page showing an identity or a tip: no browser or proxy keeps a copy."""
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The entity's cases, to find and export (`?follow_up=due`, `?mine=1`: see `lists`)."""
    user = _user(request)
    rows = lists.case_rows(selectors.cases_for(user=user), user=user, today=timezone.localdate())
    listing = list_page(request, rows, lists.CASES)
    return export_if_asked(request, user, listing) or render(
        request, "cases/index.html", {"listing": listing, "sets": INDICATOR_SETS.values()}
    )


@login_required
def screenings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    listing = list_page(request, selectors.screenings_for(user=user), lists.SCREENINGS)
    return export_if_asked(request, user, listing) or render(
        request, "cases/screenings.html", {"listing": listing}
    )


@login_required
def screen(request: HttpRequest, indicator_set: str) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
    if indicator_set not in INDICATOR_SETS:
        raise not_found()
    form = ScreeningForm(
        request.POST or None,
        indicator_set=indicator_set,
        initial={"screened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Screening saved."))
            if form.cleaned_data["open_case"]:
                return redirect(f"{reverse('cases:new')}?screening={screening.pk}")
            return redirect("cases:screenings")
    return render(
        request,
        "cases/screen.html",
        {"form": form, "indicator_set": INDICATOR_SETS[indicator_set]},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
    screening = None
    if "screening" in request.GET:
        screening = selectors.screening_get(user=user, screening_id=request.GET["screening"])
    form = CaseForm(
        request.POST or None,
        initial=case_initial(screening),
        caseworkers=selectors.caseworkers_for(user=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.case_open(actor=user, raw=form.cleaned_data, screening=screening)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": opened.case.reference})
            if opened.duplicate_check_paused:
                messages.info(
                    request,
                    _(
                        "The check for duplicates is paused: you opened many cases in the last "
                        "hour. Ask a focal point if you think this case exists already."
                    ),
                )
            elif opened.duplicates_here or opened.duplicates_elsewhere:
                messages.warning(
                    request,
                    ngettext(
                        "Probable duplicate: the same name and date of birth are in %(refs)s "
                        "and in %(n)s case of another entity.",
                        "Probable duplicate: the same name and date of birth are in %(refs)s "
                        "and in %(n)s cases of other entities.",
                        opened.duplicates_elsewhere,
                    )
                    % {
                        "refs": ", ".join(opened.duplicates_here) or "—",
                        "n": opened.duplicates_elsewhere,
                    },
                )
            return redirect("cases:detail", pk=opened.case.pk)
    return render(request, "cases/new.html", {"form": form, "screening": screening})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _detail_page(request, user, selectors.case_get(user=user, case_id=pk))


def _detail_page(
    request: HttpRequest, user: User, case: Case, identity: dict[str, str] | None = None
) -> HttpResponse:
    """The case page; `identity` only in the response to the audited identity read, never
    kept anywhere (session, cache, message) for a later request. Notes and follow-ups are
    read (audited) for those who may keep them, and the page is then not cached."""
    may_keep_notes = policies.may_keep_notes(user, case)
    work = services.case_work_read(actor=user, case=case) if may_keep_notes else None
    history = services.identity_history(actor=user, case=case) if identity is not None else []
    follow_ups = (
        work.follow_ups if work is not None else selectors.case_follow_ups(user=user, case=case)
    )
    today = timezone.localdate()
    rounds = selectors.rounds_open() if case.consent_statistics else []  # shown with consent only
    response = render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "facts": case_facts(case),
            "timeline": _timeline(user, case, work),
            "may_see_identity": policies.may_see_identity(user, case),
            "identity": identity,
            "identity_history": history,
            "statuses": [
                (code, label)
                for code, label in CaseStatus.choices
                if policies.may_close(user, case)
                or code not in policies.CLOSED_STATUSES
                or code == case.status
            ],
            "closed_statuses": [
                (code, label) for code, label in CaseStatus.choices if code in CLOSED
            ],
            "referrals": selectors.case_referrals(user=user, case=case),
            "deliveries": selectors.case_deliveries(user=user, case=case),
            "service_form": blank_form(ServiceForm),
            "can_transfer": policies.may_transfer(user),
            "can_assign": policies.may_assign(user),
            "can_edit": policies.may_edit(user, case) and case.status not in CLOSED,
            "may_keep_notes": may_keep_notes,
            "note_form": blank_form(NoteForm),
            "follow_up_form": blank_form(FollowUpForm),
            "open_follow_ups": [f for f in follow_ups if f.done_at is None],
            "goals": work.goals if work is not None else selectors.case_goals(user=user, case=case),
            "goal_statuses": GoalStatus.choices,
            "overdue": [f for f in follow_ups if f.done_at is None and f.due_on < today],
            "caseworkers": selectors.caseworkers_for(user=user),
            "entities": selectors.transfer_targets(user=user),
            "rounds": rounds,
            "identified_year": case.identified_on.year,
            "round_of_year": any(r.year == case.identified_on.year for r in rounds),
            **attachments_context(user, case, work),
            **approvals_context(user, case, work),
        },
    )
    return _private(response) if work else response


def _timeline(user: User, case: Case, work: services.CaseWork | None) -> list[dict[str, Any]]:
    """Events and notes by time; a note's text only for those who may read it (`work`, whose
    notes are then the ones listed: not read twice). The countries and conflict situations
    that edits replaced are read once for the whole timeline."""
    events = list(selectors.case_events(user=user, case=case))
    named = names_of(
        (name, event.changes.get(name))
        for event in events
        if event.kind == CaseEventKind.EDITED
        for name in event.note.split(";")
        if name in FIELDS
    )
    entries: list[dict[str, Any]] = []
    for event in events:
        edited = event.kind == CaseEventKind.EDITED
        changes = edit_lines(event.note.split(";"), event.changes, named) if edited else []
        if event.kind == CaseEventKind.GOAL_STATUS:
            was = event.changes.get("status", "")
            changes = [(_("Status"), str(dict(GoalStatus.choices).get(was, was)))]
        entries.append(
            {
                "at": event.at,
                "kind": event.kind,
                "title": event.kind_label,
                "actor": event.actor,
                "note": "" if edited else event.note,
                "changes": changes,
            }
        )
    notes = work.notes if work is not None else selectors.case_notes(user=user, case=case)
    for note in notes:
        entries.append(
            {
                "at": note.written_at,
                "kind": "note",
                "title": _("Note"),
                "actor": note.author,
                "text": note.text if work is not None else None,
                "hidden": work is None,
            }
        )
    return sorted(entries, key=lambda entry: entry["at"])


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of the case, pre-filled (the identity through the audited read)."""
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    if not policies.may_edit(user, case):
        raise not_found()
    if case.status in CLOSED:
        messages.error(request, _("A closed case cannot be edited: reopen it first (its status)."))
        return redirect("cases:detail", pk=pk)
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        if form.is_valid():
            try:
                changed = services.case_update(actor=user, case=case, raw=form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if not changed:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("Case saved."))
                    if case.reported_to_statistics:
                        messages.info(
                            request,
                            _(
                                "This case is in a reporting round: add it again to update "
                                "its record there."
                            ),
                        )
                return redirect("cases:detail", pk=pk)
    else:
        identity = services.identity_view(actor=user, case=case)
        form = CaseEditForm(initial={**form_initial(case), **identity})
    return _private(render(request, "cases/edit.html", {"case": case, "form": form}))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    if action == "identity":
        identity = services.identity_view(actor=user, case=case)
        return _private(_detail_page(request, user, case, identity=identity))
    elif action == "service":
        try:
            services.service_record(actor=user, case=case, raw=request.POST.dict())
            messages.success(request, _("Service recorded."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "statistics":
        try:
            services.case_report(
                actor=user,
                case=case,
                linkage_secret=request.POST.get("linkage_secret", ""),
                year=request.POST.get("round"),
            )
            messages.success(request, _("Added to the reporting round, without identity."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "note":
        try:
            services.note_add(actor=user, case=case, text=request.POST.get("text", ""))
            messages.success(request, _("Note added."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "follow_up":
        try:
            services.follow_up_add(actor=user, case=case, raw=request.POST.dict())
            messages.success(request, _("Follow-up set."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "follow_up_done":
        follow_up = selectors.follow_up_get(
            user=user, case=case, follow_up_id=request.POST.get("follow_up")
        )
        try:
            services.follow_up_done(actor=user, follow_up=follow_up)
        except ValidationError as error:
            _errors(request, error)
    elif action == "goal":
        try:
            services.goal_add(actor=user, case=case, text=request.POST.get("goal", ""))
            messages.success(request, _("Goal added to the case plan."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "goal_status":
        goal = selectors.goal_get(user=user, case=case, goal_id=request.POST.get("goal"))
        try:
            services.goal_set_status(
                actor=user, goal=goal, status=request.POST.get("goal_status", "")
            )
        except ValidationError as error:
            _errors(request, error)
    elif action in ("plan_approval", "closure"):
        try:
            services.approval_request(
                actor=user,
                case=case,
                kind=ApprovalKind.PLAN if action == "plan_approval" else ApprovalKind.CLOSURE,
                closing_status=request.POST.get("closing_status") or CaseStatus.CLOSED,
            )
            messages.success(request, _("Asked. The focal points are told."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "assign":
        try:
            services.case_assign(
                actor=user, case=case, caseworker_id=request.POST.get("caseworker", "")
            )
        except ValidationError as error:
            _errors(request, error)
    elif action == "transfer":
        try:
            to_entity = (
                selectors.transfer_targets(user=user)
                .filter(code=request.POST.get("to_entity", ""))
                .first()
            )
            if to_entity is None:
                raise ValidationError({"to_entity": _("Another active entity.")})
            services.case_transfer(
                actor=user, case=case, to_entity=to_entity, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Case transferred."))
            return redirect("cases:index")
    elif action == "status":
        try:
            services.case_set_status(actor=user, case=case, status=request.POST.get("status", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        raise not_found()
    return redirect("cases:detail", pk=pk)


@login_required
def xlsform(request: HttpRequest) -> HttpResponse:
    policies.require_field_staff(_user(request))
    response = HttpResponse(
        workbook_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="ctip-screening-xlsform.xlsx"'
    return response


# the words a message names a field by (never the code a form posts)
FIELD_LABELS = {
    **FIELDS,
    "round": gettext_lazy("Reporting round"),
    "text": gettext_lazy("Note"),
    "due_on": gettext_lazy("Due on"),
    "what": gettext_lazy("What is to be done"),
    "goal": gettext_lazy("Goal"),
    "goal_status": gettext_lazy("Status of the goal"),
    "file": gettext_lazy("File"),
    "description": gettext_lazy("Description"),
    "comment": gettext_lazy("Comment"),
    "decision": gettext_lazy("Answer"),
    "closing_status": gettext_lazy("Status"),
    "caseworker": gettext_lazy("Caseworker"),
    "to_entity": gettext_lazy("Entity"),
    "service": gettext_lazy("Service"),
    "started_on": gettext_lazy("Started on"),
    "ended_on": gettext_lazy("Ended on"),
}


def _errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal as messages, each naming its field in words."""
    for name, texts in getattr(error, "message_dict", {"": error.messages}).items():
        field = FIELD_LABELS.get(name, name) if name and name != NON_FIELD_ERRORS else ""
        for text in texts:
            messages.error(request, f"{field}: {text}" if field else text)


@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    providers = selectors.providers_for(user=user)
    form = ReferralForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                actor=user,
                case=case,
                to_entity=providers.get(code=form.cleaned_data["to_entity"]),
                services=form.cleaned_data["services"],
                parts=form.cleaned_data["parts"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("cases:detail", pk=pk)
    return render(
        request,
        "cases/refer.html",
        {"case": case, "form": form, "offers": selectors.directory().exclude(entity=user.entity)},
    )


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    listing = list_page(request, selectors.referrals_incoming(user=user), lists.REFERRALS)
    return export_if_asked(request, user, listing) or render(
        request, "cases/referrals.html", {"listing": listing}
    )


@login_required
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's view: only what the person agreed to share."""
    user = _user(request)
    found = selectors.referral_incoming_get(user=user, referral_id=pk)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "service":
                services.service_record(
                    actor=user, case=found.case, raw=request.POST.dict(), referral=found
                )
                messages.success(request, _("Service recorded."))
            else:
                services.referral_answer(
                    actor=user,
                    referral=found,
                    answer=request.POST.get("answer", ""),
                    note=request.POST.get("note", ""),
                )
        except ValidationError as error:
            _errors(request, error)
        return redirect("cases:referral", pk=pk)
    return _private(
        render(
            request,
            "cases/referral.html",
            {
                "referral": found,
                "shared": services.referral_shared_read(actor=user, referral=found),
                "service_form": ServiceForm(),
                "deliveries": selectors.referral_deliveries(user=user, referral=found),
            },
        )
    )


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:directory")
    return render(
        request,
        "cases/directory.html",
        {
            "offers": selectors.directory(),
            "form": form,
            "can_offer": policies.may_keep_directory(user),
        },
    )
