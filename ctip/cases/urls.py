from django.urls import path

from ctip.cases import approval_views, attachment_views, tip_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.index, name="index"),
    path("cases/screen/<str:indicator_set>/", views.screen, name="screen"),
    path("cases/screenings/", views.screenings, name="screenings"),
    path("cases/xlsform.xlsx", views.xlsform, name="xlsform"),
    path("cases/new/", views.new, name="new"),
    path("cases/referrals/", views.referrals, name="referrals"),
    path("cases/referrals/<int:pk>/", views.referral, name="referral"),
    path("cases/directory/", views.directory, name="directory"),
    path("cases/tips/", tip_views.tips, name="tips"),
    path("cases/tips/<int:pk>/", tip_views.tip, name="tip_read"),
    path("public/tips/", tip_views.public_tip, name="tip"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/edit/", views.edit, name="edit"),
    path(
        "cases/<int:pk>/attachments/",
        attachment_views.attachment_add,
        name="attachment_add",  # its upload stays in memory (ctip.cases.uploads)
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_views.attachment_download,
        name="attachment",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachment_views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "cases/<int:pk>/approvals/<int:approval_pk>/",
        approval_views.approval_decide,
        name="approval_decide",
    ),
    path("cases/<int:pk>/<str:action>/", views.act, name="act"),
]
