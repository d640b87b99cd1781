"""The producer portal's URLs (/produsen/...), part of the catalogue's namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("produsen/", views.home, name="producer_home"),
    path("produsen/masuk/", views.signin_page, name="producer_signin"),
    path("produsen/keluar/", views.signout, name="producer_signout"),
    path("produsen/masuk/<str:token>/", views.link, name="producer_link"),
    path("produsen/pesanan/<int:part_id>/", views.part_detail, name="producer_part"),
    path("produsen/pesanan/<int:part_id>/ongkir/", views.part_quote, name="producer_part_quote"),
    path("produsen/produk/<slug:slug>/", views.product, name="producer_product"),
    path("produsen/ongkir/", views.rates, name="producer_rates"),
]
