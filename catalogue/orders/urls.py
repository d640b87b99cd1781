"""Cart, checkout and the order page. Orders are reached only by their long random token."""

from django.urls import path

from . import views

urlpatterns = [
    path("keranjang/", views.cart_detail, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart_add"),
    path("keranjang/ubah/", views.cart_update, name="cart_update"),
    path("keranjang/hapus/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("pesanan/<slug:token>/", views.order_detail, name="order"),
    path("pesanan/<slug:token>/status/", views.order_status, name="order_status"),
    path("pesanan/<slug:token>/qris/<int:part>.png", views.order_qris_png, name="order_qris_png"),
]
