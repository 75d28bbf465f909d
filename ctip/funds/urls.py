from django.urls import path

from ctip.funds import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.index, name="index"),
    path("funds/our-reports/", views.grantee_reports, name="grantee_reports"),
    path("funds/<slug:code>/", views.fund, name="fund"),
    path("funds/<slug:code>/grants.csv", views.export, name="export"),
    path("funds/<slug:code>/add/<str:what>/", views.add, name="add"),
    path("funds/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("funds/grants/<int:pk>/", views.grant, name="grant"),
    path("public/funds/", views.public_index, name="public_index"),
    path("public/funds/<slug:code>/", views.public_fund, name="public_fund"),
]
