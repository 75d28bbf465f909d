from django.urls import path

from ctip.linkage import views

app_name = "linkage"
urlpatterns = [
    path("public/linkage/encoder/", views.encoder, name="encoder"),
    path("public/linkage/encoder/offline.html", views.encoder_offline, name="encoder_offline"),
]
