from django.urls import include, path

from ctip.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("ctip.statistics.urls")),
    path("", include("ctip.caselaw.urls")),
    path("", include("ctip.reports.urls")),
    path("", include("ctip.countries.urls")),
    path("", include("ctip.conduct.urls")),
    path("", include("ctip.cases.urls")),
    path("", include("ctip.linkage.urls")),
    path("", include("ctip.incidents.urls")),
    path("", include("ctip.surveys.urls")),
    path("", include("ctip.warning.urls")),
    path("", include("ctip.funds.urls")),
    path("", include("ctip.suppliers.urls")),
    path("", include("ctip.core.urls")),
]

handler500 = "ctip.core.views.errors.server_error"
