from django.urls import path

from ctip.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/<slug:code>/", views.detail, name="detail"),
    path("surveys/<slug:code>/form.xlsx", views.form_download, name="form"),
    path("surveys/<slug:code>/estimates.<str:fmt>", views.export, name="export"),
    path("surveys/<slug:code>/<str:action>/", views.act, name="act"),
    path("public/surveys/", views.public, name="public"),
]
