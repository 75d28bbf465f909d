from django.urls import path

from ctip.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<int:year>/", views.year_page, name="year"),
    path("reports/<int:year>/build/", views.build, name="build"),
    path("reports/<int:year>/<str:section>/<str:language>/", views.edit, name="edit"),
    path(
        "reports/<int:year>/<str:section>/<str:language>/approve/",
        views.approve,
        name="approve",
    ),
]
