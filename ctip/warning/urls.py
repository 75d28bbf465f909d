from django.urls import path

from ctip.warning import views

app_name = "warning"

urlpatterns = [
    path("warning/", views.index, name="index"),
    path("warning/situations/<int:pk>/", views.situation, name="situation"),
    path("warning/situations/<int:pk>/assess/", views.assess, name="assess"),
    path("warning/situations/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("warning/assessments/<int:pk>/", views.assessment, name="assessment"),
    path("warning/assessments/<int:pk>/share/", views.share, name="share"),
    path("warning/assessments/<int:pk>/unshare/", views.unshare, name="unshare"),
    path("warning/alerts/", views.alerts, name="alerts"),
    path("warning/alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("warning/watchers/", views.watchers, name="watchers"),
    path("public/early-warning/", views.framework_page, name="framework"),
]
