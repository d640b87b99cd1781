"""The public regency and village pages (catalogue/views/places.py).

Their URL names are public and stay in the `villages` namespace (`villages:regency`, `villages:village`:
templates, sitemaps and `Regency/Village.get_absolute_url` reverse them), though catalogue serves them
since they list its products. ovop/urls.py includes this module as its own namespace.
"""

from django.urls import path

from catalogue.views import places

app_name = "villages"

urlpatterns = [
    path("kabupaten/<slug:slug>/", places.regency_detail, name="regency"),
    path("desa/<str:code>/", places.village_detail, name="village"),
]
