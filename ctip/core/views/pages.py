"""The signed-in pages of the core app. Each parses input, calls a service or selector, renders."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_otp import user_has_device

from ctip.core import selectors, services
from ctip.core.audit import Checkpoint, audit_verify
from ctip.core.codes import Role
from ctip.core.due import due_for
from ctip.core.forms import (
    ApiTokenForm,
    AuditFilterForm,
    ConflictSituationForm,
    EntityForm,
    LanguageForm,
    PasswordChangeForm,
    RoleForm,
    UserForm,
)
from ctip.core.listing import Column, Filter, ListSpec, export_if_asked, list_page
from ctip.core.models import Entity, Region, User
from ctip.core.policies import not_found, require_role
from ctip.core.reference import country_name, name_sort_key
from ctip.core.tasks import export_audit_log


def uploaded_rows(form: Form, max_rows: int) -> list[Any] | None:
    """The rows of the form's bound `file` (CSV, XLSX or JSON), or None with the file's
    problem put on the form."""
    from ctip.tabular import FileProblem, read_dicts

    upload = form.cleaned_data["file"]
    try:
        return read_dicts(upload.read(), upload.name, max_rows)
    except FileProblem as problem:
        form.add_error("file", str(problem))
        return None


def add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/home.html",
        {
            "due": due_for(user, timezone.localdate()),
            "figures": selectors.home_figures(user=user),
            "recent_jobs": selectors.jobs_for(user=user)[:5],
        },
    )


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = EntityForm(request.POST or None)
    if request.method == "POST":
        require_role(user, Role.ADMINISTRATOR)
        if form.is_valid():
            try:
                entity = services.entity_create(actor=user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Entity %(code)s created.") % {"code": entity.code})
                return redirect("core:entity_detail", code=entity.code)
    return render(
        request,
        "core/entity_list.html",
        {
            "entities": selectors.entity_directory(),
            "form": form if user.has_role(Role.ADMINISTRATOR) else None,
        },
    )


@login_required
def entity_detail(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entity = selectors.entity_get(user=user, code=code)
    return render(
        request,
        "core/entity_detail.html",
        {
            "entity": entity,
            "members": selectors.entity_members(user=user, entity=entity),
        },
    )


USERS = ListSpec(
    name="users",
    columns=[
        Column(_lazy("Email"), lambda u: u.email, sort="email"),
        Column(_lazy("Name"), lambda u: u.full_name, sort="full_name"),
        Column(_lazy("Entity"), lambda u: u.entity.code, sort="entity__code"),
        Column(_lazy("Role"), lambda u: u.get_role_display()),
        Column(pgettext_lazy("user", "Active"), lambda u: u.is_active),
    ],
    filters=[
        Filter("role", _lazy("Role"), "role", lambda: Role.choices),
        Filter(
            "entity",
            _lazy("Entity"),
            "entity__code",
            lambda: [(code, code) for code in Entity.objects.values_list("code", flat=True)],
        ),
        Filter(
            "active",
            pgettext_lazy("user", "Active"),
            "is_active",
            lambda: [("True", _("yes")), ("False", _("no"))],
        ),
    ],
    search=("email", "full_name"),
    search_hint=_lazy("Email or name"),
    default_sort="email",
)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.ADMINISTRATOR)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Account %(email)s created.") % {"email": created.email})
            return redirect("core:user_list")
    listing = list_page(request, selectors.users_for(user=user), USERS)
    return export_if_asked(request, user, listing) or render(
        request,
        "core/user_list.html",
        {"listing": listing, "form": form, "role_form": RoleForm()},
    )


@login_required
@require_POST
def user_change(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    require_role(actor, Role.ADMINISTRATOR)
    target = selectors.users_for(user=actor).filter(pk=user_id).first()
    if target is None:
        raise not_found()
    if request.POST.get("deactivate"):
        services.user_deactivate(actor=actor, user=target)
        messages.success(request, _("Account %(email)s deactivated.") % {"email": target.email})
    elif request.POST.get("reset_two_factor"):
        services.totp_reset(actor=actor, user=target, request=request)
        messages.success(
            request,
            _("Two-factor authentication of %(email)s reset: they set it up at their next sign-in.")
            % {"email": target.email},
        )
    else:
        form = RoleForm(request.POST)
        if form.is_valid():
            services.user_set_role(actor=actor, user=target, role=form.cleaned_data["role"])
            messages.success(request, _("Role of %(email)s changed.") % {"email": target.email})
    return redirect("core:user_list")


@login_required
def country_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    countries = sorted(
        selectors.countries(region=region), key=lambda c: name_sort_key(country_name(c))
    )
    return render(
        request,
        "core/country_list.html",
        {
            "countries": countries,
            "regions": Region.objects.order_by("level", "name"),
            "region": region,
        },
    )


@login_required
def conflict_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/conflict_list.html",
        {
            "situations": selectors.conflict_situations(),
            "can_edit": user.has_role(Role.ADMINISTRATOR),
        },
    )


@login_required
def conflict_edit(request: HttpRequest, situation_id: int | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.ADMINISTRATOR)
    situation = (
        selectors.conflict_situation_get(situation_id=situation_id) if situation_id else None
    )
    initial = {}
    if situation is not None:
        initial = {
            "name": situation.name,
            "countries": list(situation.countries.all()),
            "start_date": situation.start_date,
            "end_date": situation.end_date,
            "description": situation.description,
        }
    form = ConflictSituationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_situation_save(
                actor=user,
                situation=situation,
                name=data["name"],
                countries=list(data["countries"]),
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Conflict situation saved."))
            return redirect("core:conflict_list")
    return render(request, "core/conflict_edit.html", {"form": form, "situation": situation})


def _audit_filter(form: AuditFilterForm) -> selectors.AuditFilter:
    data = form.cleaned_data if form.is_valid() else {}

    def day_start(day: date | None) -> datetime | None:
        return timezone.make_aware(datetime.combine(day, time.min)) if day else None

    until = data.get("until")
    return selectors.AuditFilter(
        action=data.get("action", ""),
        actor=data.get("actor", ""),
        entity=data.get("entity", ""),
        since=day_start(data.get("since")),
        until=day_start(until + timedelta(days=1)) if until else None,
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events_for(user=user, filters=_audit_filter(form))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """Verify the chain, against a checkpoint file kept elsewhere when one is uploaded."""
    require_role(request.user, Role.ADMINISTRATOR)  # type: ignore[arg-type]
    checkpoints = []
    upload = request.FILES.get("checkpoint")
    if upload is not None:
        try:
            checkpoints.append(Checkpoint.from_json(upload.read(64_000).decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            messages.error(request, _("This file is not a CTIP audit checkpoint."))
            return redirect("core:audit_list")
    report = audit_verify(checkpoints)
    if report.intact:
        messages.success(
            request,
            _("The audit chain is intact: %(n)s events checked.") % {"n": report.events_checked},
        )
        if checkpoints:
            messages.success(request, _("The history up to the checkpoint was not rewritten."))
    else:
        messages.error(
            request,
            _("The audit chain is broken at event %(seq)s: %(problem)s.")
            % {"seq": report.first_bad_sequence, "problem": report.problem},
        )
    return redirect("core:audit_list")


@login_required
@require_POST
def audit_checkpoint_view(request: HttpRequest) -> HttpResponse:
    checkpoint = services.audit_checkpoint_export(actor=request.user, request=request)  # type: ignore[arg-type]
    response = HttpResponse(checkpoint.to_json() + "\n", content_type="application/json")
    name = f"ctip-audit-checkpoint-{checkpoint.sequence}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.ADMINISTRATOR)
    form = AuditFilterForm(request.POST)
    form.is_valid()
    parameters = {k: str(form.cleaned_data.get(k) or "") for k in ("action", "actor", "entity")}
    job = services.job_start(
        actor=user, kind="audit_export", parameters=parameters, task=export_audit_log
    )
    return redirect("core:job_detail", job_id=job.id)


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    template = (
        "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job_detail.html"
    )
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    if job.result_data is None:
        raise not_found()
    response = HttpResponse(bytes(job.result_data), content_type=job.result_content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token_form = ApiTokenForm(request.POST if "create_token" in request.POST else None)
    password_form = PasswordChangeForm(request.POST if "change_password" in request.POST else None)
    new_token = None
    if token_form.is_bound and token_form.is_valid():
        _token, new_token = services.api_token_create(
            actor=user, name=token_form.cleaned_data["name"]
        )
    if password_form.is_bound and password_form.is_valid():
        try:
            services.user_change_password(actor=user, request=request, **password_form.cleaned_data)
        except ValidationError as error:
            add_errors(password_form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed."))
            return redirect("core:profile")
    return render(
        request,
        "core/profile.html",
        {
            "tokens": selectors.api_tokens_for(user=user),
            "token_form": token_form,
            "new_token": new_token,
            "password_form": password_form,
            "has_two_factor": user_has_device(user),
            "language_form": LanguageForm(
                initial={"language": user.preferred_language or request.LANGUAGE_CODE}
            ),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = selectors.api_token_get(user=user, token_id=token_id)
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("core:profile")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as error:  # a health check reports, it does not raise
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "error": type(error).__name__}},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": database, "worker": selectors.worker_status()})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own notifications; opening the page marks them read."""
    user: User = request.user  # type: ignore[assignment]
    found = list(user.notifications.all()[:200])
    services.notifications_read(user=user)
    return render(request, "core/notifications.html", {"notifications": found})
