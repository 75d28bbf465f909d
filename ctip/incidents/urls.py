from django.urls import path

from ctip.incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.index, name="index"),
    path("incidents/new/", views.new, name="new"),
    path("incidents/import/", views.import_incidents, name="import"),
    path("incidents/form.xlsx", views.form_download, name="form"),
    path("incidents/abductees/", views.abductees, name="abductees"),
    path("incidents/abductees/<int:pk>/", views.abductee, name="abductee"),
    path("incidents/abductees/<int:pk>/<str:action>/", views.abductee, name="abductee_act"),
    path("incidents/parties/", views.parties, name="parties"),
    path("incidents/parties/<int:pk>/", views.party, name="party"),
    path("incidents/patterns/", views.patterns_page, name="patterns"),
    path("incidents/patterns.<str:fmt>", views.patterns_export, name="patterns_export"),
    path("incidents/report/", views.report, name="report"),
    path("incidents/<int:pk>/", views.detail, name="detail"),
    path("incidents/<int:pk>/edit/", views.edit, name="edit"),
    path("incidents/<int:pk>/<str:action>/", views.act, name="act"),
    path("public/incidents/", views.public, name="public"),
]
