"""The shop's public pages: the catalogue, a product, a producer (village UMKM)."""

from django.urls import path

from catalogue.views import browse, stars

urlpatterns = [
    path("produk/", browse.product_list, name="product_list"),
    path("produk/<slug:slug>/", browse.product_detail, name="product"),
    path("umkm/<slug:slug>/", browse.producer_detail, name="producer"),
    path("bintang/", stars.stars_page, name="stars"),
]
