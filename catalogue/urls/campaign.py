"""Gerakan Beli Produk NTT: the campaign page, receipts and delivery notes, quotations."""

from django.urls import path

from catalogue.campaign import portal, views

urlpatterns = [
    path("gerakan/", views.campaign, name="campaign"),
    path("pesanan/<str:token>/kuitansi/<int:part_id>/", views.receipt, name="receipt"),
    path("pesanan/<str:token>/surat-jalan/<int:part_id>/", views.delivery_note, name="delivery_note"),
    path("penawaran/baru/<slug:slug>/", views.quote_new, name="quote_new"),
    path("penawaran/<str:token>/", views.quote_detail, name="quote"),
    path("produsen/penawaran/", portal.quote_list, name="producer_quotes"),
    path("produsen/penawaran/<int:quote_id>/", portal.quote_answer, name="producer_quote"),
]
