from django.urls import path

from ctip.caselaw import views

app_name = "caselaw"

urlpatterns = [
    path("caselaw/", views.manage, name="manage"),
    path("caselaw/new/", views.edit, name="new"),
    path("caselaw/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("caselaw/<int:pk>/edit/", views.edit, name="edit"),
    path("caselaw/<int:pk>/publish/", views.publish, name="publish"),
    path("public/caselaw/", views.public_search, name="search"),
    path("public/caselaw/digest/", views.public_digest, name="digest"),
    path("public/caselaw/export.<str:fmt>", views.public_export, name="export"),
    path("public/caselaw/<int:pk>/", views.public_detail, name="detail"),
]
