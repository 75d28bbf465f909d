from django.urls import path

from ctip.conduct import views

app_name = "conduct"

urlpatterns = [
    path("conduct/", views.register, name="register"),
    path("conduct/export.<str:fmt>", views.export, name="export"),
    path("conduct/new/", views.new, name="new"),
    path("conduct/vetting/", views.vetting, name="vetting"),
    path("conduct/certifications/", views.certifications, name="certifications"),
    path("conduct/patterns/", views.patterns, name="patterns"),
    path("conduct/units/", views.units, name="units"),
    path("conduct/units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("conduct/<int:pk>/", views.detail, name="detail"),
    path("conduct/<int:pk>/<str:action>/", views.act, name="act"),
    path("public/conduct/", views.public_statistics, name="public"),
    path("public/conduct/report/", views.public_report, name="report"),
]
