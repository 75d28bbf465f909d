from django.urls import path

from ctip.countries import views

app_name = "countries"

urlpatterns = [
    path("legislation/", views.manage, name="manage"),
    path("legislation/new/", views.response_edit, name="response_new"),
    path("legislation/<int:pk>/edit/", views.response_edit, name="response_edit"),
    path("public/countries/", views.index, name="index"),
    path("public/countries/<str:alpha3>/", views.profile, name="profile"),
    path("public/treaties/", views.treaties, name="treaties"),
    path("public/treaties/<str:code>/", views.treaty, name="treaty"),
    path("public/treaties/<str:code>/export.<str:fmt>", views.treaty_export, name="treaty_export"),
    path(
        "public/national-response/export.<str:fmt>", views.response_export, name="response_export"
    ),
]
