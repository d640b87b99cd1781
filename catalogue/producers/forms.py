"""The portal's forms. Field names are the public interface (``status``, ``referensi``, ``kurir``,
``resi``, ``alasan``, ``ongkir``, ``stok``, ``harga``, ``lama_proses``, ``libur_sampai``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import PartStatus, Product, ShippingRate
from villages.models import Regency

from . import links

MAX_RUPIAH = 100_000_000
MSG_RUPIAH = _("Tulis rupiah utuh tanpa titik, misalnya 15000.")


def rupiah_field(label: str, *, required: bool = True, minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=MAX_RUPIAH,
        error_messages={
            "invalid": MSG_RUPIAH,
            "required": _("Isi nominalnya."),
            "min_value": _("Paling sedikit %(limit_value)s."),
            "max_value": _("Paling banyak %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SignInForm(forms.Form):
    kontak = forms.CharField(
        label=_("Nomor WhatsApp atau email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
        error_messages={"required": _("Tulis nomor WhatsApp atau email Anda.")},
    )

    def clean_kontak(self) -> str:
        contact = links.normalise_contact(self.cleaned_data["kontak"])
        if not contact:
            raise ValidationError(
                _("Tulis nomor WhatsApp (misalnya 0812-3456-7890) atau alamat email."), code="bad_contact"
            )
        return contact


class StatusForm(forms.Form):
    """One move of a part: the status it goes to, with what that move needs."""

    status = forms.ChoiceField(
        choices=PartStatus.choices, error_messages={"invalid_choice": _("Status tidak dikenal.")}
    )
    referensi = forms.CharField(
        label=_("Referensi di aplikasi bank (tidak wajib)"), required=False, max_length=64
    )
    kurir = forms.CharField(label=_("Kurir (tidak wajib)"), required=False, max_length=60)
    resi = forms.CharField(label=_("Nomor resi (tidak wajib)"), required=False, max_length=60)
    alasan = forms.CharField(
        label=_("Alasan pembatalan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") == PartStatus.CANCELLED and not cleaned.get("alasan", "").strip():
            self.add_error(
                "alasan", ValidationError(_("Tulis alasan pembatalan untuk pembeli."), code="required")
            )
        return cleaned


class QuoteForm(forms.Form):
    ongkir = rupiah_field(_("Ongkos kirim (Rp)"))


class ProductForm(forms.ModelForm):
    """What a producer may change of their own product: stock, price, preparation time, holiday."""

    stok = forms.IntegerField(label=_("Stok"), min_value=0, max_value=1_000_000)
    harga = rupiah_field(_("Harga (Rp)"), minimum=1)
    lama_proses = forms.IntegerField(label=_("Lama proses (hari)"), min_value=0, max_value=365)
    libur_sampai = forms.DateField(
        label=_("Libur sampai (kosongkan bila buka)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tulis tanggal, misalnya 2026-12-31.")},
    )
    FIELDS = {"stok": "stock", "harga": "price", "lama_proses": "lead_days", "libur_sampai": "paused_until"}

    class Meta:
        model = Product
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, attribute in self.FIELDS.items():
            self.fields[name].initial = getattr(self.instance, attribute)

    def clean_libur_sampai(self):
        until = self.cleaned_data["libur_sampai"]
        if until is not None and until < timezone.localdate():
            raise ValidationError(_("Tanggal libur sudah lewat."), code="past")
        return until

    def save(self, commit: bool = True) -> Product:
        for name, attribute in self.FIELDS.items():
            setattr(self.instance, attribute, self.cleaned_data[name])
        if commit:
            self.instance.save(update_fields=[*self.FIELDS.values(), "updated_at"])
        return self.instance


class RatesForm(forms.Form):
    """The producer's rate to each NTT regency: ``harga_<slug>`` (empty = no rate) and ``hari_<slug>``."""

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.producer = producer
        self.regencies = list(Regency.objects.of_ntt().order_by("name"))
        rates = {rate.regency_id: rate for rate in ShippingRate.objects.filter(producer=producer)}
        self.rows = []
        for regency in self.regencies:
            rate = rates.get(regency.pk)
            price = rupiah_field(regency.name, required=False)
            price.initial = rate.price if rate else None
            days = forms.IntegerField(
                label=_("hari"),
                required=False,
                min_value=0,
                max_value=60,
                initial=rate.eta_days if rate else None,
            )
            self.fields[f"harga_{regency.slug}"] = price
            self.fields[f"hari_{regency.slug}"] = days
            self.rows.append((regency, f"harga_{regency.slug}", f"hari_{regency.slug}"))

    def row_fields(self):
        return [(regency, self[price], self[days]) for regency, price, days in self.rows]

    @transaction.atomic
    def save(self) -> None:
        for regency, price_name, days_name in self.rows:
            price = self.cleaned_data.get(price_name)
            if price is None:
                ShippingRate.objects.filter(producer=self.producer, regency=regency).delete()
                continue
            ShippingRate.objects.update_or_create(
                producer=self.producer,
                regency=regency,
                defaults={"price": price, "eta_days": self.cleaned_data.get(days_name) or 3},
            )
