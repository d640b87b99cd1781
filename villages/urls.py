from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("kabupaten/<slug:slug>/", views.regency_detail, name="regency"),
    path("desa/<str:code>/", views.village_detail, name="village"),
]
