"""Cart, checkout and the order page. Orders are reached only by their long random token."""

from django.urls import path

from catalogue.views import cart, checkout

urlpatterns = [
    path("keranjang/", cart.cart_detail, name="cart"),
    path("keranjang/tambah/", cart.cart_add, name="cart_add"),
    path("keranjang/ubah/", cart.cart_update, name="cart_update"),
    path("keranjang/hapus/", cart.cart_remove, name="cart_remove"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("pesanan/<slug:token>/", checkout.order_detail, name="order"),
    path("pesanan/<slug:token>/status/", checkout.order_status, name="order_status"),
]
