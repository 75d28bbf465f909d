"""Sign-in, second factor, sign-out, language: the pages before and around a session."""

import base64
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core import services
from ctip.core.forms import LanguageForm, LoginForm, OtpCodeForm
from ctip.core.policies import needs_second_factor

SETUP_SESSION_KEY = "ctip_totp_setup_device"


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            max_age=365 * 86400,
        )
    return response


def lockout(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Axes calls this when an account and address are locked: a page in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/lockout.html", {"minutes": minutes}, status=429)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            services.login_succeeded(user=user, request=request)
            next_url = safe_next(request)
            response: HttpResponse = redirect(next_url)
            query = urlencode({"next": next_url})
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                response = redirect(f"{reverse('core:otp_verify')}?{query}")
            elif user.requires_two_factor:
                response = redirect(f"{reverse('core:otp_setup')}?{query}")
            return with_language_cookie(response, user.preferred_language)
        locked = bool(getattr(request, "axes_locked_out", False))
        services.login_failed(
            email=request.POST.get("username", ""), request=request, locked_out=locked
        )
        if locked:
            return lockout(request)
    return render(request, "core/login.html", {"form": form, "next": safe_next(request, "")})


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("core:otp_setup")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            otp_login(request, device)
            return redirect(safe_next(request))
        services.totp_code_failed(actor=request.user, request=request)  # type: ignore[arg-type]
        form.add_error("code", _("The code is not correct. Wait for a new code and try again."))
    return render(request, "core/otp_verify.html", {"form": form, "next": safe_next(request, "")})


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    if needs_second_factor(request.user) and user_has_device(request.user):  # type: ignore[arg-type]
        # enrolling again replaces the authenticator: first pass the current one
        return redirect(f"{reverse('core:otp_verify')}?{urlencode({'next': request.path})}")
    device = TOTPDevice.objects.filter(
        pk=request.session.get(SETUP_SESSION_KEY), user=request.user, confirmed=False
    ).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(actor=request.user)  # type: ignore[arg-type]
        request.session[SETUP_SESSION_KEY] = device.pk
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(
                actor=request.user,  # type: ignore[arg-type]
                device=device,
                code=form.cleaned_data["code"].replace(" ", ""),
                request=request,
            )
        except ValidationError as error:
            form.add_error("code", error.message_dict.get("code", error.messages))
        else:
            request.session.pop(SETUP_SESSION_KEY, None)
            otp_login(request, device)
            return redirect(safe_next(request))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "core/otp_setup.html",
        {
            "form": form,
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": safe_next(request, ""),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logged_out(user=request.user, request=request)  # type: ignore[arg-type]
    auth_logout(request)
    return redirect("core:login")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (cookie), and remember it for a signed-in user."""
    form = LanguageForm(request.POST)
    response: HttpResponse = HttpResponseRedirect(safe_next(request))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(actor=request.user, language=language)  # type: ignore[arg-type]
        with_language_cookie(response, language)
    return response
