from django.urls import path

from ctip.core import observability
from ctip.core.views import auth, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/otp/", auth.otp_verify_view, name="otp_verify"),
    path("accounts/otp/setup/", auth.otp_setup_view, name="otp_setup"),
    path("accounts/profile/", pages.profile, name="profile"),
    path("accounts/tokens/<int:token_id>/revoke/", pages.token_revoke, name="token_revoke"),
    path("i18n/setlang/", auth.set_language_view, name="set_language"),
    path("entities/", pages.entity_list, name="entity_list"),
    path("entities/<str:code>/", pages.entity_detail, name="entity_detail"),
    path("users/", pages.user_list, name="user_list"),
    path("users/<int:user_id>/", pages.user_change, name="user_change"),
    path("countries/", pages.country_list, name="country_list"),
    path("conflicts/", pages.conflict_list, name="conflict_list"),
    path("conflicts/new/", pages.conflict_edit, name="conflict_create"),
    path("conflicts/<int:situation_id>/", pages.conflict_edit, name="conflict_edit"),
    path("audit/", pages.audit_list, name="audit_list"),
    path("audit/verify/", pages.audit_verify_view, name="audit_verify"),
    path("audit/export/", pages.audit_export, name="audit_export"),
    path("audit/checkpoint/", pages.audit_checkpoint_view, name="audit_checkpoint"),
    path("jobs/<str:job_id>/", pages.job_detail, name="job_detail"),
    path("jobs/<str:job_id>/download/", pages.job_download, name="job_download"),
    path("notifications/", pages.notifications, name="notifications"),
    path("healthz", pages.healthz, name="healthz"),
    path("metrics", observability.metrics, name="metrics"),
]
