"""The checkout form. Its field names are a public interface (links, tests, other clients):

``nama``, ``whatsapp``, ``email`` (optional), ``pengiriman`` (``ambil`` or ``kirim``), ``alamat`` and
``kabupaten`` (both required for ``kirim``), ``catatan``, ``pembayaran`` (``qris`` or ``cod``) and
``kunci``, the one-time key the checkout page issues.

``kabupaten`` takes a regency's slug (``kota-kupang``, what the form's <select> sends) or its
Kemendagri code (``53.71``).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers
from catalogue.models import Delivery, Payment
from villages.models import Regency

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")

MSG_REQUIRED_FOR_DELIVERY = _("Wajib diisi bila barang dikirim.")
MSG_UNKNOWN_REGENCY = _("Kabupaten/kota ini tidak dikenal; pilih dari daftar.")
MSG_BAD_KEY = _("Formulir ini tidak lengkap atau sudah kedaluwarsa; silakan periksa lalu kirim lagi.")


class CheckoutForm(forms.Form):
    nama = forms.CharField(
        label=_("Nama"),
        max_length=120,
        error_messages={
            "required": _("Isi nama Anda."),
            "max_length": _("Nama paling panjang %(limit_value)d karakter."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Produsen menghubungi Anda lewat nomor ini. Contoh: 0812-3456-7890."),
        error_messages={
            "required": _("Isi nomor WhatsApp Anda."),
            "max_length": identifiers.MSG_BAD_WHATSAPP,
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        max_length=254,
        help_text=_("Bila diisi, konfirmasi pesanan dikirim ke email ini."),
        error_messages={"invalid": _("Alamat email tidak sah, misalnya nama@contoh.id.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    pengiriman = forms.ChoiceField(
        label=_("Pengiriman"),
        choices=Delivery.choices,
        initial=Delivery.PICKUP,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih cara pengiriman."),
            "invalid_choice": _("Pilih ambil di produsen atau dikirim."),
        },
    )
    alamat = forms.CharField(
        label=_("Alamat pengiriman"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"max_length": _("Alamat paling panjang %(limit_value)d karakter.")},
    )
    kabupaten = forms.CharField(
        label=_("Kabupaten/kota tujuan"),
        required=False,
        max_length=140,
        widget=forms.Select,
        error_messages={"max_length": MSG_UNKNOWN_REGENCY},
    )
    catatan = forms.CharField(
        label=_("Catatan untuk produsen (tidak wajib)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Catatan paling panjang %(limit_value)d karakter.")},
    )
    pembayaran = forms.ChoiceField(
        label=_("Pembayaran"),
        choices=Payment.choices,
        initial=Payment.QRIS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih cara pembayaran."),
            "invalid_choice": _("Pilih QRIS atau bayar saat ambil/terima."),
        },
    )
    kunci = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": MSG_BAD_KEY, "max_length": MSG_BAD_KEY},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].widget.choices = [
            ("", _("— pilih kabupaten/kota —")),
            *Regency.objects.order_by("name").values_list("slug", "name"),
        ]

    def clean_whatsapp(self) -> str:
        return identifiers.normalize_whatsapp(self.cleaned_data["whatsapp"])

    def clean_kabupaten(self) -> Regency | None:
        value = self.cleaned_data["kabupaten"].strip()
        if not value:
            return None
        regency = Regency.objects.filter(slug=value).first() or Regency.objects.filter(code=value).first()
        if regency is None:
            raise ValidationError(MSG_UNKNOWN_REGENCY, code="unknown_regency")
        return regency

    def clean_kunci(self) -> str:
        key = self.cleaned_data["kunci"].strip()
        if not KEY_PATTERN.fullmatch(key):
            raise ValidationError(MSG_BAD_KEY, code="bad_key")
        return key

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("pengiriman") == Delivery.DELIVERY:
            if not cleaned.get("alamat", "").strip():
                self.add_error("alamat", ValidationError(MSG_REQUIRED_FOR_DELIVERY, code="required"))
            if cleaned.get("kabupaten") is None and "kabupaten" not in self.errors:
                self.add_error("kabupaten", ValidationError(MSG_REQUIRED_FOR_DELIVERY, code="required"))
        return cleaned
