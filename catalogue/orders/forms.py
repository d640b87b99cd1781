"""The order side's forms: the cart's (which product, how many) and the checkout's.

Cart values are parsed by hand, not by IntegerField, so each wrong input gets its own plain message:
"2.5", "abc", "-1", "0" and "1000000000000" all say what is wrong and what is allowed. Whether that
many can be ordered is not the form's business: the cart asks the availability rule.

The checkout form's field names are a public interface (links, tests, other clients):
``nama``, ``whatsapp``, ``email`` (optional), ``pengiriman`` (``ambil`` or ``kirim``), ``alamat`` and
``kabupaten`` (both required for ``kirim``), ``catatan``, ``pembayaran`` (``qris`` or ``cod``) and
``kunci``, the one-time key the checkout page issues. ``kabupaten`` takes a regency's slug
(``kota-kupang``, what the form's <select> sends) or its Kemendagri code (``53.71``).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers
from catalogue.models import Delivery, Payment, Product
from villages.models import Regency

from .checkout import KEY_PATTERN, Buyer, OrderDetails

_ID = re.compile(r"[0-9]{1,18}")
_SIGNED_INT = re.compile(r"[+-]?[0-9]{1,30}")

MSG_NO_PRODUCT = _("Pilih produk yang akan dibeli.")
MSG_UNKNOWN_PRODUCT = _("Produk ini tidak ditemukan atau tidak lagi dijual.")
MSG_NOT_WHOLE = _("Jumlah harus bilangan bulat, misalnya 1 atau 2.")
MSG_TOO_SMALL = _("Jumlah paling sedikit 1.")


def parse_product_id(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if _ID.fullmatch(raw) and int(raw) > 0 else None


class _CartLineForm(forms.Form):
    product = forms.CharField(max_length=40, error_messages={"required": MSG_NO_PRODUCT})
    quantity = forms.CharField(
        max_length=40,
        required=False,
        error_messages={"max_length": MSG_NOT_WHOLE},
    )

    default_quantity: int | None = None

    def clean_product(self) -> Product:
        product_id = parse_product_id(self.cleaned_data["product"])
        product = (
            Product.objects.published().select_related("producer").filter(pk=product_id).first()
            if product_id
            else None
        )
        if product is None:
            raise ValidationError(MSG_UNKNOWN_PRODUCT, code="unknown_product")
        return product

    def clean_quantity(self) -> int:
        raw = (self.cleaned_data.get("quantity") or "").strip()
        if not raw and self.default_quantity is not None:
            return self.default_quantity
        if not _SIGNED_INT.fullmatch(raw):
            raise ValidationError(MSG_NOT_WHOLE, code="not_whole")
        quantity = int(raw)
        if quantity < 1:
            raise ValidationError(MSG_TOO_SMALL, code="too_small")
        return quantity

    @property
    def messages(self) -> list[str]:
        """Every error as one flat list, for a status line or the messages framework."""
        return [str(message) for errors in self.errors.values() for message in errors]


class AddToCartForm(_CartLineForm):
    """`product` (id) and `quantity` (1 when left out)."""

    default_quantity = 1


class UpdateCartForm(_CartLineForm):
    """`product` (id, already in the cart) and the new `quantity`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = True
        self.fields["quantity"].error_messages["required"] = MSG_NOT_WHOLE


class RemoveFromCartForm(forms.Form):
    """`product` (id): may be unpublished or deleted since it was added."""

    product = forms.CharField(max_length=40, error_messages={"required": MSG_NO_PRODUCT})

    def clean_product(self) -> int:
        product_id = parse_product_id(self.cleaned_data["product"])
        if product_id is None:
            raise ValidationError(MSG_UNKNOWN_PRODUCT, code="unknown_product")
        return product_id

    @property
    def messages(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]


# --- checkout ----------------------------------------------------------------------------------

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

    def details(self) -> OrderDetails:
        """The valid form as the checkout service takes it (address and regency only for delivery)."""
        data = self.cleaned_data
        delivered = data["pengiriman"] == Delivery.DELIVERY
        return OrderDetails(
            buyer=Buyer(name=data["nama"], whatsapp=data["whatsapp"], email=data["email"]),
            delivery=data["pengiriman"],
            payment=data["pembayaran"],
            address=data["alamat"] if delivered else "",
            regency=data["kabupaten"] if delivered else None,
            note=data["catatan"],
        )
