from django.urls import path

from ctip.suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("suppliers/", views.index, name="index"),
    path("suppliers/<int:pk>/", views.detail, name="detail"),
]
